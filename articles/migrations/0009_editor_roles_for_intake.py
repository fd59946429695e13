# Written by hand: groups and their permissions are data, not schema.
# The Editor and Chief editor roles (aiwatch 0003) predate republication links
# and originals, so neither role could decide a suggested link or download an
# original; editors curate both, so both roles get them.
from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "republication": ("add", "change", "delete", "view"),
    "original": ("view",),
}


def grant(apps, schema_editor):
    config = apps.get_app_config("articles")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{verb}_{model}" for model, verbs in GRANTS.items() for verb in verbs]
    permissions = list(
        Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
    )
    for group in Group.objects.filter(name__in=["Editor", "Chief editor"]):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{verb}_{model}" for model, verbs in GRANTS.items() for verb in verbs]
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    )
    for group in Group.objects.filter(name__in=["Editor", "Chief editor"]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_http_urls_only"),
        ("aiwatch", "0003_editor_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
