import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # 0002 gave every earlier application a professional, so the link can be required.
    dependencies = [("professionals", "0004_seed_vocabularies")]

    operations = [
        migrations.AlterField(
            model_name="application",
            name="professional",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="applications",
                to="professionals.professional",
            ),
        ),
    ]
