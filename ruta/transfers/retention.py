"""What transfers do when a case is anonymised or erased (``ruta.cases.retention``),
registered in ``hooks.py``: the reasons written on the case's transfers are emptied
(anonymised) or go with the case (erased). A received package keeps no readable copy."""

from __future__ import annotations

from ruta.cases.models import Case
from ruta.lib.fields import empty_encrypted
from ruta.transfers.models import Transfer

COVERS = ("transfers.Transfer",)


def anonymise_case_transfers(case: Case) -> dict[str, int]:
    return {"transfers": empty_encrypted(Transfer.objects.filter(case=case))}


def erase_case_transfers(case: Case) -> dict[str, int]:
    """Counted before the case is deleted; they go with it (cascade)."""
    return {"transfers": Transfer.objects.filter(case=case).count()}
