"""Reviews carry their patient (copied from interview.session), so the access rule
joins the patient directly: added nullable, filled from each review's session, then
required."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_patients(apps, schema_editor):
    Review = apps.get_model("reviews", "Review")
    Interview = apps.get_model("interviews", "Interview")
    Review.objects.update(
        patient_id=Subquery(
            Interview.objects.filter(pk=OuterRef("interview_id")).values("session__patient_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0002_interview_prefilled"),
        ("patients", "0004_drugs_of_the_whole_ashton_table"),
        ("reviews", "0003_merge_medical_urgent_day_stats"),
    ]

    operations = [
        migrations.AddField(
            model_name="review",
            name="patient",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="patients.patient",
            ),
        ),
        migrations.RunPython(copy_patients, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="review",
            name="patient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="patients.patient"
            ),
        ),
    ]
