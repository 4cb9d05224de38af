"""The city's online platform (the accepting point of online and proactive cases) and the daily
django-q2 schedule that flags overdue cases and reminds departments."""

import datetime

from django.db import migrations

SCHEDULE_NAME = "approvals: daily deadlines"


def forwards(apps, schema_editor):
    AcceptancePoint = apps.get_model("approvals", "AcceptancePoint")
    Region = apps.get_model("catalogue", "Region")
    if Region.objects.filter(code="370200").exists():
        AcceptancePoint.objects.get_or_create(
            code="QD-ONLINE",
            defaults={
                "name": "青岛市政务服务网",
                "name_en": "Qingdao online government-service platform",
                "region_id": "370200",
                "kind": "online_platform",
            },
        )
    Schedule = apps.get_model("django_q", "Schedule")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={
            "func": "approvals.tasks.daily_deadlines",
            "schedule_type": "D",
            "repeats": -1,
            # 01:30 Beijing time
            "next_run": datetime.datetime(
                tomorrow.year, tomorrow.month, tomorrow.day, 17, 30, tzinfo=datetime.UTC
            )
            - datetime.timedelta(days=1),
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=SCHEDULE_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0001_initial"),
        ("catalogue", "0002_regions"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
