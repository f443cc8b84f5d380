import django.db.migrations
from django.db import migrations, models

import takedowns.models


def fill_tokens(apps, schema_editor):
    TakedownRequest = apps.get_model("takedowns", "TakedownRequest")
    for takedown in TakedownRequest.objects.filter(confirmation_token__isnull=True).only("pk"):
        takedown.confirmation_token = takedowns.models.new_status_token()
        takedown.save(update_fields=["confirmation_token"])


class Migration(migrations.Migration):
    dependencies = [("takedowns", "0001_initial")]

    operations = [
        # Three steps so existing rows each get their own random token.
        migrations.AddField(
            model_name="takedownrequest",
            name="confirmation_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill_tokens, django.db.migrations.RunPython.noop),
        migrations.AlterField(
            model_name="takedownrequest",
            name="confirmation_token",
            field=models.CharField(
                default=takedowns.models.new_status_token, editable=False, max_length=64, unique=True
            ),
        ),
    ]
