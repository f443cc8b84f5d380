"""The editable default texts of staff messages (ReplyTemplate), with their {placeholders} filled."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from takedowns.models import ReplyTemplate, TakedownRequest

# The default texts (name, action, body). The email around them already greets the requester and ends with
# the status-page link, so they do neither. "Ask for information" has none: its note is the question,
# which only the editor can write.
DEFAULT_TEMPLATES = [
    ("In review", "take", "An editor is now reviewing your request #{request_id}."),
    ("Assigned", "assign", "An editor is now reviewing your request #{request_id}."),
    ("Review resumed", "resume_review", "Thank you, we are reviewing your request #{request_id} again."),
    ("Accepted", "accept", "We have accepted your request #{request_id} about “{article}” and will act on it shortly."),
    ("Actioned", "apply", "We have acted on your request #{request_id} about “{article}”."),
    ("Rejected", "reject", "After review we will not change “{article}” as requested in #{request_id}."),
    ("Duplicate", "duplicate", "This request repeats one we are already handling; we will answer there."),
    ("Reinstated", "reinstate", "The action taken on request #{request_id} has been reversed."),
    (
        "Closed after silence",
        "withdraw_silent",
        "We did not hear back about request #{request_id}, so it is now closed. You can send a new request at any time.",
    ),
    ("Thank you", "", "Thank you for your message about request #{request_id}. We will come back to you."),
]
# The same texts for requesters who wrote in Arabic (TakedownRequest.language "ar"; migration 0008).
ARABIC_TEMPLATES = [
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


def ensure_reply_templates() -> None:
    """Create the default texts that are missing (by name); edited ones are kept. For flushed test databases."""
    for language, templates in (("en", DEFAULT_TEMPLATES), ("ar", ARABIC_TEMPLATES)):
        for name, action, body in templates:
            ReplyTemplate.objects.get_or_create(
                name=name, defaults={"action": action, "body": body, "language": language}
            )


def placeholder_values(takedown: TakedownRequest) -> dict:
    """What the {placeholders} of reply templates stand for, for this request (one query).

    No {status_url}: the token must not show around the office, and every
    email already ends with the status-page link.
    """
    article = takedown.articles.only("headline").first()
    return {
        "{request_id}": str(takedown.pk),
        "{requester_name}": takedown.requester_name or str(_("requester")),
        "{article}": article.headline if article else "",
    }


def fill_placeholders(text: str, values: dict) -> str:
    """Replace the known {placeholders}; anything else in braces is left as typed."""
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def default_texts(takedown: TakedownRequest, actions=None) -> dict[str, ReplyTemplate]:
    """Each action's default text in the requester's language, else in the site's (LANGUAGE_CODE)."""
    rows = ReplyTemplate.objects.exclude(action="").filter(language__in=[takedown.language, settings.LANGUAGE_CODE])
    if actions is not None:
        rows = rows.filter(action__in=actions)
    # The requester's language last, so it wins.
    ordered = sorted(rows, key=lambda t: t.language == takedown.language)
    return {t.action: t for t in ordered}


def default_message(takedown: TakedownRequest, action: str, values: dict | None = None) -> str:
    """The editable default text of an action's message, with placeholders filled; "" if there is none."""
    template = default_texts(takedown, [action]).get(action)
    return fill_placeholders(template.body, values or placeholder_values(takedown)) if template else ""
