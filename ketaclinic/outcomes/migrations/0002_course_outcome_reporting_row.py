"""Copy each course's clinic, condition, route, start and state onto its outcome row, so the clinic outcomes
page reads one table (no join to courses over 100,000 rows)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def copy_from_courses(apps, schema_editor):
    CourseOutcome = apps.get_model("outcomes", "CourseOutcome")
    TreatmentCourse = apps.get_model("outcomes", "TreatmentCourse")
    course = TreatmentCourse.objects.filter(pk=OuterRef("course_id"))
    CourseOutcome.objects.update(
        clinic_id=Subquery(course.values("clinic_id")[:1]),
        condition=Subquery(course.values("condition")[:1]),
        route=Subquery(course.values("route")[:1]),
        started_on=Subquery(course.values("started_on")[:1]),
    )
    ended = TreatmentCourse.objects.filter(Q(induction_completed_on__isnull=False) | Q(status__in=["completed", "stopped"]))
    CourseOutcome.objects.filter(course_id__in=ended.values("pk")).update(induction_ended=True)
    closed = TreatmentCourse.objects.filter(status__in=["completed", "stopped"])
    CourseOutcome.objects.filter(course_id__in=closed.values("pk")).update(is_open=False)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_audit_append_only"),
        ("outcomes", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="courseoutcome", name="outcome_response_lost"),
        migrations.AddField(
            model_name="courseoutcome", name="clinic",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.clinic"),
        ),
        migrations.AddField(model_name="courseoutcome", name="condition", field=models.CharField(default="", max_length=30)),
        migrations.AddField(model_name="courseoutcome", name="route", field=models.CharField(default="", max_length=20)),
        migrations.AddField(model_name="courseoutcome", name="started_on", field=models.DateField(null=True)),
        migrations.AddField(
            model_name="courseoutcome", name="induction_ended",
            field=models.BooleanField(default=False, help_text="Induction completed, or the course ended."),
        ),
        migrations.AddField(
            model_name="courseoutcome", name="is_open",
            field=models.BooleanField(default=True, help_text="The course is in induction or maintenance."),
        ),
        migrations.RunPython(copy_from_courses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="courseoutcome", name="clinic",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="accounts.clinic"),
        ),
        migrations.AlterField(
            model_name="courseoutcome", name="condition",
            field=models.CharField(choices=[
                ("major-depression", "Major depression"), ("bipolar-depression", "Bipolar depression"),
                ("generalized-anxiety", "Generalized anxiety"), ("panic-disorder", "Panic disorder"), ("ptsd", "PTSD"),
                ("ocd", "OCD"), ("chronic-pain", "Chronic pain")], max_length=30),
        ),
        migrations.AlterField(
            model_name="courseoutcome", name="route",
            field=models.CharField(choices=[("iv-ketamine", "IV ketamine"), ("esketamine", "Esketamine nasal spray")], max_length=20),
        ),
        migrations.AlterField(model_name="courseoutcome", name="started_on", field=models.DateField()),
        migrations.AddIndex(
            model_name="courseoutcome",
            index=models.Index(fields=["clinic", "condition", "route"], name="outcome_clinic_group"),
        ),
        migrations.AddIndex(
            model_name="courseoutcome",
            index=models.Index(condition=models.Q(("is_open", True), ("response_lost", True)), fields=["clinic"],
                               name="outcome_booster_review"),
        ),
    ]
