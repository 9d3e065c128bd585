from django.db import migrations

from professionals.vocabulary import INSURANCE_CARRIERS, LANGUAGES, SPECIALTIES


def seed(apps, schema_editor):
    for model_name, entries in (
        ("Specialty", SPECIALTIES),
        ("Language", LANGUAGES),
        ("InsuranceCarrier", INSURANCE_CARRIERS),
    ):
        model = apps.get_model("professionals", model_name)
        for slug, name in entries:
            model.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("professionals", "0003_structured_applications_vetting_documents")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
