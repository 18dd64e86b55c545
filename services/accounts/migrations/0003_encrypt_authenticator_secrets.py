"""Encrypt the authenticator secrets allauth stored in clear (TOTP secret, recovery-code seed and
migrated codes) with TOTP_ENCRYPTION_KEY; the reverse decrypts them again."""

from django.db import migrations

from services.accounts.second_factor import is_sealed, seal, unseal


def _convert(apps, change, wanted):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        for field in ("secret", "seed"):
            if field in data and is_sealed(data[field]) != wanted:
                data[field] = change(data[field])
        if "migrated_codes" in data:
            data["migrated_codes"] = [code if is_sealed(code) == wanted else change(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


def encrypt(apps, schema_editor):
    _convert(apps, seal, True)


def decrypt(apps, schema_editor):
    _convert(apps, unseal, False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profiles_and_lawyer_verification"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
