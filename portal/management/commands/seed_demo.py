"""A small, believable network for trying the portal: `python manage.py seed_demo`.

Idempotent: every record is looked up by a natural key first, so a second run creates nothing
twice. Demo sign-ins, TOTP secrets and backup codes are derived from fixed seeds and printed.
"""

import datetime
import hashlib
import hmac
import random
from base64 import b32encode
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from departments import demo as departments_demo
from departments.models import Department
from peers import demo as peers_demo
from peers.models import PeerListing
from resources import demo as resources_demo
from trainings import demo as trainings_demo
from trainings.models import CourseType, Session
from wnwa.accounts.models import BackupCodeDevice, FamilyAccount, TOTPDevice, User
from wnwa.lib.names import FIRST_NAMES, LAST_NAMES

DEMO_PASSWORD = "walk-together-2026"
DEMO_SEED = b"wnwa-demo"

DEPARTMENTS = [
    # name, slug, county, city, sworn strength
    ("Oak Ridge Police Department", "oak-ridge-pd", "Cook", "Oak Ridge", 48),
    (
        "Riverside Heights Police Department",
        "riverside-heights-pd",
        "Cook",
        "Riverside Heights",
        112,
    ),
    ("Maple Grove Police Department", "maple-grove-pd", "DuPage", "Maple Grove", 64),
    ("Fox Valley Police Department", "fox-valley-pd", "Kane", "Fox Valley", 37),
    ("Lakeshore Police Department", "lakeshore-pd", "Lake", "Lakeshore", 85),
    ("Prairie View Police Department", "prairie-view-pd", "Will", "Prairie View", 29),
    ("Cedar Falls Police Department", "cedar-falls-pd", "McHenry", "Cedar Falls", 22),
    ("Willow Creek Police Department", "willow-creek-pd", "DuPage", "Willow Creek", 41),
]

RANKS = ["Officer", "Officer", "Officer", "Detective", "Sergeant", "Lieutenant", "Corporal"]


def demo_key(email: str) -> str:
    """A stable TOTP key (hex) for a demo account, so every run prints the same secret."""
    return hmac.new(DEMO_SEED, email.encode(), hashlib.sha1).hexdigest()


def demo_backup_codes(email: str) -> list[str]:
    digest = hashlib.sha256(DEMO_SEED + email.encode()).hexdigest()
    return [f"{digest[i : i + 6]}-{digest[i + 6 : i + 12]}" for i in range(0, 60, 12)][:5]


class Command(BaseCommand):
    help = "Load a small demo network (idempotent) and print the demo sign-ins."

    def handle(self, *args, **options):
        with transaction.atomic():
            departments = self.departments()
            self.officers(departments)
            accounts = self.demo_accounts(departments)
            peers_demo.seed_demo(self.stdout)
            self.trainings()
            trainings_demo.seed_demo(self.stdout)
            self.professionals()
            departments_demo.seed_demo(self.stdout)
            resources_demo.seed_demo(self.stdout)
        self.report(accounts)

    def departments(self) -> list[Department]:
        today = timezone.localdate()
        result = []
        for index, (name, slug, county, city, strength) in enumerate(DEPARTMENTS):
            joined = today - datetime.timedelta(days=120 + 97 * index)
            department, _ = Department.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "state": "IL",
                    "county": county,
                    "city": city,
                    "sworn_strength": strength,
                    "membership_status": Department.Status.ACTIVE,
                    "joined_on": joined,
                    "term_ends_on": joined.replace(year=joined.year + 3),
                    "annual_fee": Decimal(500 + 10 * strength),
                },
            )
            result.append(department)
        return result

    def officers(self, departments: list[Department]) -> None:
        """About 300 enrolled officers with unusable passwords, as an enrollment leaves them."""
        rng = random.Random(7)
        unusable = make_password(None)
        new = []
        existing = set(User.objects.values_list("email", flat=True))
        for department in departments:
            for number in range(1, int(department.sworn_strength * 0.85) + 1):
                email = f"officer{number}@{department.slug}.demo.test"
                if email in existing:
                    continue
                new.append(
                    User(
                        email=email,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        department=department,
                        rank=rng.choice(RANKS),
                        badge_number=str(1000 + number),
                        password=unusable,
                    )
                )
        User.objects.bulk_create(new, batch_size=500)

    def demo_accounts(self, departments: list[Department]) -> dict[str, User]:
        home, other = departments[0], departments[1]
        specs = {
            "officer@demo.test": {
                "first_name": "Alex",
                "last_name": "Demo",
                "department": home,
                "rank": "Officer",
            },
            # Retired from Oak Ridge PD: keeps the network (docs/product.md, "Retired officers").
            "retiree@demo.test": {
                "first_name": "Robin",
                "last_name": "Retiree",
                "department": home,
                "rank": "Sergeant",
                "retired_on": timezone.localdate() - datetime.timedelta(days=400),
            },
            "peer@demo.test": {
                "first_name": "Pat",
                "last_name": "Peer",
                "department": other,
                "rank": "Sergeant",
            },
            "deptadmin@demo.test": {
                "first_name": "Dana",
                "last_name": "Coordinator",
                "department": home,
                "rank": "Lieutenant",
                "is_department_admin": True,
            },
            "vetter@demo.test": {"first_name": "Vera", "last_name": "Vetter", "is_vetter": True},
            "trainer@demo.test": {
                "first_name": "Terry",
                "last_name": "Trainer",
                "is_training_staff": True,
            },
            "admin@demo.test": {
                "first_name": "Ada",
                "last_name": "Admin",
                "is_network_admin": True,
                "is_superuser": True,
            },
        }
        # The spouse of officer@demo.test (docs/product.md, "Families"): no department of their
        # own, a family account of Oak Ridge PD invited by the officer.
        specs["family@demo.test"] = {"first_name": "Jordan", "last_name": "Demo"}
        accounts = {}
        members = {"officer@demo.test", "retiree@demo.test", "peer@demo.test", "family@demo.test"}
        for email, fields in specs.items():
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, DEMO_PASSWORD, **fields)
            accounts[email] = user
            if email not in members:
                device, _ = TOTPDevice.objects.get_or_create(
                    user=user, defaults={"name": "Demo authenticator", "key": demo_key(email)}
                )
                backup, _ = BackupCodeDevice.objects.get_or_create(
                    user=user, defaults={"name": "Backup codes"}
                )
                backup.generate_codes(demo_backup_codes(email))
        FamilyAccount.objects.get_or_create(
            user=accounts["family@demo.test"],
            defaults={
                "department": home,
                "invited_by": accounts["officer@demo.test"],
                "relation": FamilyAccount.Relation.PARTNER,
            },
        )
        return accounts

    def trainings(self) -> None:
        today = timezone.localdate()
        for course_slug, offset in (("teammate", 45), ("leadership", 90)):
            course = CourseType.objects.get(slug=course_slug)
            starts = today + datetime.timedelta(days=offset)
            Session.objects.get_or_create(
                course=course,
                starts_on=starts,
                defaults={
                    "ends_on": starts + datetime.timedelta(days=course.days - 1),
                    "venue": "Riverside Heights Police Department training room",
                    "address": "100 Main Street, Riverside Heights, IL",
                    "lodging_note": "Rooms held at the Riverside Inn until two weeks before.",
                    "capacity": 24,
                    "status": Session.Status.PUBLISHED,
                },
            )

    def professionals(self) -> None:
        from professionals.demo import seed_demo

        seed_demo(self.stdout)

    def report(self, accounts: dict[str, User]) -> None:
        out = self.stdout
        out.write(
            self.style.SUCCESS(
                f"Demo network ready: {Department.objects.count()} departments, "
                f"{User.objects.count()} people, {PeerListing.objects.count()} peer listings."
            )
        )
        out.write(f"Every demo account's password: {DEMO_PASSWORD}")
        for email in accounts:
            line = f"  {email}"
            if TOTPDevice.objects.filter(user__email=email).exists():
                secret = b32encode(bytes.fromhex(demo_key(email))).decode()
                line += f"  TOTP secret {secret}  backup codes {' '.join(demo_backup_codes(email))}"
            out.write(line)
        out.write(
            "family@demo.test is a family member of officer@demo.test: it finds the peers who "
            "talk with families and the professionals who see officers' families."
        )
        out.write(
            "Staff accounts need a code: add the TOTP secret to an authenticator app, "
            "or use a backup code."
        )
