"""The case page says what to do next: the current stage's step is its one primary button."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from ruta.cases import actions
from ruta.cases.models import Stage
from ruta.cases.tests.factories import make_assessment, make_case, make_follow_up, make_plan

pytestmark = pytest.mark.django_db


def primary_buttons(page: str) -> list[tuple[str, str]]:
    """(href, "") of every primary link and ("", text) of every primary button."""
    links = re.findall(r'<a class="button[^"]*\bprimary\b[^"]*" href="([^"]*)"', page)
    buttons = re.findall(r'<button[^>]*class="button[^"]*\bprimary\b[^"]*"[^>]*>([^<]*)<', page)
    return [(href, "") for href in links] + [("", text) for text in buttons]


def next_step(client: Any, case: Any) -> tuple[str, str]:
    """The page's one primary button, checked against the header's "Next step" line."""
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    buttons = primary_buttons(page)
    assert len(buttons) == 1, buttons
    header = re.search(r'<p class="cs-next" id="next-step"><strong>[^<]*</strong> ([^<·]*)', page)
    assert header, "no next step line"
    if buttons[0][1]:
        assert header.group(1).strip() == buttons[0][1]
    return buttons[0]


def test_each_stage_offers_its_own_next_step(world: Any, login: Any) -> None:
    worker = world.user("caseworker.care")
    client = login(worker)
    case = make_case(worker, consent=False)
    url, _text = next_step(client, case)
    assert "consentimientos/nuevo/?purpose=services" in url
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert "Registrar el consentimiento para recibir servicios" in page

    actions.record_consent(worker, case, purpose="services", method="verbal", given_by="self")
    url, _text = next_step(client, case)
    assert url == reverse("cases:assessment_create", args=[case.uuid])

    assessment = make_assessment(worker, case)
    actions.set_stage(worker, case, Stage.ASSESSMENT)
    # Written: its caseworker asks for approval, right there in the next step.
    assert next_step(client, case) == ("", "Solicitar aprobación: Evaluación")
    actions.request_approval(worker, case, "assessment", assessment.uuid)
    url, _text = next_step(client, case)  # asked: move on
    assert url == reverse("cases:stage_edit", args=[case.uuid])

    actions.set_stage(worker, case, Stage.ACTION_PLAN)
    assert next_step(client, case)[0] == reverse("cases:plan", args=[case.uuid])
    plan, _goal, _action = make_plan(worker, case)
    assert next_step(client, case) == ("", "Solicitar aprobación: Plan de acción")
    actions.request_approval(worker, case, "action_plan", plan.uuid)
    assert next_step(client, case)[0] == reverse("cases:stage_edit", args=[case.uuid])

    actions.set_stage(worker, case, Stage.IMPLEMENTATION)
    assert next_step(client, case)[0] == reverse("cases:plan", args=[case.uuid])
    actions.set_stage(worker, case, Stage.FOLLOW_UP)
    assert next_step(client, case)[0] == reverse("cases:follow_up_create", args=[case.uuid])
    make_follow_up(worker, case)
    closure = reverse("cases:closure_create", args=[case.uuid])
    assert next_step(client, case)[0] == closure
    page = client.get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert page.count(f'href="{closure}"') == 1  # not offered twice


def test_the_next_step_speaks_the_readers_language(world: Any, login: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    page = login(worker).get("/en" + reverse("cases:case_detail", args=[case.uuid]))
    html = page.content.decode()
    assert "Next step (Intake):</strong> Write the assessment" in html
    [(href, _text)] = primary_buttons(html)
    assert href == f"/en/casos/{case.uuid}/evaluaciones/nueva/"
