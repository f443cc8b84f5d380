"""Create the Editors and Legal groups with their permissions, and the default reply templates."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "takedowns.view_takedownrequest",
    "takedowns.view_requestevent",
    "takedowns.view_message",
    "takedowns.view_attachment",
    "takedowns.view_requestarticle",
    "takedowns.view_requestcitation",
    "takedowns.view_articlerevision",
    "takedowns.view_correctionnote",
    "takedowns.view_replytemplate",
    "takedowns.add_replytemplate",
    "takedowns.change_replytemplate",
    "takedowns.triage_request",
    "attribution.view_article",
    "attribution.view_citation",
    "attribution.view_sourceurl",
    "attribution.view_publisher",
]
GROUPS = {
    "Editors": VIEW,
    "Legal": [*VIEW, "takedowns.decide_legal_request", "takedowns.reinstate_request"],
}
TEMPLATES = [
    ("In review", "take", "Hello {requester_name}, an editor is now reviewing your request #{request_id}."),
    ("Assigned", "assign", "Hello {requester_name}, an editor is now reviewing your request #{request_id}."),
    (
        "Question",
        "ask_for_information",
        "Hello {requester_name}, to decide on your request #{request_id} we need more information: \n\n"
        "Please answer on your status page (the link is below).",
    ),
    ("Review resumed", "resume_review", "Thank you, we are reviewing your request #{request_id} again."),
    ("Accepted", "accept", "We have accepted your request #{request_id} about “{article}” and will act on it shortly."),
    ("Actioned", "apply", "We have acted on your request #{request_id} about “{article}”."),
    (
        "Rejected",
        "reject",
        "Hello {requester_name}, after review we will not change “{article}” as requested in #{request_id}.",
    ),
    ("Duplicate", "duplicate", "This request repeats one we are already handling; we will answer there."),
    ("Reinstated", "reinstate", "The action taken on request #{request_id} has been reversed."),
    (
        "Closed after silence",
        "withdraw_silent",
        "We did not hear back about request #{request_id}, so it is now closed. You can send a new request at any time.",
    ),
    ("Thank you", "", "Thank you for your message about request #{request_id}. We will come back to you."),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_label in ("takedowns", "attribution", "auth"):
        config = apps.get_app_config(app_label)
        config.models_module = getattr(config, "models_module", None) or True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    ReplyTemplate = apps.get_model("takedowns", "ReplyTemplate")
    for name, action, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(name=name, defaults={"action": action, "body": body})


class Migration(migrations.Migration):
    dependencies = [
        ("takedowns", "0003_workflow"),
        ("attribution", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
