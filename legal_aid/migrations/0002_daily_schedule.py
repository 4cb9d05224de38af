"""The daily legal-aid run (django-q2): remind staff of due and overdue time limits, remind
applicants whose materials are due, and lapse requests whose deadline has passed."""

from django.db import migrations

FUNC = "legal_aid.tasks.daily"


def create_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="legal_aid.daily",
        defaults={"func": FUNC, "schedule_type": "C", "cron": "30 7 * * *", "repeats": -1},
    )


def remove_schedule(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.filter(name="legal_aid.daily").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("legal_aid", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
