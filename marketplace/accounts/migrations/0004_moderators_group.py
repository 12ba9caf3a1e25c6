from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = [
    ("vendors", "view_vendor"), ("vendors", "change_vendor"),
    ("vendors", "view_category"), ("vendors", "view_product"),
    ("vendors", "view_moderationaction"),
    ("vendors", "view_vendorreport"), ("vendors", "change_vendorreport"),
    ("vendors", "view_vendorflag"), ("vendors", "change_vendorflag"),
]


def create_moderators_group(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Moderators")
    for app_label, codename in MODERATOR_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_token"), ("vendors", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_moderators_group, migrations.RunPython.noop)]
