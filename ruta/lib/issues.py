"""One problem found in an uploaded file, told by file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Issue:
    file: str
    line: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}
