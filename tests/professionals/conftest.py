"""Helpers for the professionals tests: a private folder per test, sample files, a valid form."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def upload(name: str = "licence.pdf", content: bytes = PDF, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def application_data(**overrides) -> dict:
    """A complete, valid application as the browser posts it (files separately)."""
    expires = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    data = {
        "first_name": "Hannah",
        "last_name": "Lindqvist",
        "credentials": "LPC",
        "email": "Hannah@Lakeside-Counseling.test",
        "phone": "(608) 555-0142",
        "website": "lakeside-counseling.test",
        "practice_name": "Lakeside Counseling",
        "street_address": "12 Lake Street",
        "city": "Madison",
        "county": "Dane County",
        "state": "WI",
        "postal_code": "53703",
        "telehealth_states": ["WI", "IL"],
        "specialties": [],
        "languages": [],
        "insurance_carriers": [],
        "plan_types": ["ppo", "self_pay"],
        "promises": ["sees_within_24h"],
        "police_experience": "I have counselled officers and dispatchers since 2015.",
        "association": "ACA",
        "association_other": "",
        "follows_code_of_ethics": "on",
        "fax_number": "",
        "licence-TOTAL_FORMS": "3",
        "licence-INITIAL_FORMS": "0",
        "licence-MIN_NUM_FORMS": "1",
        "licence-MAX_NUM_FORMS": "6",
        "licence-0-kind": "Licensed Professional Counselor",
        "licence-0-number": "WI-12345-125",
        "licence-0-state": "WI",
        "licence-0-expires_on": expires,
    }
    for index in (1, 2):
        for field in ("kind", "number", "state", "expires_on"):
            data[f"licence-{index}-{field}"] = ""
    data.update(overrides)
    return data


@pytest.fixture
def vocabulary_ids(db) -> dict:
    """Primary keys of a few seeded vocabulary rows, as the checkboxes post them."""
    from professionals.models import InsuranceCarrier, Language, Specialty

    return {
        "specialties": [Specialty.objects.get(slug="trauma-ptsd").pk],
        "languages": [
            Language.objects.get(slug="english").pk,
            Language.objects.get(slug="polish").pk,
        ],
        "insurance_carriers": [InsuranceCarrier.objects.get(slug="bcbs").pk],
    }
