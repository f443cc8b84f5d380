"""Every email Citewatch sends, produced the way production produces it, for tests/workflow/test_mail_truth.py.

Requests are filed through the public form and moved through the same services
the admin, the API and the periodic jobs call; each mail is rendered and sent
at commit, as the outbox does. Each sent mail is kept with the state of its
request at that moment, which is what the mail must tell the truth about.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from attribution.linkcheck.digest import send_digest
from takedowns.models import OPEN_STATUSES, ReplyTemplate, TakedownRequest
from takedowns.workflow import jobs, requester
from takedowns.workflow.actions.reply import reply_to_requester
from takedowns.workflow.registry import run_action
from takedowns.workflow.replies import fill_placeholders, placeholder_values
from tests.attribution.factories import CitationFactory
from tests.linkcheck.factories import DeadSourceFactory
from tests.takedowns.factories import form_data
from tests.workflow.helpers import fields_for

# Names and texts with what breaks careless templates: an ampersand, curly quotes, a URL, several lines.
NAME = "Rita O’Brien & Söhne"
QUESTION = "Which passage of https://harbourgazette.example/cranes do you mean?\nAnd when did it first run?"
WITHDRAW_REASON = "We settled this with your desk by phone."


@dataclass
class Sent:
    """One sent email, the request it is about (None for staff digests) and whether it was confirmed then."""

    message: object
    takedown: TakedownRequest | None
    confirmed: bool = True

    @property
    def open(self) -> bool:
        return self.takedown is not None and self.takedown.status in OPEN_STATUSES


class Journeys:
    def __init__(self, *, client, mailoutbox, on_commit, language, editor, legal):
        self.client, self.mailoutbox, self.on_commit = client, mailoutbox, on_commit
        self.language, self.editor, self.legal = language, editor, legal
        self.sent: list[Sent] = []
        self._count = 0

    def _collect(self, takedown=None, *, confirmed=True):
        current = TakedownRequest.objects.get(pk=takedown.pk) if takedown else None
        for message in self.mailoutbox[self._count :]:
            self.sent.append(Sent(message, current, confirmed))
        self._count = len(self.mailoutbox)

    def step(self, takedown, action, *args, **kwargs):
        """Run ``action`` and commit, so its mail is sent now; record what was sent about ``takedown``."""
        with self.on_commit():
            action(*args, **kwargs)
        self._collect(takedown)

    def file(self, article, email: str) -> TakedownRequest:
        """The public form, in this journey's language: sends the confirmation email."""
        data = form_data(article, requester_name=NAME, signature=NAME, requester_email=email)
        with self.on_commit():
            response = self.client.post("/requests/new/", data, HTTP_ACCEPT_LANGUAGE=self.language)
        assert response.status_code == 302, response.content.decode()[:2000]
        takedown = TakedownRequest.objects.latest("pk")
        assert takedown.language == self.language
        self._collect(takedown, confirmed=False)
        return takedown

    def confirmed(self, article, email: str) -> TakedownRequest:
        takedown = self.file(article, email)
        self.step(takedown, requester.confirm_request, takedown)
        return TakedownRequest.objects.get(pk=takedown.pk)

    def staff(self, takedown, action, user=None, note=None, **kwargs):
        """A staff decision as the admin posts it; without ``note``, the action's default text is used."""
        user = user or self.editor
        data = {**fields_for(action, user, **kwargs), "note": note or ""}
        self.step(takedown, run_action, takedown, actor=user, data=data)

    def reply(self, takedown):
        """A staff message from the newsroom's own reply template (the one without an action)."""
        template = ReplyTemplate.objects.get(action="", language=takedown.language)
        body = fill_placeholders(template.body, placeholder_values(takedown)) + "\nhttps://harbourgazette.example/"
        self.step(takedown, reply_to_requester, takedown, actor=self.editor, body=body)


def requester_journeys(j: Journeys, article) -> None:
    """Each move that tells the requester, each at least once, on open and on closed requests."""
    first = j.confirmed(article, "rita@harbourgazette.example")  # confirmation, acknowledgement
    j.confirmed(article, "rita@harbourgazette.example")  # the same again: a duplicate, found at confirmation
    j.staff(first, "take")
    j.staff(first, "ask_for_information", note=QUESTION)
    j.step(first, requester.add_requester_message, first, body="The second paragraph, from 3 March.", files=[])
    j.reply(first)
    j.staff(first, "accept")
    j.staff(first, "apply")
    j.reply(first)  # on a closed request
    j.staff(first, "reinstate", j.legal)

    other_outlet = j.confirmed(article, "desk@wire.example")
    j.staff(other_outlet, "duplicate", original=j.confirmed(article, "legal@thirdpaper.example"))

    resumed = j.confirmed(article, "ed@fourthpaper.example")
    j.staff(resumed, "assign", assignee=j.legal)
    j.staff(resumed, "ask_for_information", note=QUESTION)
    j.staff(resumed, "resume_review")
    j.staff(resumed, "reject")

    silent = j.confirmed(article, "news@fifthpaper.example")
    j.staff(silent, "take")
    j.staff(silent, "ask_for_information", note=QUESTION)
    later = timezone.now() + dt.timedelta(days=60)
    j.step(silent, jobs.withdraw_silent_requests, now=later)

    withdrawn = j.confirmed(article, "office@sixthpaper.example")
    j.step(withdrawn, requester.withdraw_request, withdrawn, reason=WITHDRAW_REASON)


def staff_digests(j: Journeys, article, settings) -> None:
    """The link digest and the overdue digest (assigned and unassigned), to staff."""
    settings.LINKCHECK_DIGEST_RECIPIENTS = ["desk@newsroom.example"]
    CitationFactory(article=article, position=3, source_url=DeadSourceFactory(url_as_cited="https://gone.example/a"))
    j.step(None, send_digest)
    j.confirmed(article, "late@seventhpaper.example")
    assigned = j.confirmed(article, "late@eighthpaper.example")
    j.staff(assigned, "assign", assignee=j.legal)
    j.step(None, jobs.send_overdue_digest, now=timezone.now() + dt.timedelta(days=60))
