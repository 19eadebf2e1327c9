"""A service's referral track record, shown to signed-in professionals on its page.

Referrals sit above the directory, so the directory never imports them: the referrals app
provides the function in its ``AppConfig.ready()``. Without it there is no track record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

RecordFn = Callable[[Any], Any]

_provider: list[RecordFn] = []


def provide(record: RecordFn) -> None:
    """``record(service)`` gives the track record of one service."""
    _provider[:] = [record]


def service_record(service: Any) -> Any | None:
    return _provider[0](service) if _provider else None
