from django.contrib import admin
from django.urls import include, path

from noturiba.alerts.views import public as alert_public_views

urlpatterns = [
    path("", include("noturiba.web.urls")),
    path("accounts/", include("noturiba.accounts.urls")),
    path("directory/", include("noturiba.network.urls")),
    path("", include("noturiba.alerts.urls")),
    path("", include("noturiba.training.urls")),
    path("requests/", include("noturiba.assistance.urls")),
    path("shelters/", include("noturiba.shelters.urls")),
    path("cap/feed.atom", alert_public_views.cap_feed, name="cap_feed"),
    path("api/", include("noturiba.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
