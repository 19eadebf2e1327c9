"""The permissions page names each capability and says in a line what it lets a person do,
in the reader's language, instead of showing the code (``view_dashboard``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from ruta.lib import permissions
from ruta.lib.permissions import CAP_LABELS, Cap, matrix_rows

pytestmark = pytest.mark.django_db


def test_every_capability_has_a_name_and_a_line() -> None:
    assert set(CAP_LABELS) == set(Cap)
    for language in ("es", "en"):
        with translation.override(language):
            names = [str(CAP_LABELS[cap][0]) for cap in Cap]
            lines = [str(CAP_LABELS[cap][1]) for cap in Cap]
        assert len(set(names)) == len(names), language  # no two alike
        assert all(name and "_" not in name for name in names), language
        assert all(line.endswith(".") and len(line) <= 100 for line in lines), language


def test_a_capability_without_a_label_stops_the_start(monkeypatch: pytest.MonkeyPatch) -> None:
    unlabelled = {cap: label for cap, label in CAP_LABELS.items() if cap != Cap.USE_API}
    monkeypatch.setattr(permissions, "CAP_LABELS", unlabelled)
    with pytest.raises(ValueError, match="use_api"):
        permissions._parse(permissions._MATRIX)


def test_rows_follow_the_matrix() -> None:
    rows = {row.capability: row for row in matrix_rows()}
    assert list(rows) == [cap.value for cap in Cap]
    assert rows["view_cases"].allowed == [False, False, False, True, True, False, False]
    assert rows["view_dashboard"].label == CAP_LABELS[Cap.VIEW_DASHBOARD][0]


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_page_shows_names_not_codes(login: Any, world: Any, language: str) -> None:
    client = login(world.user("caseworker.care"))
    with translation.override(language):
        page = client.get(reverse("core:permissions")).content.decode()
        names = [str(CAP_LABELS[cap][0]) for cap in Cap]
        lines = [str(CAP_LABELS[cap][1]) for cap in Cap]
    for cap, name, line in zip(Cap, names, lines, strict=True):
        assert cap.value not in page
        assert f'<span class="cap-name">{name}</span>' in page.replace("&#x27;", "'")
        assert line in page.replace("&#x27;", "'")


def test_the_english_page_reads_in_english(login: Any, world: Any) -> None:
    client = login(world.user("supervisor.care"))
    with translation.override("en"):
        page = client.get(reverse("core:permissions")).content.decode()
    assert '<span class="cap-name">Supervise cases</span>' in page
    assert "See every case of their organization, assign them and approve closures." in page
    assert '<tr class="mine"><th scope="row"><span class="cap-name">Supervise cases' in page
