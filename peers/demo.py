"""Demo peers for `manage.py seed_demo`: certified officers with complete, varied listings."""

import datetime
import random

from django.utils import timezone

from peers import schedule
from peers.models import ExperienceArea, Language, PeerListing
from peers.services import directory_shuffle
from trainings.models import Certification
from wnwa.accounts.models import User

LANGUAGE_SETS = [
    ["English"],
    ["English", "Spanish"],
    ["English", "Polish"],
    ["English"],
    ["English", "Tagalog"],
    ["Spanish", "English"],
]
# The demo peer always matches the walkthrough (and the browser test): Spanish, grief and loss.
DEMO_PEER_LANGUAGES = ["English", "Spanish"]
# Weekly hours of the demo's peers who keep hours, in their own zones: some are reachable by
# day, some in the evening, some at weekends.
DEMO_HOURS = [
    schedule.parse_hours(text)
    for text in ["Weeknights 6-10 pm, Sundays", "Mon-Fri 9-5", "Weekends", "Tue, Thu 7 pm-1 am"]
]
DEMO_PEER_AREAS = {"grief", "critical-incidents"}
# The first of the third department's four peers (Maple Grove PD) is retired.
RETIRED_PEER = 9
BIOS = [
    "Twenty years on patrol. I listen first, and it stays between us.",
    "I lost a partner in the line of duty. I know the first year.",
    "Marine, then cop. I get the nights that do not end.",
    "Recovering since 2015. No judgement, just someone who has been there.",
    "Went through an OIS and the investigation after it. Call me any time.",
    "",
]


def seed_demo(stdout) -> None:
    """31 certified peers (the demo peer and four officers per department). Idempotent."""
    rng = random.Random(11)
    today = timezone.localdate()
    now = timezone.now()
    areas = list(ExperienceArea.objects.all())
    languages = {language.name: language for language in Language.objects.all()}
    chosen = list(User.objects.filter(email="peer@demo.test"))
    for department_id in (
        User.objects.filter(email__endswith=".demo.test", department__isnull=False)
        .values_list("department_id", flat=True)
        .distinct()
        .order_by("department_id")
    ):
        chosen += list(
            User.objects.filter(department_id=department_id, email__startswith="officer").order_by(
                "pk"
            )[:4]
        )
    created = 0
    for index, peer in enumerate(chosen[:31]):
        Certification.objects.get_or_create(
            person=peer,
            source=Certification.Source.LEGACY,
            defaults={
                "certified_on": today - datetime.timedelta(days=400 + index),
                "status": Certification.Status.VERIFIED,
            },
        )
        number = f"+1312555{index:04d}"
        reachability = rng.choice(list(PeerListing.Reachability.values))
        listing, was_created = PeerListing.objects.get_or_create(
            peer=peer,
            defaults={
                "shown_name": f"{peer.first_name} {peer.last_name[0]}.",
                "rank": peer.rank,
                "years_of_service": rng.randint(4, 28),
                "gender": rng.choice(["", "woman", "man", "man"]),
                "bio": rng.choice(BIOS),
                "call_number": number,
                "text_number": number if index % 5 else "",
                "reachability": reachability,
                "time_zone": schedule.zone_of_state(peer.department.state),
                "week": DEMO_HOURS[index % len(DEMO_HOURS)]
                if reachability == PeerListing.Reachability.HOURS
                else schedule.NO_HOURS,
                "available_until": now + datetime.timedelta(hours=3) if index % 4 == 0 else None,
                "confirmed_at": now - datetime.timedelta(days=rng.randint(1, 150)),
                # A few serve families too (docs/product.md, "Families"): family@demo.test
                # finds them, the demo peer among them.
                "talks_with_families": index % 3 == 0,
            },
        )
        if was_created:
            created += 1
            spoken = [languages[name] for name in rng.choice(LANGUAGE_SETS)]
            lived = rng.sample(areas, k=min(len(areas), rng.randint(1, 4)))
            if peer.email == "peer@demo.test":  # the walkthrough's find: Spanish, grief
                spoken = [languages[name] for name in DEMO_PEER_LANGUAGES]
                lived = [area for area in areas if area.slug in DEMO_PEER_AREAS]
            listing.languages.set(spoken)
            listing.areas.set(lived)
    # One of them has retired from their department and kept their listing: the card says so.
    retired = chosen[RETIRED_PEER] if len(chosen) > RETIRED_PEER else None
    if retired is not None and retired.retired_on is None:
        User.objects.filter(pk=retired.pk).update(retired_on=today - datetime.timedelta(days=200))
    directory_shuffle()  # today's order, as the nightly `shuffle_directory` sets it
    stdout.write(f"Peer listings: {created} created, {len(chosen[:31]) - created} already there.")
    if retired is not None:
        stdout.write(f"Retired peer: {retired.email} ({retired.department}), listed as retired.")
