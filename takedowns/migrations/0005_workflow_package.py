"""The workflow package: correction notes and mail move to the article and the one outbox; permissions to requests.

Data moves before the old tables go:
- correction notes → attribution.CorrectionNote (with the request's number);
- the requester outbox → attribution.OutboxEmail (topic "request:<id>");
- a removed article's removal date and request, read from the revision taken
  before the removal, → Article.removed_at / removal_request_number;
- the three workflow permissions were declared on ArticleRevision; their rows
  move to TakedownRequest's content type, so the groups keep them;
- the groups' view permission on correction notes follows the model.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

WORKFLOW_PERMISSIONS = ["triage_request", "decide_legal_request", "reinstate_request"]
OUTBOX_FIELDS = [
    "template",
    "context",
    "language",
    "next_attempt_at",
    "locked_until",
    "sent_at",
    "failed_at",
    "attempts",
    "last_error",
]


def copy_correction_notes(apps, schema_editor):
    Old = apps.get_model("takedowns", "CorrectionNote")
    New = apps.get_model("attribution", "CorrectionNote")
    for note in Old.objects.order_by("id").iterator():
        copied = New.objects.create(
            article_id=note.article_id, request_number=note.request_id, text=note.text, retracted_at=note.retracted_at
        )
        New.objects.filter(pk=copied.pk).update(created_at=note.created_at)  # auto_now_add ignores the given value


def copy_outbox(apps, schema_editor):
    Old = apps.get_model("takedowns", "Notification")
    New = apps.get_model("attribution", "OutboxEmail")
    for row in Old.objects.order_by("id").iterator():
        copied = New.objects.create(
            topic=f"request:{row.request_id}" if row.request_id else "",
            recipients=[row.recipient] if row.recipient else [],
            **{name: getattr(row, name) for name in OUTBOX_FIELDS},
        )
        New.objects.filter(pk=copied.pk).update(created_at=row.created_at)


def record_removals(apps, schema_editor):
    Article = apps.get_model("attribution", "Article")
    ArticleRevision = apps.get_model("takedowns", "ArticleRevision")
    for article in Article.objects.filter(status="removed", removed_at__isnull=True).iterator():
        revision = (
            ArticleRevision.objects.filter(
                article=article, reason="before_action", request__outcome="removed_article"
            )
            .order_by("-created_at", "-id")
            .first()
        )
        Article.objects.filter(pk=article.pk).update(
            removed_at=revision.created_at if revision else article.updated_at,
            removal_request_number=revision.request_id if revision else None,
        )


def move_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    requests, _created = ContentType.objects.get_or_create(app_label="takedowns", model="takedownrequest")
    Permission.objects.filter(
        content_type__app_label="takedowns", content_type__model="articlerevision", codename__in=WORKFLOW_PERMISSIONS
    ).update(content_type=requests)
    # The new CorrectionNote's view permission, for the groups that could view the old one.
    config = apps.get_app_config("attribution")
    config.models_module = getattr(config, "models_module", None) or True
    create_permissions(config, apps=apps, verbosity=0)
    new_view = Permission.objects.get(content_type__app_label="attribution", codename="view_correctionnote")
    old_view = Permission.objects.filter(content_type__app_label="takedowns", codename="view_correctionnote").first()
    if old_view is not None:
        for group in Group.objects.filter(permissions=old_view):
            group.permissions.add(new_view)


class Migration(migrations.Migration):
    dependencies = [
        ("takedowns", "0004_workflow_groups"),
        ("attribution", "0005_correction_notes_outbox_removal"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_correction_notes, migrations.RunPython.noop),
        migrations.RunPython(copy_outbox, migrations.RunPython.noop),
        migrations.RunPython(record_removals, migrations.RunPython.noop),
        migrations.RunPython(move_permissions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="request"),
        migrations.AlterModelOptions(
            name="articlerevision",
            options={"ordering": ["-created_at", "-id"], "verbose_name": "article revision"},
        ),
        migrations.AlterModelOptions(
            name="takedownrequest",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("triage_request", "Can triage requests: take, assign, ask, reject, spam, duplicate"),
                    ("decide_legal_request", "Can decide removal, copyright and privacy requests"),
                    ("reinstate_request", "Can reinstate an actioned request"),
                ],
                "verbose_name": "request",
                "verbose_name_plural": "requests",
            },
        ),
        migrations.AlterField(
            model_name="takedownrequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending_verification", "Waiting for email confirmation"),
                    ("submitted", "Submitted"),
                    ("in_review", "In review"),
                    ("needs_info", "Waiting for your reply"),
                    ("accepted", "Accepted"),
                    ("actioned", "Actioned"),
                    ("rejected", "Rejected"),
                    ("spam", "Spam"),
                    ("duplicate", "Duplicate"),
                    ("withdrawn", "Withdrawn"),
                    ("reinstated", "Reinstated"),
                    ("expired", "Expired (never confirmed)"),
                ],
                default="pending_verification",
                editable=False,
                max_length=32,
            ),
        ),
        migrations.DeleteModel(name="CorrectionNote"),
        migrations.DeleteModel(name="Notification"),
    ]
