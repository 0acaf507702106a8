from django.db import migrations, models


class Migration(migrations.Migration):
    """The booking calendar reads each on-shift nurse's visits at other clinics by time: index it."""

    dependencies = [
        ("plans", "0003_appointment_nurse_seat"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appointment",
            index=models.Index(fields=["nurse", "starts_at"], name="appointment_nurse_start"),
        ),
    ]
