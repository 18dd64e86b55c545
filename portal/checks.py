"""Deployment checks (`manage.py check --deploy`): what a production portal must not run with.

Each problem names the setting (and the environment variable) to fix. Production also runs these
checks when gunicorn loads `portal.wsgi` and refuses to start on any of them, so a deployment
that skipped `check --deploy` still cannot serve with, say, a cache that each worker keeps in
its own memory (rate limits and one-time-code markers would then be counted per process).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register, run_checks
from django.core.exceptions import ImproperlyConfigured

TAG = "portal_deploy"

# Caches that one process (or one machine) keeps for itself.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
}
# Backends that write messages to the console, a file or memory instead of delivering them.
LOCAL_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
LOCAL_SMS_BACKENDS = {"portal.sms.ConsoleBackend", "portal.sms.FileBackend", "portal.sms.LocmemBackend"}
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 (a name compared, never bound)


@register(TAG, deploy=True)
def shared_cache(app_configs, **kwargs):
    errors = []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        errors.append(
            Error(
                f"CACHES['default'] uses {backend.rsplit('.', 1)[-1]}, which each process keeps for itself: "
                "rate limits, lockouts and one-time-code markers would be counted per worker.",
                hint="Set CACHE_URL to a shared cache: redis://host:6379/1 or db://portal_cache "
                "(then run `manage.py createcachetable`).",
                id="portal.E001",
            )
        )
    backend = settings.CACHES["pages"]["BACKEND"]
    if settings.PAGE_CACHE_SECONDS and backend in PER_PROCESS_CACHES:
        errors.append(
            Error(
                f"CACHES['pages'] uses {backend.rsplit('.', 1)[-1]}, which each process keeps for itself: a page "
                "purged on publication in one worker would still be served, stale, by the others.",
                hint="Set PAGE_CACHE_URL (or CACHE_URL) to a shared Redis, or PAGE_CACHE_SECONDS=0.",
                id="portal.E007",
            )
        )
    return errors


@register(TAG, deploy=True)
def message_delivery(app_configs, **kwargs):
    if settings.ALLOW_LOCAL_MESSAGE_BACKENDS:
        return []
    errors = []
    if settings.EMAIL_BACKEND in LOCAL_EMAIL_BACKENDS:
        errors.append(
            Error(
                f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: reset codes and notices would be printed or kept "
                "locally, never delivered.",
                hint="Set EMAIL_BACKEND to an SMTP backend with EMAIL_HOST, or ALLOW_LOCAL_MESSAGE_BACKENDS=true "
                "for a deployment that must not send mail.",
                id="portal.E002",
            )
        )
    if settings.SMS_BACKEND in LOCAL_SMS_BACKENDS:
        errors.append(
            Error(
                f"SMS_BACKEND is {settings.SMS_BACKEND}: verification codes and query passwords would be printed or "
                "kept locally, never delivered.",
                hint="Set SMS_BACKEND=portal.sms.HttpApiBackend with SMS_API_URL and SMS_API_TOKEN, or "
                "ALLOW_LOCAL_MESSAGE_BACKENDS=true for a deployment that must not send text messages.",
                id="portal.E003",
            )
        )
    elif settings.SMS_BACKEND == "portal.sms.HttpApiBackend" and not settings.SMS_API_URL:
        errors.append(
            Error(
                "SMS_BACKEND is portal.sms.HttpApiBackend but SMS_API_URL is not set.",
                hint="Set SMS_API_URL and SMS_API_TOKEN to the provider gateway.",
                id="portal.E004",
            )
        )
    return errors


@register(TAG, deploy=True)
def admin_base_url(app_configs, **kwargs):
    url = settings.WAGTAILADMIN_BASE_URL or ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and (parts.hostname or "") not in LOOPBACK_HOSTS:
        return []
    return [
        Error(
            f"WAGTAILADMIN_BASE_URL is {url!r}: links in review and notification e-mails would not reach the site.",
            hint="Set WAGTAILADMIN_BASE_URL to the public address, e.g. https://www.example.gov.cn",
            id="portal.E005",
        )
    ]


@register(TAG, deploy=True)
def totp_encryption_key(app_configs, **kwargs):
    keys = settings.TOTP_ENCRYPTION_KEYS
    if keys and all(len(key) >= 32 for key in keys):
        return []
    return [
        Error(
            "TOTP_ENCRYPTION_KEY is missing or shorter than 32 characters: staff authenticator secrets must be "
            "stored encrypted with a key that is not in the database.",
            hint="Set TOTP_ENCRYPTION_KEY in the environment to a long random string (e.g. `openssl rand -base64 "
            "48`); to rotate, put the new key first and keep the old one after a comma.",
            id="portal.E006",
        )
    ]


@register(TAG, deploy=True)
def search_cluster_authentication(app_configs, **kwargs):
    from search.connection import connection_options, node_urls

    if not settings.ELASTICSEARCH_URL:
        return []
    options = connection_options()
    if options.get("api_key") or all(urlsplit(url).username for url in node_urls()):
        return []
    return [
        Warning(
            "ELASTICSEARCH_URL carries no credentials and ELASTICSEARCH_API_KEY is not set: the search cluster "
            "holds the full text of every letter and must require authentication.",
            hint="Use https://user:password@host:9200 or set ELASTICSEARCH_API_KEY (and ELASTICSEARCH_CA_CERTS "
            "for a private certificate authority).",
            id="portal.W001",
        )
    ]


def refuse_unsafe_deployment():
    """Run the deployment checks above at start-up; raise if any of them fails."""
    errors = [
        message
        for message in run_checks(tags=[TAG], include_deployment_checks=True)
        if message.is_serious() and not message.is_silenced()
    ]
    if errors:
        raise ImproperlyConfigured("Refusing to start:\n" + "\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
