"""One Django group per role. Their permissions are assigned after migrate
(``portal.accounts.roles.sync_group_permissions``), when every app's permissions exist."""

from django.db import migrations

ROLES = [
    "citizen",
    "company_handler",
    "department_staff",
    "outlet_manager",
    "legal_aid_staff",
    "administrator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=f"role:{role}")


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[f"role:{r}" for r in ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_onetimecode"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
