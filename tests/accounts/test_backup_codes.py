"""Backup codes are kept as an HMAC under the secret key: a database dump alone cannot be
searched for them, and codes issued before the change keep working."""

import hashlib
from importlib import import_module

import pytest
from django.apps import apps

from tests.factories import BackupCodeDeviceFactory
from wnwa.accounts.models import BackupCode

pytestmark = pytest.mark.django_db

keyed_hash = import_module("wnwa.accounts.migrations.0003_backup_codes_keyed_hash")


def plain_digest(device, code: str) -> str:
    """How codes were stored before: SHA-256 of the device id and the code."""
    return hashlib.sha256(f"{device.pk}:{code}".encode()).hexdigest()


def test_a_stored_code_is_not_its_plain_hash_and_works_once():
    device = BackupCodeDeviceFactory()
    code = device.generate_codes()[0]
    stored = set(device.codes.values_list("code_hash", flat=True))
    assert plain_digest(device, code) not in stored  # a dump plus 2**48 guesses finds nothing
    assert device.verify_token(code)
    assert not device.verify_token(code)


def test_codes_issued_before_keep_working_after_the_migration():
    device = BackupCodeDeviceFactory()
    old_codes = ["a1b2c3-d4e5f6", "0f0f0f-1e1e1e"]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=plain_digest(device, code)) for code in old_codes
    )
    keyed_hash.wrap_digests(apps, None)
    assert device.verify_token("A1B2C3 D4E5F6")  # as people type it
    assert device.verify_token("0f0f0f1e1e1e")
    assert not device.codes.exists()


def test_a_rotated_secret_key_kept_as_a_fallback_still_opens_the_codes(settings):
    device = BackupCodeDeviceFactory()
    first, second = device.generate_codes()[:2]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert device.verify_token(first)
    settings.SECRET_KEY_FALLBACKS = []
    device.throttle_reset()
    assert not device.verify_token(second)  # without the old key, nothing matches
