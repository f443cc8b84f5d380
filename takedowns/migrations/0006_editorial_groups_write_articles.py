"""The editorial groups get the model permissions the API now asks for writes.

Until now any staff user could write articles through the API. The API now asks
what the admin asks (the model's add/change permission), so Editors and Legal
get: create and replace articles (API), check a source now and set its
editorial override (admin and API), and make, see and revoke their own API tokens.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTED = [
    "attribution.add_article",
    "attribution.change_article",
    "attribution.change_sourceurl",
    "attribution.add_apitoken",
    "attribution.view_apitoken",
    "attribution.change_apitoken",
]
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
        ("takedowns", "0005_workflow_package"),
        ("attribution", "0010_api_tokens"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
