"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the environment;
with nothing set the portal runs on the embedded default (SQLite, database search,
local-memory cache, immediate tasks) so that one command starts it.
"""

import os
import shutil
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Key for hashes of ID numbers and phones (portal.pii.pii_hash); kept apart from SECRET_KEY
# so that rotating one does not break the other.
PII_HASH_KEY = os.environ.get("PII_HASH_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "portal",
    "home",
    "search",
    "services.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "captcha",
    "axes",
    "csp",
    "services.letters",
    "services.cases",
    "services.appointments",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs, with the headers it had.
    "portal.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any view or process_view (CSRF reads POST): oversized bodies are refused unread.
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "services.accounts.middleware.StaffSecondFactorMiddleware",
    "services.accounts.middleware.RateLimitedMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    # Last, so that it sees a lockout flagged by the authentication backend.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_chrome",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    # The embedded default (`make demo`): a transaction takes SQLite's write lock as it begins and
    # waits up to 20 s for another writer, instead of failing at once with "database is locked"
    # when two requests book, rate or reschedule at the same moment.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out account or address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Cache -----------------------------------------------------------------
# Rate limits, lockouts and the "TOTP code already used" markers are counted in this cache, so
# with more than one app server it must be shared (Redis or the database); production refuses
# a per-process cache (portal.checks).
CACHE_URL = os.environ.get("CACHE_URL", "")


def cache_from_url(url, name):
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("db://"):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": url.removeprefix("db://") or name}
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}


# Full pages for anonymous visitors (portal.page_cache). Production gives them a Redis of their
# own (PAGE_CACHE_URL), so that pages pushed out of memory are never the rate-limit counters.
PAGE_CACHE_URL = os.environ.get("PAGE_CACHE_URL", "") or CACHE_URL
CACHES = {"default": cache_from_url(CACHE_URL, "portal_cache"), "pages": cache_from_url(PAGE_CACHE_URL, "portal_pages")}
# Keeps the pages of several sites (or test runs) sharing one Redis apart.
CACHES["pages"]["KEY_PREFIX"] = os.environ.get("PAGE_CACHE_KEY_PREFIX", "")

# Seconds a public page is kept for anonymous visitors (0: no page cache). Publishing purges the
# affected pages at once, so this only bounds what no purge reaches (e.g. a bulk SQL update).
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Views whose pages are the same for every anonymous visitor (by URL name).
# Not the site search: each answer records its query for the weekly report and follows the
# editors' synonym table and pinned results at once.
PAGE_CACHE_VIEWS = [
    "wagtail_serve",
    "accessibility",
    "letters:list",
    "letters:detail",
    "cases:documents",
    "cases:document_detail",
]
# Never looked up nor stored, whatever the view: personal, form and staff pages, files.
PAGE_CACHE_NEVER = [
    "/admin/",
    "/accounts/",
    "/letters/write/",
    "/letters/track/",
    "/letters/mine/",
    "/cases/query/",
    "/cases/lawyer/",
    "/cases/import/",
    "/captcha/",
    "/display-mode/",
    "/healthz",
    "/static/",
    "/media/",
    "/documents/",
]
# nginx's purge listener (deploy/nginx/portal.conf, e.g. http://127.0.0.1:8081): purges are sent
# there by Wagtail's frontend-cache task (wagtail.contrib.frontend_cache) from the task worker.
PAGE_CACHE_PURGE_URL = os.environ.get("PAGE_CACHE_PURGE_URL", "")
# A page rendered while a change was committing can reach nginx after the purge: purge again.
PAGE_CACHE_REPURGE_SECONDS = int(os.environ.get("PAGE_CACHE_REPURGE_SECONDS", "30"))
if PAGE_CACHE_PURGE_URL:
    WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "portal.page_cache.NginxPurgeBackend", "LOCATION": PAGE_CACHE_PURGE_URL}
    }

# --- Background tasks ------------------------------------------------------
# "immediate" runs a task in the web process after the transaction commits;
# "database" queues it in PostgreSQL for `manage.py db_worker` (the production shape).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND],
        "ENQUEUE_ON_COMMIT": True,
    }
}

# --- Search ----------------------------------------------------------------
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "portal")
# "shingle" works on every Elasticsearch distribution; "ik" or "smartcn" need the plugin installed.
SEARCH_CHINESE_ANALYZER = os.environ.get("SEARCH_CHINESE_ANALYZER", "shingle")
SEARCH_TIMEOUT = int(os.environ.get("SEARCH_TIMEOUT", "5"))
# The cluster holds the full text of letters: production clusters require authentication, by
# credentials in the URL (https://user:password@es1:9200) or an API key, over verified TLS.
ELASTICSEARCH_API_KEY = os.environ.get("ELASTICSEARCH_API_KEY", "")
ELASTICSEARCH_CA_CERTS = os.environ.get("ELASTICSEARCH_CA_CERTS", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backend",
            "URLS": env_list("ELASTICSEARCH_URL"),
            "INDEX_PREFIX": f"{SEARCH_INDEX_PREFIX}_wagtail_",
            "TIMEOUT": SEARCH_TIMEOUT,
            "ATOMIC_REBUILD": True,
            "OPTIONS": {
                key: value
                for key, value in {"api_key": ELASTICSEARCH_API_KEY, "ca_certs": ELASTICSEARCH_CA_CERTS}.items()
                if value
            },
        },
    }
else:
    # Substring matching: the full-text engines of SQLite and PostgreSQL cannot segment Chinese.
    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database.fallback"}}

# --- Internationalisation ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]

# --- Static and media --------------------------------------------------------
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads that must never be served directly (letter attachments): outside MEDIA_ROOT.
LETTERS_PRIVATE_ROOT = Path(os.environ.get("LETTERS_PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded images and documents are served through Django's check of who may have them
# (home.files); behind nginx set MEDIA_ACCEL_REDIRECT_PREFIX=/_media/ so nginx sends the bytes
# (deploy/nginx/media.conf). Public files are cached MEDIA_CACHE_MAX_AGE seconds (7 days).
MEDIA_ACCEL_REDIRECT_PREFIX = os.environ.get("MEDIA_ACCEL_REDIRECT_PREFIX", "")
MEDIA_CACHE_MAX_AGE = int(os.environ.get("MEDIA_CACHE_MAX_AGE", str(7 * 24 * 3600)))
SENDFILE_BACKEND = "portal.media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Whole request bodies, refused from Content-Length before they are read (portal.middleware);
# views that take uploads declare their own limit with portal.http.request_body_limit.
REQUEST_BODY_MAX_BYTES = int(os.environ.get("REQUEST_BODY_MAX_BYTES", str(1024 * 1024)))
# Signed-in staff in the admin (image and document uploads).
REQUEST_BODY_MAX_BYTES_STAFF = int(os.environ.get("REQUEST_BODY_MAX_BYTES_STAFF", str(64 * 1024 * 1024)))
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.gov.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Production refuses console/file e-mail and SMS backends unless this says they are intended.
ALLOW_LOCAL_MESSAGE_BACKENDS = env_bool("ALLOW_LOCAL_MESSAGE_BACKENDS")
# Production: the WSGI application refuses to load while a deployment check fails (portal.checks).
PORTAL_REFUSE_UNSAFE_DEPLOYMENT = False

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "青山县人民政府")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "ofd", "wps", "txt", "zip"]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# A file the public or a review relies on keeps its file and public text (home.files).
WAGTAILIMAGES_IMAGE_FORM_BASE = "home.file_admin.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "home.file_admin.DocumentForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = True
# Editorial review (home.review): completing the workflow is the only way an article goes live.
WAGTAIL_FINISH_WORKFLOW_ACTION = "home.publishing.publish_approved"
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False  # the site administrator is not a reviewer
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin either

# --- Content-Security-Policy (django-csp) and Permissions-Policy ----------------------
# Public pages: no inline script or style, no javascript: URLs, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Wagtail's admin still writes inline scripts and styles (inline panels, date pickers) and
# evaluates templates; it gets them, and only under /admin/ (portal.middleware).
ADMIN_CONTENT_SECURITY_POLICY = {
    **CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), usb=(), interest-cohort=()"
)

# --- Logging ---------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "elastic_transport": {"level": "ERROR"},
        "elasticsearch": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}

# Reverse proxies in front of the app (nginx: 1); client addresses for rate limits are read
# from the X-Forwarded-For entry the last trusted proxy wrote.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# --- Public accounts (services.accounts on django-allauth) ------------------------
LOGIN_URL = "account_login"
# Private pages (the admin's 隐私 setting) send visitors to the same sign-in as everything else.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "accounts:overview"
ACCOUNT_ADAPTER = "services.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "services.accounts.forms.LoginForm",
    "signup": "services.accounts.forms.SignupForm",
    "reset_password": "services.accounts.forms.ResetPasswordForm",
    "request_login_code": "services.accounts.forms.RequestLoginCodeForm",
}
# Citizens and lawyers sign in by mobile number or e-mail, staff by user name.
ACCOUNT_LOGIN_METHODS = {"phone", "email", "username"}
# The sign-up form requires a mobile number (verified by SMS code); an e-mail address is
# optional. "phone" is not starred here because allauth would then refuse to sign in staff
# accounts, which have no mobile number; hence the silenced cross-check below.
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
# Sign-in by a texted (or e-mailed) code; right after one, a new password may be set without
# the old one. That is how people who registered only a mobile number reset their password.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNTS_NEW_PASSWORD_WINDOW = 10 * 60
# Saves of real-name data per account and day, so that ID numbers cannot be tried in bulk.
ACCOUNTS_REAL_NAME_SAVES_PER_DAY = int(os.environ.get("ACCOUNTS_REAL_NAME_SAVES_PER_DAY", "5"))
ACCOUNT_SESSION_REMEMBER = False
# People are named by their real name (User.__str__: display name, else family and given name),
# the user name only when neither is known: 「刘志国，您已登录。」, not 「chief，您已登录。」.
ACCOUNT_USER_DISPLAY = str
# Six digits, the form people know from every other service's text messages.
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{WAGTAIL_SITE_NAME}] "
# Sign-ups per address: counted by the sign-up form (services.accounts.ratelimits), which is
# shown again with what was typed; allauth's own check would answer a bare 429 page.
ACCOUNTS_SIGNUP_RATE_LIMIT = os.environ.get("ACCOUNT_RATE_LIMIT_SIGNUP", "5/m/ip,20/h/ip")
ACCOUNT_RATE_LIMITS = {
    "signup": False,
    # SMS codes cost money and can be used to harass: per number and per address.
    "verify_phone": os.environ.get("ACCOUNT_RATE_LIMIT_SMS", "1/m/key,5/h/key,10/h/ip"),
    "change_phone": "1/m/user",
    "reset_password": "5/m/ip,3/m/key",
    "request_login_code": "5/m/ip,3/m/key",
    # Repeated password failures are handled by django-axes (services.accounts.lockout), wrong
    # second-factor codes by services.accounts.second_factor: allauth's own limit is per login
    # only and would let anyone lock the owner out.
    "login_failed": False,
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Accept the code of the neighbouring 30-second period too: phone clocks drift, and older
# staff type slowly. Each code is still accepted only once.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "services.accounts.second_factor.MFAAdapter"
MFA_FORMS = {
    "authenticate": "services.accounts.forms.AuthenticateForm",
    "reauthenticate": "services.accounts.forms.ReauthenticateForm",
}
# Wrong codes (TOTP or recovery code) per account before code entry pauses, and for how long.
MFA_CODE_FAILURE_LIMIT = int(os.environ.get("MFA_CODE_FAILURE_LIMIT", "5"))
MFA_CODE_LOCK_MINUTES = int(os.environ.get("MFA_CODE_LOCK_MINUTES", "15"))
# Authenticator secrets are encrypted with this key (comma-separated: the first encrypts, all
# decrypt, for rotation). Required in production; kept out of the database by design.
TOTP_ENCRYPTION_KEYS = env_list("TOTP_ENCRYPTION_KEY")

# 图形验证码 (portal/captcha.py) on every public form that needs one. The audio version is
# spoken by Debian's espeak-ng (Mandarin voice); without it the page offers no audio link.
CAPTCHA_CHALLENGE_FUNCT = "portal.captcha.arithmetic_challenge"
CAPTCHA_ESPEAK_PATH = os.environ.get("CAPTCHA_ESPEAK_PATH") or shutil.which("espeak-ng")
# Minutes a picture stays valid: long enough to write a letter slowly.
CAPTCHA_TIMEOUT = int(os.environ.get("CAPTCHA_TIMEOUT_MINUTES", "30"))
CAPTCHA_FONT_SIZE = 32
CAPTCHA_IMAGE_SIZE = (200, 64)
CAPTCHA_FOREGROUND_COLOR = "#1a1a1a"
# Login failures (per account or per address) after which the login form asks for a captcha.
ACCOUNTS_LOGIN_CAPTCHA_AFTER = int(os.environ.get("ACCOUNTS_LOGIN_CAPTCHA_AFTER", "2"))

# Lockout of one account from one client address after repeated failures, for a pause that
# doubles with every further failure (services.accounts.lockout.cooloff); the owner elsewhere is
# only asked for a captcha. Staff unlock in the admin; administrators are alerted.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = "services.accounts.lockout.cooloff"
AXES_USE_ATTEMPT_EXPIRATION = True
ACCOUNTS_LOCKOUT_MINUTES = int(os.environ.get("ACCOUNTS_LOCKOUT_MINUTES", "15"))
ACCOUNTS_LOCKOUT_MAX_HOURS = int(os.environ.get("ACCOUNTS_LOCKOUT_MAX_HOURS", "24"))
# Failures from one address over all accounts after which that address may not try any login.
ACCOUNTS_ADDRESS_FAILURE_LIMIT = int(os.environ.get("ACCOUNTS_ADDRESS_FAILURE_LIMIT", "20"))
# Failures against one account from all addresses after which administrators are alerted.
ACCOUNTS_ALERT_AFTER_FAILURES = int(os.environ.get("ACCOUNTS_ALERT_AFTER_FAILURES", "10"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "services.accounts.lockout.lockout_key"
AXES_LOCKOUT_CALLABLE = "services.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False  # its log lines name the login (a phone number or e-mail address)
# Masked in the request data axes keeps with each attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "login", "phone", "email", "code"]
# X-Forwarded-For is trusted only when a count of reverse proxies in front is configured;
# otherwise a client could name any address and dodge the per-address lockout.
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# SMS: one interface (portal.sms) for every app; console by default, a provider by settings.
SMS_BACKEND = os.environ.get("SMS_BACKEND") or "portal.sms.ConsoleBackend"
SMS_FILE_PATH = Path(os.environ.get("SMS_FILE_PATH", VAR_DIR / "sms"))
SMS_API_URL = os.environ.get("SMS_API_URL", "")
SMS_API_TOKEN = os.environ.get("SMS_API_TOKEN", "")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", WAGTAIL_SITE_NAME)

# Lawyer certificate scans: outside MEDIA_ROOT, served only through a permission-checked view.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
ACCOUNTS_CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
CASES_BINDING_LETTER_MAX_BYTES = 5 * 1024 * 1024
# --- Domain settings (defaults that administrators may change) ------------------
PORTAL_SITE = {
    "name": WAGTAIL_SITE_NAME,
    "sponsor": os.environ.get("PORTAL_SPONSOR", "青山县人民政府办公室"),
    "site_code": os.environ.get("PORTAL_SITE_CODE", "0000000000"),
    "icp": os.environ.get("PORTAL_ICP", "X ICP备00000000号"),
    "police_record": os.environ.get("PORTAL_POLICE_RECORD", "X公网安备 00000000000000号"),
    "org_code": os.environ.get("PORTAL_ORG_CODE", "000000000"),
}

# Freshness monitor (home.freshness): days after which a column fails the national inspection
# (国办秘函〔2019〕19号), and how many days before that an editor is warned.
PORTAL_FRESHNESS = {
    "home_days": int(os.environ.get("PORTAL_FRESHNESS_HOME_DAYS", "14")),
    "news_days": int(os.environ.get("PORTAL_FRESHNESS_NEWS_DAYS", "14")),
    "notices_days": int(os.environ.get("PORTAL_FRESHNESS_NOTICES_DAYS", "182")),
    "policy_days": int(os.environ.get("PORTAL_FRESHNESS_POLICY_DAYS", "182")),
    "warn_ratio": float(os.environ.get("PORTAL_FRESHNESS_WARN_RATIO", "0.75")),
}
