"""The starting lists of experience areas (docs/product.md) and languages; staff maintain them after."""

from django.db import migrations

AREAS = [
    ("critical-incidents", "Critical incidents and officer-involved shootings"),
    ("line-of-duty-death", "Line-of-duty death"),
    ("grief", "Grief and loss"),
    ("family", "Marriage and family"),
    ("substance-use", "Substance use and recovery"),
    ("trauma", "Trauma"),
    ("injury", "Injury"),
    ("retirement", "Retirement"),
    ("financial-stress", "Financial stress"),
    ("military", "Military and veterans"),
    ("discipline", "Discipline and investigations"),
    ("faith", "Faith"),
]

LANGUAGES = [
    "English",
    "Spanish",
    "Polish",
    "Tagalog",
    "Arabic",
    "Chinese (Mandarin)",
    "Chinese (Cantonese)",
    "Vietnamese",
    "Korean",
    "Russian",
    "Ukrainian",
    "Hindi",
    "Urdu",
    "Gujarati",
    "French",
    "Haitian Creole",
    "Portuguese",
    "Italian",
    "Greek",
    "German",
    "Somali",
    "Hmong",
    "American Sign Language",
]


def add_lists(apps, schema_editor):
    ExperienceArea = apps.get_model("peers", "ExperienceArea")
    Language = apps.get_model("peers", "Language")
    for position, (slug, name) in enumerate(AREAS):
        ExperienceArea.objects.update_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
    for position, name in enumerate(LANGUAGES):
        Language.objects.update_or_create(name=name, defaults={"position": position})


def remove_lists(apps, schema_editor):
    apps.get_model("peers", "ExperienceArea").objects.filter(
        slug__in=[slug for slug, _ in AREAS]
    ).delete()
    apps.get_model("peers", "Language").objects.filter(name__in=LANGUAGES).delete()


class Migration(migrations.Migration):
    dependencies = [("peers", "0002_listing_fields")]
    operations = [migrations.RunPython(add_lists, remove_lists)]
