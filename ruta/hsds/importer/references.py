"""References to rejected records: blocked, not reported as unknown, counted once on them.

A row whose id is refused (not a UUID, an unreadable CSV row) is reported once; the rows
that refer to it are not checked further, and the rejected row gets one more error that
says how many rows depend on it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ruta.hsds.importer.fields import SPECS, TABLES
from ruta.hsds.importer.records import Record, Report
from ruta.lib.issues import Issue

# A reference to a UUID found nowhere in the file is taken for a reference to a rejected id
# of the file when a few typing mistakes turn one into the other (two random UUIDs differ in
# about 34 of their 36 characters), in the tables whose records must be in the file.
NEAR_EDITS = 3
NEAR_TABLES = ("service", "service_at_location", "phone")
NEAR_CANDIDATES = 100

Rejected = dict[str, dict[str, Record]]


def block_references(
    tables: dict[str, list[Record]], broken: dict[str, list[Record]], records: list[Record]
) -> None:
    """Mark, on every record, the references that point at a rejected record of the file."""
    rejected = _rejected_ids(tables, broken)
    present = {
        table: {id_key(rec.raw["id"]) for rec in tables.get(table, []) if rec.raw.get("id")}
        for table in NEAR_TABLES
    }
    near: dict[tuple[str, str], Record | None] = {}
    for rec in records:
        _block(rec, rejected, present, near)


def _rejected_ids(tables: dict[str, list[Record]], broken: dict[str, list[Record]]) -> Rejected:
    """Records present in the file whose own id was refused (not a UUID, unreadable row),
    by table and id as written: references to them are not "unknown", they are blocked."""
    rejected: Rejected = defaultdict(dict)
    valid: dict[str, set[str]] = defaultdict(set)
    for table in TABLES:
        candidates = [
            *((rec, False) for rec in tables.get(table, [])),
            *((rec, True) for rec in broken.get(table, [])),
        ]
        for rec, unreadable in candidates:
            value = rec.raw.get("id")
            if "id" in rec.skip or value is None or not str(value).strip():
                continue
            key = id_key(value)
            if not unreadable and isinstance(value, str) and _is_uuid(value):
                valid[table].add(key)  # checked and kept: references to it are resolved
            else:
                rejected[table].setdefault(key, rec)
    for table, keys in valid.items():
        for key in keys:
            rejected[table].pop(key, None)
    return rejected


def _block(
    rec: Record,
    rejected: Rejected,
    present: dict[str, set[str]],
    near: dict[tuple[str, str], Record | None],
) -> None:
    """Mark the references of ``rec`` that point at a rejected record of the file."""
    for name, spec in SPECS[rec.table].items():
        if spec.kind != "uuid" or name == "id" or name in rec.inherited or name in rec.skip:
            continue
        value = rec.raw.get(name)
        if value is None or not str(value).strip():
            continue
        if name == "link_id":
            target = str(rec.raw.get("link_entity") or "").strip()
        else:
            target = spec.points_to
        key = id_key(value)
        parent = rejected.get(target, {}).get(key)
        if parent is None and target in NEAR_TABLES and key not in present[target]:
            if (target, key) not in near:
                candidates = list(rejected.get(target, {}).items())[:NEAR_CANDIDATES]
                near[target, key] = next(
                    (found for bad, found in candidates if _near(key, bad)), None
                )
            parent = near[target, key]
        if parent is not None and parent is not rec:
            rec.block(name, parent)


def report_dependants(report: Report, records: list[Record]) -> None:
    """One error per rejected record, next to its own: how many rows depend on it."""
    groups: dict[int, tuple[Record, dict[str, int]]] = {}
    for rec in records:
        for parent in {id(p): p for p in rec.blocked.values()}.values():
            files = groups.setdefault(id(parent), (parent, {}))[1]
            files[rec.file] = files.get(rec.file, 0) + 1
    if not groups:
        return
    last = {(issue.file, issue.line): n for n, issue in enumerate(report.errors)}
    after: dict[int, list[Issue]] = defaultdict(list)
    tail: list[Issue] = []
    for parent, files in groups.values():
        issue = _dependants_issue(parent, files)
        position = last.get((parent.file, parent.line))
        (tail if position is None else after[position]).append(issue)
    merged: list[Issue] = []
    for n, issue in enumerate(report.errors):
        merged.append(issue)
        merged.extend(after.get(n, []))
    report.errors[:] = [*merged, *tail]


def _dependants_issue(parent: Record, files: dict[str, int]) -> Issue:
    count = sum(files.values())
    values = {"count": count, "files": get_text_list(list(files), _("and"))}
    if parent.from_csv:
        reason = ngettext(
            "%(count)s row in %(files)s refers to this id and was not checked further.",
            "%(count)s rows in %(files)s refer to this id and were not checked further.",
            count,
        )
    else:
        reason = ngettext(
            "%(count)s record in %(files)s refers to this id and was not checked further.",
            "%(count)s records in %(files)s refer to this id and were not checked further.",
            count,
        )
    return Issue(parent.file, parent.line, parent.where("id"), reason % values)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value.strip())
    except ValueError:
        return False
    return True


def _near(one: str, other: str, limit: int = NEAR_EDITS) -> bool:
    """True when at most ``limit`` insertions, deletions or substitutions turn one into other."""
    if abs(len(one) - len(other)) > limit:
        return False
    previous = list(range(len(other) + 1))
    for i, char in enumerate(one, start=1):
        current = [i]
        for j, other_char in enumerate(other, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char != other_char))
            )
        if min(current) > limit:
            return False
        previous = current
    return previous[-1] <= limit


def id_key(value: Any) -> str:
    """How an id is matched to the references to it: a UUID in canonical form, else the text."""
    text = str(value).strip()
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text.lower()
