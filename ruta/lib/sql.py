"""SQL pieces the ORM lacks on both of our databases."""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, JSONField


class JSONList(Aggregate):
    """The grouped rows' values as one JSON array: ``json_group_array`` on SQLite,
    ``jsonb_agg`` on PostgreSQL. Read back as a list (or None for no rows). Its order is
    the database's: sort in Python by a key the values carry."""

    function = "JSON_GROUP_ARRAY"
    name = "JSONList"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra)
