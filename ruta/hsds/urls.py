"""The public HSDS 3.0 API, mounted at /api/hsds/ (outside the language prefixes).

Paths have no trailing slash, as in the HSDS openapi.json.
"""

from django.urls import path

from ruta.directory.page_cache import cached_public_page
from ruta.hsds import api

# Whole answers are kept per directory version and minute (schedules carry UTC offsets,
# which change with daylight saving time); the export zip, a file stream, is not kept.
cached = cached_public_page(by_minute=True)

app_name = "hsds"

urlpatterns = [
    path("", cached(api.RootView.as_view()), name="root"),
    path("services", cached(api.ServiceListView.as_view()), name="services"),
    path("services/<str:id>", cached(api.ServiceDetailView.as_view()), name="service"),
    path("organizations", cached(api.OrganizationListView.as_view()), name="organizations"),
    path(
        "organizations/<str:id>", cached(api.OrganizationDetailView.as_view()), name="organization"
    ),
    path(
        "service_at_locations",
        cached(api.ServiceAtLocationListView.as_view()),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:id>",
        cached(api.ServiceAtLocationDetailView.as_view()),
        name="service_at_location",
    ),
    path("taxonomies", cached(api.TaxonomyListView.as_view()), name="taxonomies"),
    path("taxonomies/<str:id>", cached(api.TaxonomyDetailView.as_view()), name="taxonomy"),
    path("taxonomy_terms", cached(api.TaxonomyTermListView.as_view()), name="taxonomy_terms"),
    path(
        "taxonomy_terms/<str:id>",
        cached(api.TaxonomyTermDetailView.as_view()),
        name="taxonomy_term",
    ),
    path("export.zip", api.ExportView.as_view(), name="export"),
]
