"""The models of removal and change requests, one module per record.

- ``requests``: the request itself and the articles and sources it is about;
- ``messages``: messages and files exchanged with the requester;
- ``events``: the audit trail (one RequestEvent per step);
- ``revisions``: article snapshots taken before an action, so it can be reversed;
- ``replies``: editable reply texts.

Emails go through the project's one outbox (``attribution.outbox``), and public
correction notes belong to the article (``attribution.models.CorrectionNote``).
"""

from takedowns.models.events import RequestEvent
from takedowns.models.messages import Attachment, Message, attachment_path
from takedowns.models.replies import ReplyTemplate
from takedowns.models.requests import (
    CLOSED_STATUSES,
    MAX_ADDRESS,
    MAX_COUNTRY,
    MAX_EMAIL,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_NOTE,
    MAX_PHONE,
    MAX_SHORT_TEXT,
    MAX_URL,
    OPEN_STATUSES,
    RequestArticle,
    RequestCitation,
    TakedownRequest,
    new_status_token,
)
from takedowns.models.revisions import ArticleRevision

__all__ = [
    "CLOSED_STATUSES",
    "MAX_ADDRESS",
    "MAX_COUNTRY",
    "MAX_EMAIL",
    "MAX_LONG_TEXT",
    "MAX_NAME",
    "MAX_NOTE",
    "MAX_PHONE",
    "MAX_SHORT_TEXT",
    "MAX_URL",
    "OPEN_STATUSES",
    "ArticleRevision",
    "Attachment",
    "Message",
    "ReplyTemplate",
    "RequestArticle",
    "RequestCitation",
    "RequestEvent",
    "TakedownRequest",
    "attachment_path",
    "new_status_token",
]
