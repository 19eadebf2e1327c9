"""A certificate as data, as a printable page and as a PDF (WeasyPrint).

The PDF carries the person's name, the course, its modules and hours, the date, the
organizers and the verification code with the public address where anyone can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language

from ruta.lib.geo import country_name
from ruta.lib.links import absolute_url
from ruta.trainings.models import Certificate, Module

PRINT_CSS = "ruta/trainings-certificate.css"


@dataclass
class CertificateView:
    certificate: Certificate
    name: str
    course_title: str
    modules: list[Module]
    hours: Decimal
    date: str
    organizers: list[str]
    place: str
    code: str
    verify_url: str
    revoked: bool


def verify_url(certificate: Certificate) -> str:
    path = reverse("trainings:verify_code", kwargs={"code": certificate.verification_code})
    return absolute_url(path)


def describe(certificate: Certificate) -> CertificateView:
    enrolment = certificate.enrolment
    course = enrolment.course
    modules = list(course.modules.order_by("order", "pk"))
    language = (get_language() or "es")[:2]
    return CertificateView(
        certificate=certificate,
        name=enrolment.person.full_name,
        course_title=course.title,
        modules=modules,
        hours=sum((m.hours for m in modules), Decimal(0)),
        date=date_format(timezone.localtime(certificate.issued_at).date(), "DATE_FORMAT"),
        organizers=[o.display_name for o in course.organizers.order_by("name")],
        place=country_name(course.country, language) if course.country else "",
        code=certificate.display_code,
        verify_url=verify_url(certificate),
        revoked=certificate.revoked_at is not None,
    )


def file_name(certificate: Certificate) -> str:
    course = slugify(certificate.enrolment.course.title)[:50] or "curso"
    return f"certificado-{course}-{certificate.verification_code}.pdf"


def _css() -> str:
    path = finders.find(PRINT_CSS)
    if not path:
        from django.contrib.staticfiles.storage import staticfiles_storage

        path = staticfiles_storage.path(PRINT_CSS)
    return Path(str(path)).read_text(encoding="utf-8")


def certificate_html(view: CertificateView) -> str:
    context: dict[str, Any] = {"c": view, "LANGUAGE_CODE": (get_language() or "es")[:2]}
    return render_to_string("trainings/certificate_print.html", context)


def certificate_pdf(certificate: Certificate) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # Self-contained: nothing is fetched (no network, no files).
    no_fetch = URLFetcher(allowed_protocols=())
    html = certificate_html(describe(certificate))
    document = weasyprint.HTML(string=html, url_fetcher=no_fetch)
    result: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=_css())])
    return result
