from decimal import Decimal

from django.db import migrations

COURSES = [
    {
        "slug": "teammate",
        "name": "Teammate",
        "days": 3,
        "price": Decimal("475.00"),
        "description": "Three days that prepare an officer to be a peer supporter for colleagues across the network.",
        "topics": "What peer support is and is not\nActive listening\nCritical incidents and stress\nSuicide awareness and intervention\nConfidentiality and its limits\nWhen and how to refer to a professional",
    },
    {
        "slug": "leadership",
        "name": "Leadership",
        "days": 4,
        "price": Decimal("525.00"),
        "description": "The three Teammate days plus a fourth on running a department's peer-support program.",
        "topics": "Everything in Teammate\nBuilding and running a department program\nSelecting and supporting peer supporters\nWorking with command staff and unions",
    },
]


def add_courses(apps, schema_editor):
    CourseType = apps.get_model("trainings", "CourseType")
    for course in COURSES:
        CourseType.objects.update_or_create(slug=course["slug"], defaults=course)


def remove_courses(apps, schema_editor):
    apps.get_model("trainings", "CourseType").objects.filter(slug__in=[c["slug"] for c in COURSES]).delete()


class Migration(migrations.Migration):
    dependencies = [("trainings", "0001_initial")]
    operations = [migrations.RunPython(add_courses, remove_courses)]
