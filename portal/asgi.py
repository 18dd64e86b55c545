import os

from django.conf import settings
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

application = get_asgi_application()

if settings.PORTAL_REFUSE_UNSAFE_DEPLOYMENT:
    from portal.checks import refuse_unsafe_deployment

    refuse_unsafe_deployment()
