"""The core case pages through HTTP: who sees a case, intake, consent, risk, stage,
reassignment, closure and reopening, audit of reads and fixed query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse as django_reverse
from django.utils import timezone, translation

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.models import (
    ApprovalKind,
    ApprovalRequest,
    ApprovalState,
    Case,
    CaseStatus,
    Client,
    Closure,
    Consent,
    RiskLevel,
    Stage,
)
from ruta.cases.tests.factories import (
    ALIAS,
    CODE_WORD,
    FAMILY_NAMES,
    GIVEN_NAMES,
    give_consent,
    make_case,
)
from ruta.lib.permissions import Role

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def reverse(name: str, *args: Any, **kwargs: Any) -> str:
    """English pages: the assertions read the English wording, whatever the catalogs say."""
    with translation.override("en"):
        return django_reverse(name, *args, **kwargs)


LIST = reverse("cases:case_list")
CREATE = reverse("cases:case_create")
CASE_PAGES = (
    "case_detail",
    "client_edit",
    "consent_create",
    "risk_edit",
    "stage_edit",
    "reassign",
    "closure_create",
    "reopen",
)


def url(name: str, case: Case, **extra: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"case_uuid": case.uuid, **extra})


def html(response: Any) -> str:
    return str(response.content.decode())


@pytest.fixture
def care_case(world: Any) -> Case:
    return make_case(world.user("caseworker.care"))


def reads(case: Case) -> int:
    return AuditEvent.objects.filter(object_uuid=case.uuid, action="case.read").count()


# --- Who sees a case -------------------------------------------------------------------
NOBODY_ELSE = (
    "admin",
    "coordinator",
    "analyst",
    "agency_admin.care",
    "agency_admin.hias",
    "helpline.care",
    "helpline.hias",
    "caseworker.hias",
    "supervisor.hias",
    "outsider",
)


@pytest.mark.parametrize("key", NOBODY_ELSE)
def test_nobody_else_sees_a_care_case(login: Any, world: Any, care_case: Case, key: str) -> None:
    client = login(world.user(key))
    consent = care_case.consents.get()
    pages = [url(name, care_case) for name in CASE_PAGES]
    pages.append(url("consent_withdraw", care_case, consent_uuid=consent.uuid))
    for page in pages:
        response = client.get(page)
        assert response.status_code == 404, (page, response.status_code)
        assert care_case.code not in html(response)
        response = client.post(page, {"risk_level": "urgent", "risk_reason": "x", "reason": "x"})
        # 405: the case page is read-only for every role that may read cases, case or no case.
        assert response.status_code in (404, 405), (page, response.status_code)
        assert care_case.code not in html(response)
    listing = client.get(LIST, {"status": "all"})
    assert care_case.code not in html(listing)
    care_case.refresh_from_db()
    assert care_case.risk_level == RiskLevel.LOW
    assert Consent.objects.get(pk=consent.pk).is_active
    assert reads(care_case) == 0


def test_the_assigned_caseworker_and_the_supervisor_see_it(
    login: Any, world: Any, care_case: Case
) -> None:
    for key in ("caseworker.care", "supervisor.care"):
        client = login(world.user(key))
        for name in CASE_PAGES:
            response = client.get(url(name, care_case))
            if name == "reassign" and key == "caseworker.care":
                assert response.status_code == 404  # supervisors only
                continue
            assert response.status_code == 200, (key, name)
            assert care_case.code in html(response)
        assert care_case.code in html(client.get(LIST))
        client.logout()


def test_another_caseworker_of_the_agency_gets_404(login: Any, world: Any, care_case: Case) -> None:
    other = make_user("caseworker2.care@test.org", Role.CASEWORKER, world.care)
    client = login(other)
    for name in CASE_PAGES:
        assert client.get(url(name, care_case)).status_code == 404
    assert care_case.code not in html(client.get(LIST, {"status": "all"}))


def test_missing_case_is_404(login: Any, world: Any) -> None:
    import uuid

    client = login(world.user("supervisor.care"))
    response = client.get(reverse("cases:case_detail", kwargs={"case_uuid": uuid.uuid4()}))
    assert response.status_code == 404


def test_each_read_of_the_case_page_is_audited(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    before = reads(care_case)
    client.get(url("case_detail", care_case))
    assert reads(care_case) == before + 1
    client.get(url("case_detail", care_case))
    assert reads(care_case) == before + 2
    event = AuditEvent.objects.filter(object_uuid=care_case.uuid, action="case.read").first()
    assert event is not None and event.actor == world.user("caseworker.care")
    assert GIVEN_NAMES not in str(event.details) and ALIAS not in str(event.details)


def test_the_supervisor_sees_who_opened_the_case(login: Any, world: Any, care_case: Case) -> None:
    caseworker = login(world.user("caseworker.care"))
    caseworker.get(url("case_detail", care_case))
    page = html(caseworker.get(url("case_detail", care_case)))
    assert "Who opened this case" not in page
    caseworker.logout()
    supervisor = login(world.user("supervisor.care"))
    page = html(supervisor.get(url("case_detail", care_case)))
    assert "Who opened this case" in page
    assert "caseworker.care@test.org" in page
    assert "supervisor.care@test.org" in page


def test_case_page_shows_client_safe_contact_and_consent(
    login: Any, world: Any, care_case: Case
) -> None:
    client = login(world.user("caseworker.care"))
    page = html(client.get(url("case_detail", care_case)))
    assert ALIAS in page
    assert CODE_WORD in page
    assert "Safe to call?" in page
    assert "Consent at a glance" in page
    assert "Receive services" in page
    assert 'aria-current="step"' in page
    # The page title carries the code only, never the name.
    title = page.split("<title>")[1].split("</title>")[0]
    assert care_case.code in title and ALIAS not in title and GIVEN_NAMES not in title


# --- The list ---------------------------------------------------------------------------
def test_list_shows_no_names_and_puts_urgent_first(login: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    low = make_case(caseworker)
    urgent = make_case(caseworker, risk_level=RiskLevel.URGENT)
    newer = make_case(caseworker)
    client = login(caseworker)
    response = client.get(LIST)
    page = html(response)
    codes = [case.code for case in response.context["cases"]]
    assert codes[0] == urgent.code
    assert set(codes) == {low.code, urgent.code, newer.code}
    for secret in (GIVEN_NAMES, FAMILY_NAMES, ALIAS, CODE_WORD):
        assert secret not in page
    assert "New case" in page


def test_list_filters(login: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    gbv = make_case(caseworker)
    mhpss = make_case(caseworker, case_type="mhpss", risk_level=RiskLevel.HIGH)
    closed = make_case(caseworker)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    client = login(caseworker)

    def codes(**params: Any) -> set[str]:
        return {case.code for case in client.get(LIST, params).context["cases"]}

    assert codes() == {gbv.code, mhpss.code}
    assert codes(status="closed") == {closed.code}
    assert codes(status="all") == {gbv.code, mhpss.code, closed.code}
    assert codes(case_type="mhpss") == {mhpss.code}
    assert codes(risk="high") == {mhpss.code}
    assert codes(stage="assessment") == set()
    assert codes(q=mhpss.code[-5:]) == {mhpss.code}
    assert codes(risk="nonsense") == {gbv.code, mhpss.code}


def test_supervisor_filters_by_caseworker(login: Any, world: Any) -> None:
    mine = make_case(world.user("caseworker.care"))
    other_worker = make_user("caseworker3.care@test.org", Role.CASEWORKER, world.care)
    theirs = make_case(other_worker)
    make_case(world.user("caseworker.hias"))
    client = login(world.user("supervisor.care"))
    everyone = {c.code for c in client.get(LIST).context["cases"]}
    assert everyone == {mine.code, theirs.code}
    only = client.get(LIST, {"caseworker": str(other_worker.uuid)}).context["cases"]
    assert [c.code for c in only] == [theirs.code]


def test_list_query_count_is_fixed(
    login: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    supervisor = world.user("supervisor.care")
    caseworker = world.user("caseworker.care")
    for _number in range(3):
        case = make_case(caseworker)
        actions.add_follow_up(caseworker, case, kind="call", next_contact_on=timezone.localdate())
    client = login(supervisor)
    with django_assert_max_num_queries(12) as captured:  # 2 for the page's audit event
        response = client.get(LIST)
    assert len(response.context["cases"]) == 3
    few = len(captured)
    for number in range(27):
        make_case(caseworker, risk_level=RiskLevel.URGENT if number % 5 == 0 else RiskLevel.LOW)
    with django_assert_max_num_queries(few):
        response = client.get(LIST)
    assert len(response.context["cases"]) == 30


def test_detail_query_count_does_not_grow(
    login: Any, world: Any, care_case: Case, django_assert_max_num_queries: Any
) -> None:
    supervisor = world.user("supervisor.care")
    client = login(supervisor)
    client.get(url("case_detail", care_case))
    # Its own queries plus the records and approvals sections of the other case pages, and
    # one for the referrals received whose consent to share was withdrawn (own-consent notice).
    with django_assert_max_num_queries(21) as captured:
        client.get(url("case_detail", care_case))
    few = len(captured)
    for _number in range(5):
        give_consent(supervisor, care_case, "share", recipient=world.hias)
        client.get(url("case_detail", care_case))
    with django_assert_max_num_queries(few):
        response = client.get(url("case_detail", care_case))
    assert len(response.context["readers"]) == 8


# --- Intake ----------------------------------------------------------------------------
def intake_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "case_type": "gbv",
        "risk_level": "medium",
        "risk_reason": "",
        "given_names": "Rosa Inventada",
        "family_names": "Pérez Ficticia",
        "alias": "",
        "phone": "+51 999 000 111",
        "address": "Jr. Falso 456",
        "document_type": "passport",
        "document_number": "AB-123.456",
        "sex": "female",
        "gender_identity": "woman",
        "age": "27",
        "age_band": "unknown",
        "nationality": "VE",
        "population_type": "in_destination",
        "admin1": "PE-LIM",
        "languages": "es",
        "safe_to_call": "no",
        "safe_to_message": "yes",
        "safe_times": "Tardes",
        "code_word": "mandarina",
        "wg_seeing": "no",
        "wg_walking": "a_lot",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_caseworker_opens_a_case(login: Any, world: Any) -> None:
    caseworker = world.user("caseworker.care")
    client = login(caseworker)
    page = html(client.get(CREATE))
    assert "Functioning (Washington Group short set)" in page
    assert 'name="caseworker"' not in page
    response = client.post(CREATE, intake_data())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("case_detail", case)
    assert case.caseworker == caseworker and case.organization == world.care
    assert case.risk_level == "medium" and case.case_type == "gbv"
    person = case.client
    assert person.given_names == "Rosa Inventada"
    assert person.age_band == "26-59"
    assert person.safe_to_call is False and person.safe_to_message is True
    assert person.disability == {"seeing": "no", "walking": "a_lot"}
    assert person.has_disability is True
    assert person.languages == ["es"]
    assert person.document_hash
    page = html(client.get(response["Location"]))
    assert "Rosa Inventada" in page and "mandarina" in page


def test_supervisor_assigns_the_new_case(login: Any, world: Any) -> None:
    client = login(world.user("supervisor.care"))
    assert 'name="caseworker"' in html(client.get(CREATE))
    target = world.user("caseworker.care")
    response = client.post(CREATE, intake_data(caseworker=str(target.uuid)))
    assert response.status_code == 302
    assert Case.objects.get().caseworker == target
    # A caseworker of another agency is not a choice.
    other = world.user("caseworker.hias")
    response = client.post(CREATE, intake_data(caseworker=str(other.uuid)))
    assert response.status_code == 200
    assert Case.objects.count() == 1


def test_intake_errors_keep_what_was_typed(login: Any, world: Any) -> None:
    client = login(world.user("caseworker.care"))
    response = client.post(
        CREATE, intake_data(case_type=None, risk_level="urgent", given_names="Nombre Tecleado")
    )
    assert response.status_code == 200
    page = html(response)
    assert "Nothing was saved" in page
    assert 'value="Nombre Tecleado"' in page
    assert 'value="mandarina"' in page
    assert "Say why the risk is high or urgent." in page
    assert Case.objects.count() == 0 and Client.objects.count() == 0


def test_intake_warns_about_a_duplicate_document(login: Any, world: Any) -> None:
    client = login(world.user("caseworker.care"))
    response = client.post(CREATE, intake_data())
    assert response.status_code == 302
    client.get(response["Location"])  # shows (and uses up) the "Case ... is open" message
    first = Case.objects.get()
    # Same number written differently: the comparison is on the normalised keyed hash.
    response = client.post(CREATE, intake_data(document_number="ab 123456"))
    page = html(response)
    assert response.status_code == 200
    assert "A client with this document already exists in your agency" in page
    assert first.code not in page
    assert str(first.uuid) not in page
    assert Case.objects.count() == 1
    response = client.post(CREATE, intake_data(document_number="ab 123456", confirm_duplicate="on"))
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_no_duplicate_warning_across_agencies(login: Any, world: Any) -> None:
    make_case(world.user("caseworker.hias"), document_number="AB-123.456")
    client = login(world.user("caseworker.care"))
    assert client.post(CREATE, intake_data()).status_code == 302


# --- Client details ----------------------------------------------------------------------
def test_edit_the_client(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    before = reads(care_case)
    page = html(client.get(url("client_edit", care_case)))
    assert reads(care_case) == before + 1
    assert f'value="{CODE_WORD}"' in page
    response = client.post(
        url("client_edit", care_case),
        intake_data(code_word="nueva-palabra", age="", age_band="6-11"),
    )
    assert response.status_code == 302
    person = Client.objects.get(pk=care_case.client_id)
    assert person.code_word == "nueva-palabra"
    assert person.age is None and person.age_band == "6-11"


# --- Consent -----------------------------------------------------------------------------
def consent_data(**changes: Any) -> dict[str, Any]:
    data = {
        "purpose": "reporting",
        "given_by": "self",
        "method": "verbal",
        "given_on": timezone.localdate().isoformat(),
    }
    data.update(changes)
    return data


def test_record_and_withdraw_consent(login: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"), consent=False)
    client = login(world.user("caseworker.care"))
    page = html(client.get(url("case_detail", case)))
    assert page.count("cs-consent-missing") == 4
    response = client.post(url("consent_create", case), consent_data())
    assert response.status_code == 302
    consent = Consent.objects.get(case=case, purpose="reporting")
    page = html(client.get(url("case_detail", case)))
    assert page.count("cs-consent-active") == 1
    withdraw = url("consent_withdraw", case, consent_uuid=consent.uuid)
    assert withdraw in page
    # A confirm step first: a GET changes nothing.
    assert "Confirm the withdrawal" in html(client.get(withdraw))
    consent.refresh_from_db()
    assert consent.is_active
    response = client.post(withdraw, {"note": "Lo pidió"})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.is_active and consent.withdrawn_by == world.user("caseworker.care")
    page = html(client.get(url("case_detail", case)))
    assert page.count("cs-consent-withdrawn") == 1
    # A second withdrawal is refused with the action's message.
    assert "already withdrawn" in html(client.post(withdraw, {"note": ""}))


def test_sharing_consent_names_an_organization(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    response = client.post(url("consent_create", care_case), consent_data(purpose="share"))
    assert response.status_code == 200
    assert "Choose the organization the information may be shared with." in html(response)
    response = client.post(
        url("consent_create", care_case),
        consent_data(purpose="share", recipient=str(world.hias.uuid)),
    )
    assert response.status_code == 302
    assert actions.has_consent(care_case, "share", world.hias)
    assert not actions.has_consent(care_case, "share", world.network)


def test_child_assent_and_the_refusal_message(login: Any, world: Any) -> None:
    case = make_case(world.user("caseworker.care"), consent=False, age=9)
    client = login(world.user("caseworker.care"))
    page = html(client.get(url("consent_create", case)))
    assert "The child&#x27;s assent" in page or "The child's assent" in page
    response = client.post(
        url("consent_create", case),
        consent_data(purpose="services", given_by="caregiver", child_assent="refused"),
    )
    assert response.status_code == 200
    assert "The child did not agree. Do not go ahead" in html(response)
    assert not Consent.objects.filter(case=case).exists()
    response = client.post(
        url("consent_create", case),
        consent_data(purpose="services", given_by="caregiver", child_assent="given"),
    )
    assert response.status_code == 302
    # An adult's form does not ask for assent.
    adult = make_case(world.user("caseworker.care"), consent=False)
    assert 'name="child_assent"' not in html(client.get(url("consent_create", adult)))


def test_work_needing_consent_is_refused_until_recorded(world: Any) -> None:
    case = make_case(world.user("caseworker.care"), consent=False)
    with pytest.raises(actions.ConsentRequired) as refused:
        actions.add_follow_up(world.user("caseworker.care"), case, kind="call")
    assert "No hay un consentimiento vigente" in str(refused.value)  # Spanish by default


# --- Risk and stage -----------------------------------------------------------------------
def test_change_the_risk(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    response = client.post(url("risk_edit", care_case), {"risk_level": "urgent", "risk_reason": ""})
    assert response.status_code == 200
    assert "Say why the risk is high or urgent." in html(response)
    response = client.post(
        url("risk_edit", care_case), {"risk_level": "urgent", "risk_reason": "Amenazas"}
    )
    assert response.status_code == 302
    care_case.refresh_from_db()
    assert care_case.risk_level == "urgent" and care_case.risk_reason == "Amenazas"
    assert AuditEvent.objects.filter(object_uuid=care_case.uuid, action="case.risk_changed")


def test_change_the_stage(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    response = client.post(url("stage_edit", care_case), {"stage": "closure"})
    assert response.status_code == 200
    response = client.post(url("stage_edit", care_case), {"stage": "assessment"})
    assert response.status_code == 302
    care_case.refresh_from_db()
    assert care_case.stage == Stage.ASSESSMENT


# --- Reassignment ------------------------------------------------------------------------
def test_only_a_supervisor_reassigns(login: Any, world: Any, care_case: Case) -> None:
    other = make_user("caseworker4.care@test.org", Role.CASEWORKER, world.care)
    client = login(world.user("caseworker.care"))
    assert client.get(url("reassign", care_case)).status_code == 404
    assert (
        client.post(url("reassign", care_case), {"caseworker": str(other.uuid)}).status_code == 404
    )
    care_case.refresh_from_db()
    assert care_case.caseworker == world.user("caseworker.care")
    assert "Reassign" not in html(client.get(url("case_detail", care_case)))
    client.logout()

    client = login(world.user("supervisor.care"))
    assert "Reassign" in html(client.get(url("case_detail", care_case)))
    # Someone of another agency is not a choice.
    hias = world.user("caseworker.hias")
    response = client.post(url("reassign", care_case), {"caseworker": str(hias.uuid)})
    assert response.status_code == 200
    response = client.post(url("reassign", care_case), {"caseworker": str(other.uuid)})
    assert response.status_code == 302
    care_case.refresh_from_db()
    assert care_case.caseworker == other
    assert AuditEvent.objects.filter(object_uuid=care_case.uuid, action="case.reassigned")
    client.logout()
    # The previous caseworker no longer sees it.
    client = login(world.user("caseworker.care"))
    assert client.get(url("case_detail", care_case)).status_code == 404


# --- Closure and reopening ------------------------------------------------------------------
def test_request_closure_then_reopen(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    data = {"reason": "needs_met", "satisfaction": "satisfied", "note": "Todo bien"}
    response = client.post(url("closure_create", care_case), data)
    assert response.status_code == 302
    closure = Closure.objects.get(case=care_case)
    assert closure.state == ApprovalState.PENDING
    page = html(client.get(url("case_detail", care_case)))
    assert "A closure is waiting for a supervisor&#x27;s approval." in page or (
        "A closure is waiting for a supervisor's approval." in page
    )
    # A second request is refused with the action's message.
    response = client.post(url("closure_create", care_case), data)
    assert response.status_code == 200
    assert "A closure is already waiting for approval." in html(response)
    # Reopening an open case is refused.
    response = client.post(url("reopen", care_case), {"reason": "x"})
    assert "Only a closed case can be reopened." in html(response)

    approval = ApprovalRequest.objects.get(case=care_case, kind=ApprovalKind.CLOSURE)
    actions.decide_approval(world.user("supervisor.care"), approval, approve=True)
    care_case.refresh_from_db()
    assert care_case.status == CaseStatus.CLOSED

    page = html(client.get(url("case_detail", care_case)))
    assert url("reopen", care_case) in page
    response = client.post(url("reopen", care_case), {"reason": ""})
    assert response.status_code == 200
    response = client.post(url("reopen", care_case), {"reason": "Volvió a pedir apoyo"})
    assert response.status_code == 302
    care_case.refresh_from_db()
    assert care_case.status == CaseStatus.OPEN and care_case.stage == Stage.FOLLOW_UP
    closure.refresh_from_db()
    assert closure.reopen_reason == "Volvió a pedir apoyo"


def test_changes_are_post_only(login: Any, world: Any, care_case: Case) -> None:
    client = login(world.user("caseworker.care"))
    client.get(url("closure_create", care_case), {"reason": "needs_met", "satisfaction": "very"})
    client.get(url("risk_edit", care_case), {"risk_level": "urgent", "risk_reason": "x"})
    assert not Closure.objects.filter(case=care_case).exists()
    care_case.refresh_from_db()
    assert care_case.risk_level == RiskLevel.LOW
    assert client.put(url("risk_edit", care_case)).status_code == 405
