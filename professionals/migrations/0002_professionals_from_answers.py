from django.db import migrations


def professionals_from_answers(apps, schema_editor):
    """Applications made before this migration kept only a JSON blob; give each a Professional
    built from it, so every application has one (0005 makes the link required)."""
    Application = apps.get_model("professionals", "Application")
    Professional = apps.get_model("professionals", "Professional")
    for application in Application.objects.filter(professional__isnull=True):
        answers = application.answers or {}
        application.professional = Professional.objects.create(
            first_name=str(answers.get("first_name", ""))[:100] or "Unknown",
            last_name=str(answers.get("last_name", ""))[:100] or "Applicant",
            email=str(answers.get("email", ""))[:254],
            phone=str(answers.get("phone", ""))[:20],
            city=str(answers.get("city", ""))[:100],
            state=str(answers.get("state", ""))[:2].upper(),
        )
        application.save(update_fields=["professional"])


class Migration(migrations.Migration):
    # On its own, so PostgreSQL commits these row changes before 0003 alters the tables.
    dependencies = [("professionals", "0001_initial")]

    operations = [migrations.RunPython(professionals_from_answers, migrations.RunPython.noop)]
