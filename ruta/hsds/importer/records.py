"""What the import found: records read from the file, the issues on them, the result."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# An issue's line is the CSV line, or the record number in a JSON file.
from ruta.lib.issues import Issue

Progress = Callable[[int], None]


# Shared by every record that has none (most of them): an import holds hundreds of
# thousands of records, and an empty set or dict of each one's own would cost more than
# its values. ``inherit`` and ``block`` give a record its own when it needs one.
_NONE: frozenset[str] = frozenset()
_NO_BLOCKS: Mapping[str, Record] = MappingProxyType({})


@dataclass(slots=True)
class Record:
    """One HSDS object found in the file, with where it was found."""

    table: str
    raw: dict[str, Any]
    file: str
    line: int
    path: str = ""  # JSON path inside the record, e.g. "phones[0]"
    from_csv: bool = False
    clean: dict[str, Any] = field(default_factory=dict)
    # Ids taken from the object this one is nested in: their errors belong to the parent.
    inherited: frozenset[str] = _NONE
    skip: frozenset[str] = _NONE
    # References to a record that is in the file but was rejected (field -> that record):
    # reported once, on the rejected record, instead of once per row that depends on it.
    blocked: Mapping[str, Record] = field(default_factory=lambda: _NO_BLOCKS)
    # The nested arrays a JSON object has (absent is not empty: an absent one is kept).
    lists: frozenset[str] = _NONE
    # A CSV row's columns, in the file's order (``raw`` holds only its filled cells).
    columns: tuple[str, ...] = ()

    def given(self) -> tuple[str, ...] | dict[str, Any]:
        """The fields the record has, empty ones included."""
        return self.columns or self.raw

    def where(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    @property
    def id(self) -> uuid.UUID | None:
        value = self.clean.get("id")
        return value if isinstance(value, uuid.UUID) else None

    def inherit(self, name: str) -> None:
        """``name`` was taken from the object this one is nested in."""
        self.inherited = self.inherited | {name}

    def block(self, name: str, parent: Record) -> None:
        """``name`` refers to ``parent``, a record of the file that was rejected."""
        blocked = dict(self.blocked)
        blocked[name] = parent
        self.blocked = blocked


@dataclass
class Report:
    """The errors (any one stops the import) and warnings (what is left out) found so far."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    def error(self, rec: Record, name: str, reason: str) -> None:
        self.errors.append(Issue(rec.file, rec.line, rec.where(name), reason))

    def warn(self, rec: Record, name: str, reason: str) -> None:
        self.warnings.append(Issue(rec.file, rec.line, rec.where(name), reason))

    def file_error(self, file: str, line: int, reason: str, name: str = "") -> None:
        self.errors.append(Issue(file, line, name, reason))


@dataclass
class Result:
    """What one import run found and, unless it was a dry run, wrote."""

    valid: bool
    dry_run: bool
    format: str
    errors: list[Issue]
    warnings: list[Issue]
    counts: dict[str, int]

    def as_report(self, limit: int = 10_000) -> dict[str, Any]:
        """The JSON stored on the ImportJob (at most ``limit`` errors, with the total)."""
        return {
            "valid": self.valid,
            "dry_run": self.dry_run,
            "format": self.format,
            "error_total": len(self.errors),
            "errors": [issue.as_dict() for issue in self.errors[:limit]],
            "warning_total": len(self.warnings),
            "warnings": [issue.as_dict() for issue in self.warnings[:limit]],
            "counts": self.counts,
        }
