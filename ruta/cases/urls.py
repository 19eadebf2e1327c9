"""Case management routes, one module per part, under the ``cases`` namespace."""

from __future__ import annotations

from ruta.cases import urls_cases, urls_records, urls_work

app_name = "cases"

urlpatterns = [*urls_cases.urlpatterns, *urls_records.urlpatterns, *urls_work.urlpatterns]
