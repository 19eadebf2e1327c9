"""The public HSDS 3.0 API, mounted at /api/hsds/ (outside the language prefixes).

Paths have no trailing slash, as in the HSDS openapi.json.
"""

from django.urls import path

from ruta.directory.page_cache import cache_public_page
from ruta.hsds import api

# Every answer but the export is kept for the directory's version (#18 §3): a change to the
# directory shows on the next request.
kept = cache_public_page("hsds")

app_name = "hsds"

urlpatterns = [
    path("", kept(api.RootView.as_view()), name="root"),
    path("services", kept(api.ServiceListView.as_view()), name="services"),
    path("services/<str:id>", kept(api.ServiceDetailView.as_view()), name="service"),
    path("organizations", kept(api.OrganizationListView.as_view()), name="organizations"),
    path("organizations/<str:id>", kept(api.OrganizationDetailView.as_view()), name="organization"),
    path(
        "service_at_locations",
        kept(api.ServiceAtLocationListView.as_view()),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:id>",
        kept(api.ServiceAtLocationDetailView.as_view()),
        name="service_at_location",
    ),
    path("taxonomies", kept(api.TaxonomyListView.as_view()), name="taxonomies"),
    path("taxonomies/<str:id>", kept(api.TaxonomyDetailView.as_view()), name="taxonomy"),
    path("taxonomy_terms", kept(api.TaxonomyTermListView.as_view()), name="taxonomy_terms"),
    path(
        "taxonomy_terms/<str:id>", kept(api.TaxonomyTermDetailView.as_view()), name="taxonomy_term"
    ),
    path("export.zip", api.ExportView.as_view(), name="export"),
]
