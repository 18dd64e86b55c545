"""Local development and `make demo`: the embedded default."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-use-in-production"  # noqa: F405
VAR_DIR.mkdir(parents=True, exist_ok=True)
PII_HASH_KEY = PII_HASH_KEY or "dev-only-pii-hash-key"  # noqa: F405
TOTP_ENCRYPTION_KEYS = TOTP_ENCRYPTION_KEYS or ["dev-only-totp-encryption-key-never-use-in-production"]  # noqa: F405
