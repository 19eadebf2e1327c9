"""Inserting many rows at the database's own speed: PostgreSQL COPY, SQLite executemany.

``bulk_create`` compiles one multi-row INSERT per batch, and Django's SQL compiler spends
far longer on each value than the database does storing it (an HSDS import writes
hundreds of thousands of rows). ``insert_rows`` converts each value once, as
``bulk_create`` would (``pre_save`` for ``auto_now``/``auto_now_add``, then
``get_db_prep_save``), and hands the rows to the driver in one call. Triggers fire as for
any INSERT. The primary keys are not read back: use it for rows nothing refers to yet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import connections, router

# Values the drivers take as they are: no Django conversion needed.
_PLAIN_FIELDS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def insert_rows(model: Any, objects: Iterable[Any]) -> int:
    """Insert unsaved ``objects`` of ``model`` (their primary key left to the database
    when it is None on the first one); returns how many rows were written."""
    objects = list(objects)
    if not objects:
        return 0
    alias = router.db_for_write(model)
    database = connections[alias]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and getattr(objects[0], field.attname) is None)
    ]
    converters = [_converter(field, database) for field in fields]
    _copy_in(
        database, model, fields, ([convert(item) for convert in converters] for item in objects)
    )
    for item in objects:  # saved, as bulk_create leaves them (without their pk)
        item._state.adding, item._state.db = False, alias
    return len(objects)


def insert_values(model: Any, names: list[str], rows: Iterable[Iterable[Any]]) -> int:
    """Insert rows given as values of the fields ``names`` (attribute names: ``service_id``
    for a foreign key), without a model instance per row; the other columns get no value
    from Django (defaults and ``auto_now`` are the caller's to give). Returns the count."""
    database = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    prepare = [_value_converter(field, database) for field in fields]
    count = 0

    def converted() -> Iterable[list[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield [convert(value) for convert, value in zip(prepare, row, strict=True)]

    _copy_in(database, model, fields, converted())
    return count


def _copy_in(database: Any, model: Any, fields: list[Any], rows: Iterable[list[Any]]) -> None:
    quote = database.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  (quoted names)
            cursor.executemany(sql, rows)


def update_rows(model: Any, objects: Iterable[Any], names: Iterable[str]) -> int:
    """Write the fields ``names`` of saved ``objects``, each row its own values: one
    statement run for every row by the driver, where ``bulk_update`` compiles a CASE per
    field over every batch. ``auto_now`` fields among them are stamped as ``save`` does.
    Returns how many rows were sent."""
    objects = list(objects)
    if not objects:
        return 0
    alias = router.db_for_write(model)
    database = connections[alias]
    fields = [model._meta.get_field(name) for name in names]
    converters = [_converter(field, database, adding=False) for field in fields]
    quote = database.ops.quote_name
    sets = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = (
        f"UPDATE {quote(model._meta.db_table)} SET {sets} "  # noqa: S608  (quoted names)
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    with database.cursor() as cursor:
        cursor.executemany(
            sql, [[convert(item) for convert in converters] + [item.pk] for item in objects]
        )
    return len(objects)


def update_column(model: Any, name: str, values: Iterable[tuple[Any, Any]]) -> int:
    """Set the field ``name`` of many rows, each to its own value: ``values`` gives
    (primary key, value) pairs (see ``update_rows``). Returns how many pairs were sent."""
    alias = router.db_for_write(model)
    database = connections[alias]
    field = model._meta.get_field(name)
    quote = database.ops.quote_name
    rows = [[field.get_db_prep_save(value, database), pk] for pk, value in values]
    if rows:
        sql = (
            f"UPDATE {quote(model._meta.db_table)} SET {quote(field.column)} = %s "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
        with database.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


def _converter(field: Any, database: Any, *, adding: bool = True) -> Callable[[Any], Any]:
    """How ``bulk_create`` turns an instance's attribute into the column's value."""
    if getattr(field, "auto_now", False) or (adding and getattr(field, "auto_now_add", False)):
        return lambda item: field.get_db_prep_save(field.pre_save(item, adding), database)
    if field.get_internal_type() in _PLAIN_FIELDS and not field.choices:
        return lambda item: getattr(item, field.attname)
    return lambda item: field.get_db_prep_save(getattr(item, field.attname), database)


def _value_converter(field: Any, database: Any) -> Callable[[Any], Any]:
    """How a field's value becomes the column's; a value repeated from the row before
    (an import's time stamp) is converted once."""
    if field.get_internal_type() in _PLAIN_FIELDS and not field.choices:
        return lambda value: value
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, field.get_db_prep_save(value, database)
        return last[1]

    return convert
