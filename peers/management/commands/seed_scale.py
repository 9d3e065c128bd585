"""National-scale data for benchmarks: `python manage.py seed_scale --departments 18000
--officers 800000 --peers 40000`.

PostgreSQL loads with COPY (psycopg 3), other databases with batched INSERTs. Rows are built as
model instances with explicit ids (so Django's field defaults apply and foreign keys are known
without reading anything back), then the id sequences are moved past them. Everything it creates
is under the `scale-` slug and the `scale.test` email domain; it refuses to run twice.
"""

import datetime
import random
import time
from collections.abc import Iterable, Iterator
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from departments.models import Department
from peers.models import ExperienceArea, Language, PeerListing
from peers.schedule import NO_HOURS, parse_hours
from peers.services import directory_shuffle
from trainings.models import Certification
from wnwa.accounts.models import User
from wnwa.lib.names import FIRST_NAMES, LAST_NAMES

WEEKNIGHTS = parse_hours("Weeknights 6-10 pm")
STATES = ["IL", "IN", "WI", "MN", "MI", "OH", "IA", "MO", "TX", "CA", "NY", "PA", "FL", "GA"]
SYLLABLES = [
    "oak",
    "river",
    "maple",
    "fox",
    "lake",
    "prairie",
    "cedar",
    "willow",
    "stone",
    "elm",
    "brook",
    "glen",
    "ridge",
    "spring",
    "field",
    "haven",
    "mont",
    "wood",
    "port",
    "view",
]
BATCH = 20_000


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def write(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    """Insert instances (with their ids set) as fast as the database allows."""
    fields = model._meta.concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    count = 0
    with connection.cursor() as cursor:
        for chunk in batched(instances, BATCH):
            rows = [
                [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
                for obj in chunk
            ]
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608 - names from _meta
            count += len(rows)
    return count


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


class Command(BaseCommand):
    help = "Build a national-scale network (departments, officers, peers) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--departments", type=int, default=18_000)
        parser.add_argument("--officers", type=int, default=800_000)
        parser.add_argument("--peers", type=int, default=40_000)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, departments: int, officers: int, peers: int, seed: int, **options):
        if min(departments, officers, peers) < 1 or peers > officers:
            raise CommandError("Give positive sizes, with no more peers than officers.")
        if Department.objects.filter(slug__startswith="scale-").exists():
            raise CommandError("Scale data is already loaded (departments named scale-…).")
        areas = list(ExperienceArea.objects.values_list("pk", flat=True))
        languages = dict(Language.objects.values_list("name", "pk"))
        if not areas or "English" not in languages:
            raise CommandError("Run the migrations first: the area and language lists are empty.")
        started = time.monotonic()
        rng = random.Random(seed)
        with transaction.atomic():
            counts = self.load(rng, departments, officers, peers, areas, languages)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(
                    no_style(),
                    [Department, User, Certification, PeerListing]
                    + [PeerListing.areas.through, PeerListing.languages.through],
                ):
                    cursor.execute(sql)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # The triggers rewrite a listing's row for each of its areas, languages and
                # certification (peers.standing), all in the one transaction: sixteen dead
                # copies a listing, which routine vacuuming would have cleared over the months
                # the data stands for. Rewrite the table as it would stand, then analyze.
                if not connection.in_atomic_block:  # VACUUM runs only outside a transaction
                    cursor.execute(f"VACUUM (FULL) {PeerListing._meta.db_table}")
                cursor.execute("ANALYZE")
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(f"Loaded {summary} in {time.monotonic() - started:.1f}s.")

    def load(self, rng, n_departments, n_officers, n_peers, areas, languages) -> dict[str, int]:
        today = timezone.localdate()
        now = timezone.now()
        first_department = next_id(Department)
        department_ids = range(first_department, first_department + n_departments)
        lapsed = set(rng.sample(list(department_ids), k=n_departments // 30))
        written = {}
        written["departments"] = write(
            Department,
            (
                Department(
                    pk=pk,
                    name=f"{self.town(rng)} Police Department",
                    slug=f"scale-{pk}",
                    state=rng.choice(STATES),
                    county=f"County {pk % 97}",
                    city=self.town(rng),
                    sworn_strength=rng.randint(10, 400),
                    membership_status=Department.Status.LAPSED
                    if pk in lapsed
                    else Department.Status.ACTIVE,
                    joined_on=today - datetime.timedelta(days=rng.randint(30, 2000)),
                )
                for pk in department_ids
            ),
        )
        password = make_password(None)
        first_user = next_id(User)
        user_ids = range(first_user, first_user + n_officers)
        written["officers"] = write(
            User,
            (
                User(
                    pk=pk,
                    email=f"officer{pk}@scale.test",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    department_id=department_ids[pk % n_departments],
                    is_active=rng.random() > 0.01,
                    password=password,
                )
                for pk in user_ids
            ),
        )
        peer_ids = rng.sample(list(user_ids), k=n_peers)
        first_cert = next_id(Certification)
        written["certifications"] = write(
            Certification,
            (
                Certification(
                    pk=first_cert + index,
                    person_id=person,
                    certified_on=today - datetime.timedelta(days=rng.randint(10, 1500)),
                    source=Certification.Source.LEGACY,
                    status=Certification.Status.VERIFIED,
                )
                for index, person in enumerate(peer_ids)
            ),
        )
        first_listing = next_id(PeerListing)
        listing_ids = range(first_listing, first_listing + n_peers)
        written["listings"] = write(
            PeerListing,
            (
                self.listing(rng, pk, person, now, today)
                for pk, person in zip(listing_ids, peer_ids, strict=True)
            ),
        )
        written["listing areas"] = self.links(
            PeerListing.areas.through, "experiencearea_id", listing_ids, areas, rng, skip=0.03
        )
        spoken = [languages["English"]] * 6 + list(languages.values())
        written["listing languages"] = self.links(
            PeerListing.languages.through, "language_id", listing_ids, spoken, rng, skip=0.0
        )
        directory_shuffle()  # today's order (the triggers have set each listing's standing)
        return written

    @staticmethod
    def town(rng) -> str:
        return (rng.choice(SYLLABLES) + rng.choice(SYLLABLES)).title()

    @staticmethod
    def listing(rng, pk, person, now, today) -> PeerListing:
        roll = rng.random()
        reachability = rng.choice(list(PeerListing.Reachability.values))
        age = rng.randint(200, 400) if roll >= 0.95 else rng.randint(1, 170)  # 5% stale
        return PeerListing(
            pk=pk,
            peer_id=person,
            shown_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)[0]}.",
            years_of_service=rng.randint(2, 35),
            gender=rng.choice(["", "woman", "man", "man"]),
            call_number=f"+1312555{pk % 10_000:04d}",
            text_number=f"+1312555{pk % 10_000:04d}",
            reachability=reachability,
            week=WEEKNIGHTS if reachability == PeerListing.Reachability.HOURS else NO_HOURS,
            available_until=now + datetime.timedelta(hours=rng.randint(1, 12))
            if roll < 0.08
            else None,
            paused_until=today + datetime.timedelta(days=rng.randint(1, 60))
            if 0.9 < roll < 0.95
            else None,
            confirmed_at=now - datetime.timedelta(days=age),
        )

    @staticmethod
    def links(through, column, listing_ids, choices, rng, skip) -> int:
        """1 to 3 links per listing; a `skip` share gets none (an incomplete listing)."""
        first = next_id(through)
        rows = []
        for listing in listing_ids:
            if rng.random() < skip:
                continue
            for target in set(rng.choices(choices, k=rng.randint(1, 3))):
                rows.append(through(peerlisting_id=listing, **{column: target}))
        for offset, row in enumerate(rows):
            row.pk = first + offset
        return write(through, rows)
