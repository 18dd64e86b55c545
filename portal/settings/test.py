"""The test run: production shape (PostgreSQL, Elasticsearch, database task queue)."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PII_HASH_KEY = "test-only-pii-hash-key"
TOTP_ENCRYPTION_KEYS = ["test-only-totp-encryption-key-0123456789abcdef"]
# No CAPTCHA_TEST_MODE: tests answer the 图形验证码 from what its picture shows (never the
# stored answer), so a wrong answer is still refused.
# The production backend, but emptying tables with DELETE between transactional tests (tests/postgresql).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Parallel workers (pytest-xdist) each keep to their own indices, cache keys and files; the
# test database of each is already its own (pytest-django adds the worker's name to it).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "portaltest") + WORKER  # noqa: F405
if ELASTICSEARCH_URL:  # noqa: F405
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] = f"{SEARCH_INDEX_PREFIX}_wagtail_"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
SMS_BACKEND = "portal.sms.LocmemBackend"
PRIVATE_MEDIA_ROOT = VAR_DIR / f"test-private{WORKER}"  # noqa: F405
if WORKER:
    MEDIA_ROOT = VAR_DIR / f"test-media-{WORKER}"  # noqa: F405
    LETTERS_PRIVATE_ROOT = VAR_DIR / f"test-letters-private-{WORKER}"  # noqa: F405
# Test runs of several worktrees may share one Redis: each keeps to its own key prefix, and
# clearing the cache deletes only that prefix (tests.cache).
if CACHE_URL.startswith(("redis://", "rediss://")):  # noqa: F405
    CACHES["default"].update(BACKEND="tests.cache.PrefixedRedisCache", KEY_PREFIX=SEARCH_INDEX_PREFIX)  # noqa: F405
    CACHES["pages"].update(BACKEND="tests.cache.PrefixedRedisCache", KEY_PREFIX=f"{SEARCH_INDEX_PREFIX}-pages")  # noqa: F405
