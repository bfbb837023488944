from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "noturiba.api"
    label = "api"
    verbose_name = "API"
