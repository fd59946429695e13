# Written by hand: groups and their permissions are data, not schema.
from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT = {
    "articles": ["source", "article"],
    "entities": ["entity", "alias", "mention", "event", "participation", "eventsource", "claim",
                 "claimentity", "claimevent", "claimrelation"],
}
PUBLISHABLE = [("articles", "article"), ("entities", "entity"), ("entities", "event"),
               ("entities", "claim")]


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    edit = Permission.objects.filter(
        content_type__app_label__in=list(CONTENT),
        content_type__model__in=[m for models in CONTENT.values() for m in models],
        codename__regex=r"^(add|change|delete|view)_",
    )
    publish = Permission.objects.filter(
        codename__in=[f"publish_{model}" for _, model in PUBLISHABLE]
    )
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.set(edit)
    chief, _ = Group.objects.get_or_create(name="Chief editor")
    chief.permissions.set(list(edit) + list(publish))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Chief editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("aiwatch", "0002_old_slug"),
        ("articles", "0003_alter_article_options_and_more"),
        ("entities", "0002_alter_claim_options_alter_entity_options_and_more"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
