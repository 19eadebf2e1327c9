"""'Request approval' sits beside the section it approves, for the caseworker only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from ruta.cases import actions
from ruta.cases.models import ApprovalKind
from ruta.cases.tests.factories import make_assessment, make_case, make_plan

pytestmark = pytest.mark.django_db


def section(page: str, heading_id: str) -> str:
    found = re.search(rf'aria-labelledby="{heading_id}">.*?</section>', page, re.S)
    assert found, heading_id
    return found.group(0)


def approval_forms(html: str) -> list[str]:
    return re.findall(r'name="kind" value="(\w+)"', html)


def test_caseworker_requests_approval_where_the_record_is(world: Any, login: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    assessment = make_assessment(worker, case)
    make_plan(worker, case)
    page = login(worker).get(reverse("cases:case_detail", args=[case.uuid])).content.decode()
    assert approval_forms(section(page, "records-assessment")) == ["assessment"]
    assert approval_forms(section(page, "records-plan")) == ["action_plan"]
    detail = reverse("cases:assessment_detail", args=[case.uuid, assessment.uuid])
    facts = login(worker).get(detail).content.decode()
    assert approval_forms(facts.split('class="facts"')[1].split("</dl>")[0]) == ["assessment"]


def test_no_button_once_sent_or_for_someone_else(world: Any, login: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    assessment = make_assessment(worker, case)
    actions.request_approval(worker, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    url = reverse("cases:case_detail", args=[case.uuid])
    page = login(worker).get(url).content.decode()
    assert approval_forms(section(page, "records-assessment")) == []
    other = make_case(worker)
    make_assessment(worker, other)
    boss = login(world.user("supervisor.care"))
    page = boss.get(reverse("cases:case_detail", args=[other.uuid])).content.decode()
    assert approval_forms(section(page, "records-assessment")) == []
