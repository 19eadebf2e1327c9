"""What the places app tells the apps above it, without importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``area_ids`` (a list of AdminArea pks) when an import renamed those areas,
# inside the import's transaction: services found by place names must say the new ones.
areas_renamed = Signal()
