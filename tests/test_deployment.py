"""Production refuses unsafe settings (issue 11, findings 2 and 13, acceptance 2): `check --deploy`
fails, naming the setting, on a per-process cache, console/file e-mail or SMS, a missing
WAGTAILADMIN_BASE_URL or TOTP_ENCRYPTION_KEY; and gunicorn's WSGI module refuses to load."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from .test_foundation import ROOT, run_manage

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-check-0123456789-abcdefghij",
    "PII_HASH_KEY": "a-separate-key-for-personal-data-hashes",
    "TOTP_ENCRYPTION_KEY": "a-third-key-for-authenticator-secrets-0123456789",
    "WAGTAILADMIN_BASE_URL": "https://www.example.gov.cn",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.gov.cn",
    "SMS_API_URL": "https://sms.example.gov.cn/send",
    "SMS_API_TOKEN": "a-token",
}
UNSET = {
    "EMAIL_BACKEND",
    "SMS_BACKEND",
    "ALLOW_LOCAL_MESSAGE_BACKENDS",
    "ELASTICSEARCH_URL",
    "ELASTICSEARCH_API_KEY",
}


def check_deploy(**changes):
    env = {**PRODUCTION, **{name: "" for name in UNSET}, **changes}
    return run_manage("check", "--deploy", "--fail-level", "ERROR", env_overrides=env)


def side_by_side(run, *environments):
    """`run(**changes)` for each environment, each in its own process, all started together:
    each start of Django takes seconds, and on several cores they overlap."""
    with ThreadPoolExecutor(max_workers=len(environments)) as pool:
        return list(pool.map(lambda changes: run(**changes), environments))


def test_a_complete_production_environment_passes():
    result = check_deploy()
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\(((?:security|portal)\.[WE]\d+)\)", result.stderr))
    # HSTS and the HTTPS redirect are configured on the reverse proxy (see README).
    assert reported <= {"security.W004", "security.W008"}, result.stderr


def test_check_deploy_fails_naming_each_unsafe_setting():
    result, missing = side_by_side(
        check_deploy,
        {
            "CACHE_URL": "",
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "SMS_BACKEND": "portal.sms.FileBackend",
            "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8000",
            "TOTP_ENCRYPTION_KEY": "short",
        },
        {"SMS_API_URL": "", "WAGTAILADMIN_BASE_URL": "", "TOTP_ENCRYPTION_KEY": ""},
    )
    assert result.returncode != 0
    for named in (
        "portal.E001) CACHES['default'] uses LocMemCache",
        "portal.E002) EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend",
        "portal.E003) SMS_BACKEND is portal.sms.FileBackend",
        "portal.E005) WAGTAILADMIN_BASE_URL is 'http://127.0.0.1:8000'",
        "portal.E006) TOTP_ENCRYPTION_KEY is missing or shorter than 32 characters",
    ):
        assert named in result.stderr, result.stderr

    assert missing.returncode != 0
    for named in (
        "portal.E004) SMS_BACKEND is portal.sms.HttpApiBackend but SMS_API_URL",
        "portal.E005",
        "portal.E006",
    ):
        assert named in missing.stderr, missing.stderr


def test_local_message_backends_pass_only_when_explicitly_allowed():
    allowed = check_deploy(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        SMS_BACKEND="portal.sms.ConsoleBackend",
        ALLOW_LOCAL_MESSAGE_BACKENDS="true",
    )
    assert allowed.returncode == 0, allowed.stderr


def test_an_unauthenticated_search_cluster_is_reported():
    result, with_password, with_api_key = side_by_side(
        check_deploy,
        {"ELASTICSEARCH_URL": "http://127.0.0.1:9200"},
        {"ELASTICSEARCH_URL": "https://portal:secret@es1:9200,https://portal:secret@es2:9200"},
        {"ELASTICSEARCH_URL": "https://es1:9200", "ELASTICSEARCH_API_KEY": "a2V5"},
    )
    assert "portal.W001" in result.stderr and "ELASTICSEARCH_API_KEY" in result.stderr
    assert "portal.W001" not in with_password.stderr
    assert "portal.W001" not in with_api_key.stderr


def load_wsgi(**changes):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY"}}
    env.update({**PRODUCTION, **{name: "" for name in UNSET}, **changes})
    return subprocess.run(
        [sys.executable, "-c", "import portal.wsgi; print('loaded')"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_wsgi_application_refuses_to_load_in_an_unsafe_production():
    refused, loaded = side_by_side(load_wsgi, {"CACHE_URL": "", "WAGTAILADMIN_BASE_URL": ""}, {})
    assert refused.returncode != 0 and "loaded" not in refused.stdout
    assert "Refusing to start" in refused.stderr
    assert "portal.E001" in refused.stderr and "portal.E005" in refused.stderr
    assert loaded.returncode == 0 and "loaded" in loaded.stdout, loaded.stderr
