"""Who sees which export: its owner only, while still in the organization and still
holding the capability the kind needs. Anyone else, including the owner's colleagues and
other agencies, gets 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.exports import registry
from ruta.exports.models import SecureExport
from ruta.lib.permissions import user_can

if TYPE_CHECKING:
    from ruta.accounts.models import User


def own_exports(user: User) -> QuerySet[SecureExport]:
    return SecureExport.objects.filter(owner_id=user.pk, organization_id=user.organization_id)


def get_own_export(user: User, export_uuid: Any) -> SecureExport:
    export = own_exports(user).filter(uuid=export_uuid).first()
    if export is None:
        raise Http404
    producer = registry.producer(export.kind)
    if producer is None or (producer.capability and not user_can(user, producer.capability)):
        raise Http404
    return export
