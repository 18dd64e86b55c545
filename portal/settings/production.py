"""Production shape. Refuses to start without a SECRET_KEY from the environment, and (through
`portal.checks`, run by `check --deploy` and when gunicorn loads `portal.wsgi`) without a shared
cache, real e-mail and SMS delivery, WAGTAILADMIN_BASE_URL and TOTP_ENCRYPTION_KEY.

TLS is terminated by the reverse proxy (nginx) in front of gunicorn; it sets
X-Forwarded-Proto, and HSTS / HTTPS redirects are configured there (see README).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import PII_HASH_KEY, SECRET_KEY, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not PII_HASH_KEY:
    raise ImproperlyConfigured("PII_HASH_KEY must be set in the environment for production.")

DEBUG = False
PORTAL_REFUSE_UNSAFE_DEPLOYMENT = True
# Delivered, not printed: the defaults are SMTP and the SMS gateway (both need their settings).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
SMS_BACKEND = os.environ.get("SMS_BACKEND") or "portal.sms.HttpApiBackend"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview frames the site inside its own admin, so frames stay same-origin.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405
# Redirects and HSTS are the reverse proxy's job; they can be switched on here too.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
