import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noturiba.settings")
application = get_wsgi_application()

# What was loaded at start (modules, settings, URL patterns) lives as long as the process: keep
# it out of the garbage collector's full passes, which would otherwise scan it during requests.
gc.freeze()
