from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("plans", "0002_plan_course"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointment",
            name="nurse_seat",
            field=models.PositiveSmallIntegerField(
                blank=True, editable=False, null=True,
                help_text="Which of the nurse's places this visit holds, for its whole length (NurseSlot repeats it per slot).",
            ),
        ),
    ]
