"""The editorial groups may read source snapshots (issue 12): the text and the WARC download, in the admin.

Snapshots are staff-only evidence of what was cited. Editors and Legal get the
view permissions only: nobody edits or deletes a snapshot by hand (retention does).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = ["attribution.view_sourcesnapshot", "attribution.view_snapshotattempt"]
GROUPS = ["Editors", "Legal"]


def _permissions(apps):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    config = apps.get_app_config("attribution")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    for dotted in GRANTED:
        app_label, codename = dotted.split(".")
        yield Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant(apps, schema_editor):
    permissions = list(_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def take_back(apps, schema_editor):
    permissions = list(_permissions(apps))
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("takedowns", "0008_reply_template_language"),
        ("attribution", "0014_snapshots_capture"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
