"""The training programme pages: one module per area, each with its own ``urlpatterns``."""
