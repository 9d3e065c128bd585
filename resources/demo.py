"""Demo resources for `manage.py seed_demo`: a few links in three categories (idempotent)."""

from resources.models import Audience, Category, Resource

CATEGORY_ORDER = ["Right now", "Trauma and stress", "Family"]
DEMO_RESOURCES = [
    (
        "Right now",
        "988 Suicide & Crisis Lifeline",
        "Call or text 988, or chat online, any time. Trained counsellors, free and confidential.",
        "https://988lifeline.org/",
        Audience.BOTH,
    ),
    (
        "Right now",
        "CopLine",
        "A confidential line for officers and their families, answered by retired officers.",
        "https://copline.org/",
        Audience.BOTH,
    ),
    (
        "Trauma and stress",
        "Understanding PTSD",
        "What post-traumatic stress is, how it is treated, and how to help someone who has it.",
        "https://www.ptsd.va.gov/understand/index.asp",
        Audience.BOTH,
    ),
    (
        "Trauma and stress",
        "PTSD Coach Online",
        "Tools for managing stress, anger and sleep, from the National Center for PTSD.",
        "https://www.ptsd.va.gov/apps/ptsdcoachonline/",
        Audience.OFFICERS,
    ),
    (
        "Family",
        "For family and friends",
        "How to support someone after trauma, and how to look after yourself while you do.",
        "https://www.ptsd.va.gov/family/index.asp",
        Audience.BOTH,
    ),
]


def seed_demo(stdout) -> None:
    created = 0
    for position, (category_name, title, summary, link, audience) in enumerate(DEMO_RESOURCES):
        category, _ = Category.objects.get_or_create(
            name=category_name, defaults={"position": CATEGORY_ORDER.index(category_name)}
        )
        _, was_created = Resource.objects.get_or_create(
            title=title,
            defaults={
                "category": category,
                "summary": summary,
                "link": link,
                "position": position,
                "audience": audience,
            },
        )
        created += was_created
    stdout.write(f"Resources: {created} created, {Resource.objects.count()} in all.")
