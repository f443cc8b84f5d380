"""Reply templates get a language, and the default texts their Arabic versions (issue 13).

Requesters are written to in the language they filed in; an action's default text is looked up in that
language first (takedowns/workflow/replies.py). The Arabic rows are added once, by name; edited ones stay.
"""

from django.db import migrations, models

# A copy of ARABIC_TEMPLATES in takedowns/workflow/replies.py as of this migration (name, action, body).
ARABIC = [
    ("In review (العربية)", "take", "يتولى أحد محررينا الآن مراجعة طلبك رقم {request_id}."),
    ("Assigned (العربية)", "assign", "يتولى أحد محررينا الآن مراجعة طلبك رقم {request_id}."),
    ("Review resumed (العربية)", "resume_review", "شكرًا لك، نعيد الآن مراجعة طلبك رقم {request_id}."),
    ("Accepted (العربية)", "accept", "قبلنا طلبك رقم {request_id} بشأن «{article}» وسنتخذ الإجراء اللازم قريبًا."),
    ("Actioned (العربية)", "apply", "اتخذنا الإجراء اللازم بشأن طلبك رقم {request_id} المتعلق بـ«{article}»."),
    ("Rejected (العربية)", "reject", "بعد المراجعة، لن نعدّل «{article}» على النحو المطلوب في الطلب رقم {request_id}."),
    ("Duplicate (العربية)", "duplicate", "يكرر هذا الطلبُ طلبًا نعالجه بالفعل، وسنجيبك هناك."),
    ("Reinstated (العربية)", "reinstate", "أُلغي الإجراء الذي اتُّخذ بشأن الطلب رقم {request_id}."),
    (
        "Closed after silence (العربية)",
        "withdraw_silent",
        "لم يصلنا ردّ بشأن الطلب رقم {request_id}، لذا أُغلق. يمكنك إرسال طلب جديد في أي وقت.",
    ),
    ("Thank you (العربية)", "", "شكرًا لرسالتك بشأن الطلب رقم {request_id}. سنعود إليك."),
]


def add_arabic(apps, schema_editor):
    ReplyTemplate = apps.get_model("takedowns", "ReplyTemplate")
    for name, action, body in ARABIC:
        ReplyTemplate.objects.get_or_create(name=name, defaults={"action": action, "body": body, "language": "ar"})


def remove_arabic(apps, schema_editor):
    apps.get_model("takedowns", "ReplyTemplate").objects.filter(language="ar").delete()


class Migration(migrations.Migration):
    dependencies = [("takedowns", "0007_reply_templates_without_greeting")]

    operations = [
        migrations.RemoveConstraint(model_name="replytemplate", name="reply_template_action"),
        migrations.AddField(
            model_name="replytemplate",
            name="language",
            field=models.CharField(default="en", help_text="The language of this text: en or ar.", max_length=16),
        ),
        migrations.AddConstraint(
            model_name="replytemplate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("action", ""), _negated=True),
                fields=("action", "language"),
                name="reply_template_action_language",
            ),
        ),
        migrations.RunPython(add_arabic, remove_arabic),
    ]
