from django.urls import path

from noturiba.network import views_io
from noturiba.network.views import agreements, directory, institutions, organisations, people

app_name = "network"

urlpatterns = [
    path("", directory.directory, name="directory"),
    path("map/", directory.map_page, name="map"),
    path("map.geojson", directory.map_geojson, name="map_geojson"),
    # Organisations
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/delete/",
        organisations.organisation_delete,
        name="organisation_delete",
    ),
    # People
    path("organisations/<int:pk>/people/", people.organisation_people, name="organisation_people"),
    path("organisations/<int:pk>/people/add/", people.person_add, name="person_add"),
    path(
        "organisations/<int:pk>/people/<int:person_pk>/role/",
        people.membership_edit,
        name="membership_edit",
    ),
    path(
        "organisations/<int:pk>/people/<int:person_pk>/remove/",
        people.membership_remove,
        name="membership_remove",
    ),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    # Institutions and agreements
    path("institutions/", institutions.institution_list, name="institutions"),
    path("institutions/new/", institutions.institution_create, name="institution_create"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution"),
    path("institutions/<int:pk>/edit/", institutions.institution_edit, name="institution_edit"),
    path(
        "organisations/<int:pk>/agreements/add/",
        agreements.agreement_create,
        name="agreement_create",
    ),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/delete/", agreements.agreement_delete, name="agreement_delete"),
    # Import and export
    path("import/", views_io.import_start, name="import"),
    path("import/<int:pk>/", views_io.import_batch, name="import_batch"),
    path("import/<int:pk>/apply/", views_io.import_apply, name="import_apply"),
    path("import/<int:pk>/retry/", views_io.import_retry, name="import_retry"),
    path("export/<slug:fmt>/", views_io.export_directory, name="export"),
]
