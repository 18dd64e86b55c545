import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_wsgi_application()

if settings.PORTAL_REFUSE_UNSAFE_DEPLOYMENT:
    from portal.checks import refuse_unsafe_deployment

    refuse_unsafe_deployment()
