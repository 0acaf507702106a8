import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("outcomes", "0001_initial"),
        ("plans", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatmentplan",
            name="course",
            field=models.ForeignKey(
                blank=True,
                help_text="The measurement-based-care course; started when the first version is signed.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plans",
                to="outcomes.treatmentcourse",
            ),
        ),
    ]
