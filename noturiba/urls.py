from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("noturiba.web.urls")),
    path("accounts/", include("noturiba.accounts.urls")),
    path("directory/", include("noturiba.network.urls")),
    path("", include("noturiba.alerts.urls")),
    path("api/", include("noturiba.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
