"""Demo professionals in every vetting state, for `python manage.py seed_demo` (idempotent)."""

import datetime

from django.utils import timezone

from professionals.models import (
    Application,
    Association,
    InsuranceCarrier,
    Language,
    Licence,
    Professional,
    Specialty,
    TelehealthState,
)

APPROVED, IN_REVIEW, NEW, DEFERRED = (
    Application.Status.APPROVED,
    Application.Status.IN_REVIEW,
    Application.Status.NEW,
    Application.Status.DEFERRED,
)

# first, last, credentials, city, county, state, telehealth, specialties, languages, carriers,
# plans (ppo, hmo, self-pay), 24/7, within 24h, status
PEOPLE = [
    ("Renee", "Holloway", "PsyD", "Chicago", "Cook", "IL", ["IL", "IN"],
     ["trauma-ptsd", "critical-incidents"], ["english"], ["bcbs", "aetna"],
     (True, False, True), True, True, APPROVED),
    ("Marcus", "Bell", "LCSW", "Naperville", "DuPage", "IL", ["IL"],
     ["substance-use", "couples-family"], ["english", "spanish"], ["bcbs", "cigna"],
     (True, True, False), False, True, APPROVED),
    ("Irene", "Sato", "LPC", "Madison", "Dane", "WI", ["WI", "IL", "MN"],
     ["trauma-ptsd", "grief", "emdr"], ["english"], ["bcbs", "unitedhealthcare"],
     (True, False, True), False, True, APPROVED),
    ("Daniel", "Okafor", "PhD", "Oak Park", "Cook", "IL", ["IL"],
     ["suicide-prevention", "depression"], ["english"], ["tricare", "humana"],
     (False, True, True), True, False, APPROVED),
    ("Tom", "Alvarez", "PhD", "Joliet", "Will", "IL", [], ["anxiety"], ["english", "spanish"],
     ["aetna"], (True, False, False), False, True, IN_REVIEW),
    ("Grace", "Mbeki", "LMFT", "Springfield", "Sangamon", "IL", ["IL"], ["couples-family"],
     ["english"], [], (False, False, True), False, True, NEW),
    ("Owen", "Price", "LPC", "Peoria", "Peoria", "IL", [], ["anger"], ["english"], ["cigna"],
     (True, False, False), True, False, DEFERRED),
]  # fmt: skip


def seed_demo(stdout) -> None:
    today = timezone.localdate()
    for index, person in enumerate(PEOPLE):
        (first, last, credentials, city, county, state, telehealth, specialties, languages) = (
            person[:9]
        )
        carriers, plans, always, within_24h, status = person[9:]
        email = f"{first.lower()}.{last.lower()}@clinic.demo.test"
        professional, created = Professional.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "credentials": credentials,
                "phone": f"+1630555{index:04d}",
                "website": f"https://{last.lower()}-counseling.demo.test/",
                "practice_name": f"{last} Counseling",
                "street_address": f"{100 + index} Main Street",
                "city": city,
                "county": county,
                "state": state,
                "accepts_ppo": plans[0],
                "accepts_hmo": plans[1],
                "accepts_self_pay": plans[2],
                "answers_24_7": always,
                "sees_within_24h": within_24h,
                "sees_families": index % 2 == 0,  # family@demo.test sees these first
                "police_experience": "Years of work with first responders and their families.",
                "association": Association.APA if credentials in {"PsyD", "PhD"} else "NASW",
                "follows_code_of_ethics": True,
                "is_listed": status == APPROVED,
                "availability_confirmed_on": (
                    today - datetime.timedelta(days=[10, 45, 95, 130][index % 4])
                    if status == APPROVED
                    else None
                ),
            },
        )
        if created:
            professional.specialties.set(Specialty.objects.filter(slug__in=specialties))
            professional.languages.set(Language.objects.filter(slug__in=languages))
            professional.insurance_carriers.set(InsuranceCarrier.objects.filter(slug__in=carriers))
            for code in telehealth:
                TelehealthState.objects.create(professional=professional, state=code)
            Licence.objects.create(
                professional=professional,
                kind=f"Licensed {credentials}",
                number=f"{state}-{4000 + index}",
                state=state,
                expires_on=today + datetime.timedelta(days=40 + 200 * index),
            )
        Application.objects.get_or_create(
            reference=f"DEMO{index:04d}",
            defaults={
                "professional": professional,
                "status": status,
                "deferral_reason": "Licence could not be verified with the state board."
                if status == DEFERRED
                else "",
            },
        )
    listed = Professional.objects.filter(is_listed=True).count()
    stdout.write(f"Professionals: {Professional.objects.count()} ({listed} listed).")
