"""Default reply texts that greeted the requester (the email already does) or left the question blank.

Only rows still holding the old default text change; an edited text is the newsroom's and stays.
"""

from django.db import migrations

# name → (old default, new default); None deletes it (the question is the editor's to write).
CHANGES = {
    "In review": (
        "Hello {requester_name}, an editor is now reviewing your request #{request_id}.",
        "An editor is now reviewing your request #{request_id}.",
    ),
    "Assigned": (
        "Hello {requester_name}, an editor is now reviewing your request #{request_id}.",
        "An editor is now reviewing your request #{request_id}.",
    ),
    "Rejected": (
        "Hello {requester_name}, after review we will not change “{article}” as requested in #{request_id}.",
        "After review we will not change “{article}” as requested in #{request_id}.",
    ),
    "Question": (
        "Hello {requester_name}, to decide on your request #{request_id} we need more information: \n\n"
        "Please answer on your status page (the link is below).",
        None,
    ),
}


def forwards(apps, schema_editor):
    ReplyTemplate = apps.get_model("takedowns", "ReplyTemplate")
    for name, (old, new) in CHANGES.items():
        rows = ReplyTemplate.objects.filter(name=name, body=old)
        if new is None:
            rows.delete()
        else:
            rows.update(body=new)


class Migration(migrations.Migration):
    dependencies = [("takedowns", "0006_editorial_groups_write_articles")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
