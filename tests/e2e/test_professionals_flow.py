"""In a phone-sized Chromium: a therapist applies with her licence PDF, two vetters approve by
video call, and an officer in Illinois with a BlueCross PPO plan finds her by the telehealth
filter and sees a one-tap Call link."""

import datetime
import os
import time

import pytest
from django_otp.oath import TOTP

from professionals.models import Application, InsuranceCarrier, Language
from tests.factories import PASSWORD, StaffFactory, TOTPDeviceFactory, UserFactory

# Playwright's sync API runs an event loop in this thread; the ORM calls below are ours.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def code_for(device) -> str:
    totp = TOTP(device.bin_key, device.step, 0, device.digits, 0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def sign_in(page, base: str, user, device=None) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill('[name="login"]', user.email)
    page.fill('[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    if device is not None:
        page.fill('[name="code"]', code_for(device))
        page.click('main button[type="submit"]')


def test_apply_vet_and_find_on_a_phone(browser, live_server, tmp_path, settings, cast):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    InsuranceCarrier.objects.get_or_create(slug="bcbs", defaults={"name": "Blue Cross Blue Shield"})
    Language.objects.get_or_create(slug="english", defaults={"name": "English"})
    licence = tmp_path / "licence.pdf"
    licence.write_bytes(PDF)
    base = live_server.url

    # 1. The therapist applies from her phone.
    page = browser.new_context(**PHONE).new_page()
    page.goto(f"{base}/professionals/apply/")
    for name, value in {
        "first_name": "Hannah",
        "last_name": "Lindqvist",
        "credentials": "LPC",
        "email": "hannah@lakeside.test",
        "phone": "608 555 0142",
        "city": "Madison",
        "county": "Dane",
        "police_experience": "Counselling officers and dispatchers since 2015.",
        "licence-0-kind": "Licensed Professional Counselor",
        "licence-0-number": "WI-12345-125",
        "licence-0-expires_on": (datetime.date.today() + datetime.timedelta(400)).isoformat(),
    }.items():
        page.fill(f'[name="{name}"]', value)
    page.select_option('[name="state"]', "WI")
    page.select_option('[name="licence-0-state"]', "WI")
    page.select_option('[name="association"]', "ACA")
    for name, value in [
        ("telehealth_states", "WI"),
        ("telehealth_states", "IL"),
        ("plan_types", "ppo"),
        ("promises", "sees_within_24h"),
    ]:
        page.check(f'[name="{name}"][value="{value}"]')
    page.get_by_label("English").check()
    page.get_by_label("Blue Cross Blue Shield").check()
    page.get_by_label("I practise under my association's code of ethics").check()
    page.set_input_files('[name="licence_document"]', str(licence))
    page.click("text=Send my application")
    page.wait_for_selector("text=Thank you: we have your application")
    application = Application.objects.get()
    assert application.reference in page.content()
    assert application.documents.count() == 1

    # 2. Two vetters assess by video call and approve.
    for email, tab in (
        ("vetter.one@network.test", "New"),
        ("vetter.two@network.test", "In review"),
    ):
        vetter = StaffFactory(email=email, is_vetter=True)
        device = TOTPDeviceFactory(user=vetter)
        vetting = browser.new_context(**PHONE).new_page()
        sign_in(vetting, base, vetter, device)
        vetting.goto(f"{base}/professionals/vetting/")
        vetting.click(f".tabs >> text={tab}")
        vetting.click(f"text={application.reference}")
        vetting.click("text=Record my assessment")
        assert vetting.is_checked('[name="method"][value="video"]')  # Dane County: video
        vetting.check('[name="recommendation"][value="approve"]')
        vetting.fill('[name="notes"]', "Video call; licence verified with the Wisconsin board.")
        vetting.fill('[name="message_to_applicant"]', "Welcome to the network.")
        vetting.click('main button[type="submit"]')
        if tab == "In review":  # the second approval decides: the email is shown first
            vetting.wait_for_selector("text=Check before you record")
            preview = vetting.locator(".email-preview").inner_text()
            assert "Welcome to the network." in preview and "staff@" in preview
            assert "licence verified with the Wisconsin board" not in preview  # internal
            width = vetting.evaluate("document.documentElement.scrollWidth")
            assert width <= 390  # the preview fits a phone
            vetting.click("text=Record and send the email")
        vetting.wait_for_selector("text=Assessment recorded")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED

    # 3. An Illinois officer with a BlueCross PPO plan finds her through telehealth.
    officer = UserFactory(department=cast.department_a, email="illinois.officer@a.test")
    finding = browser.new_context(**PHONE).new_page()
    sign_in(finding, base, officer)
    finding.goto(f"{base}/professionals/")
    finding.click("summary")
    finding.select_option('[name="state"]', "IL")
    finding.select_option('[name="insurance"]', "bcbs")
    finding.select_option('[name="plan"]', "ppo")
    finding.click("text=Show professionals")
    card = finding.locator(".card.professional", has_text="Hannah Lindqvist")
    assert card.count() == 1
    assert card.locator('a[href="tel:+16085550142"]').is_visible()
    box = card.locator('a[href^="tel:"]').bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= 390  # one thumb-sized tap
