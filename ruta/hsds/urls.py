"""The public HSDS 3.0 API, mounted at /api/hsds/ (outside the language prefixes).

Paths have no trailing slash, as in the HSDS openapi.json.
"""

from django.urls import path

from ruta.hsds import api

app_name = "hsds"

urlpatterns = [
    path("", api.RootView.as_view(), name="root"),
    path("services", api.ServiceListView.as_view(), name="services"),
    path("services/<str:id>", api.ServiceDetailView.as_view(), name="service"),
    path("organizations", api.OrganizationListView.as_view(), name="organizations"),
    path("organizations/<str:id>", api.OrganizationDetailView.as_view(), name="organization"),
    path(
        "service_at_locations",
        api.ServiceAtLocationListView.as_view(),
        name="service_at_locations",
    ),
    path(
        "service_at_locations/<str:id>",
        api.ServiceAtLocationDetailView.as_view(),
        name="service_at_location",
    ),
    path("taxonomies", api.TaxonomyListView.as_view(), name="taxonomies"),
    path("taxonomies/<str:id>", api.TaxonomyDetailView.as_view(), name="taxonomy"),
    path("taxonomy_terms", api.TaxonomyTermListView.as_view(), name="taxonomy_terms"),
    path("taxonomy_terms/<str:id>", api.TaxonomyTermDetailView.as_view(), name="taxonomy_term"),
    path("export.zip", api.ExportView.as_view(), name="export"),
]
