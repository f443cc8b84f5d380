"""The retention purge of one request: afterwards nothing personal of the requester remains in its record.

Blanking the contact fields is not enough: the requester's name, email and
phone also travel into free text (a reply template's ``Hello {requester_name}``,
an editor's note, a revision's note, a public correction note, the mail
outbox). So the purge blanks the contact fields, drops the requester's own
texts (their explanation, messages, withdrawal reason, file names), deletes the
files, and replaces every remaining occurrence of their identifiers in the
request's text columns with ``[removed]``. What stays: the anonymised record
(types, remedy, relationship, articles and sources, dates, status, outcome),
the audit trail's shape and the staff actors.
"""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from attribution import outbox
from attribution.models import CorrectionNote
from takedowns.mail import topic
from takedowns.models import (
    ArticleRevision,
    Attachment,
    Message,
    RequestCitation,
    RequestEvent,
    TakedownRequest,
)
from takedowns.workflow.graph import By
from takedowns.workflow.transition import record_event

REMOVED = "[removed]"
Relationship = TakedownRequest.Relationship
# An organisation is the requester's employer or client for these; otherwise it may be themselves.
BUSINESS_RELATIONSHIPS = frozenset({Relationship.RIGHTS_HOLDER, Relationship.AUTHORISED_AGENT})
# Contact fields blanked outright.
CONTACT_FIELDS = [
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_postal_address",
    "requester_country",
    "acting_for",
    "signature",
    "ip_hash",
]
# The requester's own words about their work and the article, kept with their identifiers scrubbed.
SCRUBBED_FIELDS = ["passage", "proposed_text", "original_work_url", "original_work_description", "statements_text"]
MIN_PHONE_DIGITS = 6
MIN_NAME_PART = 3


def identifier_patterns(takedown: TakedownRequest) -> list[re.Pattern]:
    """Patterns matching the requester's identifiers in free text, longest first.

    Whole strings (name, signature, email, acting for, personal organisation,
    address lines) match case-insensitively; the phone matches whatever its
    spacing and punctuation; each part of the name (three letters or more)
    matches as a capitalised word, so "Dear Rita" goes but "rights" stays.
    """
    whole = [takedown.requester_name, takedown.signature, takedown.requester_email, takedown.acting_for]
    whole += takedown.requester_postal_address.splitlines()
    if takedown.relationship not in BUSINESS_RELATIONSHIPS:
        whole.append(takedown.organisation)
    whole = sorted({text.strip() for text in whole if len(text.strip()) >= MIN_NAME_PART}, key=len, reverse=True)
    patterns = [re.compile(re.escape(text), re.IGNORECASE) for text in whole]
    digits = re.sub(r"\D", "", takedown.requester_phone)
    if len(digits) >= MIN_PHONE_DIGITS:
        patterns.append(re.compile(r"\+?" + r"[\s().\-/]*".join(digits)))
    parts = {part for text in (takedown.requester_name, takedown.signature) for part in re.findall(r"\w+", text)}
    for part in sorted(parts, key=len, reverse=True):
        if len(part) >= MIN_NAME_PART:
            patterns.append(re.compile(rf"\b{re.escape(part[0].upper() + part[1:])}\b"))
    return patterns


def scrub(text: str, patterns: list[re.Pattern]) -> str:
    for pattern in patterns:
        text = pattern.sub(REMOVED, text)
    return text


def _scrub_rows(queryset, fields: list[str], patterns, *, drop=lambda row: False) -> None:
    """Scrub ``fields`` of every row (or replace them with [removed] where ``drop(row)``); saves changed rows only."""
    changed = []
    for row in queryset:
        before = [getattr(row, name) for name in fields]
        for name, value in zip(fields, before, strict=True):
            if isinstance(value, list):
                setattr(row, name, [scrub(item, patterns) if isinstance(item, str) else item for item in value])
            elif value:
                setattr(row, name, REMOVED if drop(row) else scrub(value, patterns))
        if [getattr(row, name) for name in fields] != before:
            changed.append(row)
    if changed:
        queryset.model.objects.bulk_update(changed, fields)


def _scrub_record(takedown: TakedownRequest, patterns) -> None:
    """Every text of the request's record, beyond its own row."""
    pk = takedown.pk
    from_requester = Message.Direction.FROM_REQUESTER
    _scrub_rows(Message.objects.filter(request_id=pk), ["body"], patterns, drop=lambda m: m.direction == from_requester)
    # The requester's own notes (a withdrawal reason) and file names go whole.
    _scrub_rows(
        RequestEvent.objects.filter(request_id=pk),
        ["note"],
        patterns,
        drop=lambda e: e.actor_label == By.REQUESTER or e.kind == RequestEvent.Kind.ATTACHMENT,
    )
    _scrub_rows(ArticleRevision.objects.filter(request_id=pk), ["headline", "body", "note", "sources"], patterns)
    _scrub_rows(RequestCitation.objects.filter(request_id=pk), ["text_as_written"], patterns)
    _scrub_rows(CorrectionNote.objects.filter(request_number=pk), ["text"], patterns)


def _anonymise(takedown: TakedownRequest, patterns, now) -> bool:
    """Blank, drop and scrub the request's own fields, claiming it with a conditional UPDATE; False if already purged."""
    updates = dict.fromkeys(CONTACT_FIELDS, "")
    updates.update({name: scrub(getattr(takedown, name), patterns) for name in SCRUBBED_FIELDS})
    updates["details"] = REMOVED if takedown.details else ""
    if takedown.relationship not in BUSINESS_RELATIONSHIPS:
        updates["organisation"] = ""
    claimed = TakedownRequest.objects.filter(pk=takedown.pk, purged_at__isnull=True).update(**updates, purged_at=now)
    return claimed == 1


def purge_request(takedown: TakedownRequest, now) -> bool:
    """Purge one closed request's personal data; returns False if another purge got there first.

    Call inside a transaction: the files leave storage only after it commits.
    """
    takedown = TakedownRequest.objects.select_for_update().get(pk=takedown.pk)
    patterns = identifier_patterns(takedown)
    if not _anonymise(takedown, patterns, now):
        return False
    attachments = list(Attachment.objects.filter(request=takedown))
    names = [attachment.file.name for attachment in attachments if attachment.file]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    _scrub_record(takedown, patterns)
    # Mail never sent by now never will be: the address is gone.
    outbox.forget_recipient(topic(takedown), reason="purged")
    record_event(
        takedown,
        kind=RequestEvent.Kind.PURGED,
        actor=None,
        actor_label=By.SYSTEM,
        note=_("Contact details, IP hash, the requester's texts and %(n)s files purged after the retention period.")
        % {"n": len(names)},
        visible_to_requester=True,
    )
    storage = Attachment._meta.get_field("file").storage
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return True
