"""Mail that tells the truth: every email template, in every language, as production sends it.

The journeys (tests/workflow/mail_journeys.py) send every kind of email through
the real services. Each one must have a text and an HTML part saying the same
things (same words, same links), no unfilled placeholder, no colon introducing
nothing, one greeting, no status link before the address is confirmed, and no
invitation to reply once the request is closed (its status page takes none).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import translation

from attribution.models import OutboxEmail
from config.site_url import decide_site_url, follow_served_address, served_url
from takedowns.workflow.graph import MOVES
from tests.takedowns.factories import form_data
from tests.workflow.mail_journeys import NAME, Journeys, requester_journeys, staff_digests

pytestmark = pytest.mark.django_db

EMAILS = Path(django_settings.BASE_DIR) / "templates" / "emails"
LANGUAGES = [code for code, _name in django_settings.LANGUAGES]
URL = re.compile(r"https?://[^\s<>\"]+")
UNFILLED = re.compile(r"\{\{|\{%|%\}|\}\}|\{[a-z_]+\}|\bNone\b")
# Templates rendered into another email's body rather than sent under their own name, and the topic that sends them.
BODY_PARTS = {"workflow/overdue_digest_body": "overdue-digest"}
# What invites the requester to write; a closed request's status page takes nothing.
INVITATIONS = [
    "See the details and reply on your status page:",
    "Follow it, reply to us, add files or withdraw it on your private status page (keep this address to yourself):",
    "Please answer on your status page:",
]


class _Visible(HTMLParser):
    """The text a reader sees in an HTML part, and the links it holds."""

    BREAKS = {"br", "p", "blockquote", "div", "li", "body"}

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.words, self.hrefs = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.words.append(" " if tag in self.BREAKS else "")
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag):
        self.words.append(" " if tag in self.BREAKS else "")

    def handle_data(self, data):
        self.words.append(data)

    @property
    def text(self):
        return "".join(self.words)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def urls(text: str) -> set[str]:
    return {url.rstrip(".,;:!?)”’") for url in URL.findall(text)}


def empty_introductions(text: str) -> list[str]:
    """Lines ending with a colon that nothing follows (the colon introduces a link, a question, a list)."""
    lines = text.splitlines()
    return [
        line
        for i, line in enumerate(lines)
        if line.rstrip().endswith(":") and not "".join(lines[i + 1 : i + 2]).strip()
    ]


def problems_of(sent) -> list[str]:
    """Everything untrue or unfinished about one sent email."""
    message = sent.message
    html_parts = [content for content, kind in message.alternatives if kind == "text/html"]
    if len(html_parts) != 1:
        return ["no HTML part"]
    visible = _Visible(html_parts[0])
    found = []
    for part, text in (("subject", message.subject), ("text", message.body), ("html", visible.text)):
        found += [f"{part}: unfilled {hit!r}" for hit in UNFILLED.findall(text)]
    found += [f"text: nothing after {line!r}" for line in empty_introductions(message.body)]
    if squeeze(visible.text) != squeeze(message.body):
        found.append(f"the parts differ:\n  text: {squeeze(message.body)}\n  html: {squeeze(visible.text)}")
    if urls(message.body) != set(visible.hrefs):
        found.append(f"links differ: text {sorted(urls(message.body))}, html {sorted(visible.hrefs)}")
    return found + _requester_problems(sent)


def _requester_problems(sent) -> list[str]:
    text, takedown = sent.message.body, sent.takedown
    greeting = translation.gettext("Hello %(name)s,") % {"name": NAME}
    hello = greeting.split()[0]
    if takedown is None:
        return [f"a staff digest greets: {text!r}"] if hello in text else []
    found = []
    if text.count(greeting) != 1 or text.count(hello) != 1:
        found.append(f"greets {text.count(hello)} times")
    if not sent.confirmed and takedown.token in text + sent.message.alternatives[0][0]:
        found.append("the status-page link before the address is confirmed")
    invitations = [translation.gettext(invitation) for invitation in INVITATIONS]
    if sent.open and not any(invitation in text for invitation in invitations):
        found.append("an open request's mail does not say where to reply")
    if not sent.open and (any(invitation in text for invitation in invitations) or _english_reply_word(text)):
        found.append(f"invites a reply on a {takedown.status} request")
    return found


def _english_reply_word(text: str) -> bool:
    """Any English wording that asks the requester to write ("we will answer there" is a promise, not an ask)."""
    asks = r"\breply\b|\badd files\b|\bplease answer\b|\banswer (on|here|us)\b"
    return translation.get_language() == "en" and bool(re.search(asks, text, re.I))


def template_bases() -> set[str]:
    """templates/emails/**: each email's name (``takedowns/acknowledgement``), from its text, HTML and subject files."""
    names = {path.relative_to(EMAILS).as_posix() for path in EMAILS.rglob("*") if path.is_file()}
    return {re.sub(r"(_subject)?\.(txt|html)$", "", name) for name in names}


@pytest.fixture
def journeys(client, mailoutbox, eddie, lena, article, settings, django_capture_on_commit_callbacks):
    settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = settings.TAKEDOWNS_RATE_PER_IP_PER_HOUR = 100

    def run(language):
        j = Journeys(
            client=client,
            mailoutbox=mailoutbox,
            on_commit=lambda: django_capture_on_commit_callbacks(execute=True),
            language=language,
            editor=eddie,
            legal=lena,
        )
        with translation.override(language):
            requester_journeys(j, article)
            staff_digests(j, article, settings)
        return j

    return run


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_tells_the_same_truth_in_both_parts(journeys, language):
    j = journeys(language)

    with translation.override(language):
        problems = {
            f"#{n} {sent.message.subject!r}": found for n, sent in enumerate(j.sent) if (found := problems_of(sent))
        }
    assert problems == {}
    assert {row.language for row in OutboxEmail.objects.filter(topic__startswith="request:")} == {language}


def test_the_journeys_send_every_email_template_and_every_move_that_mails(journeys):
    journeys(LANGUAGES[0])
    rows = list(OutboxEmail.objects.all())
    sent = {row.template for row in rows} | {
        part for part, topic in BODY_PARTS.items() if any(r.topic == topic for r in rows)
    }
    assert template_bases() - sent == set()
    for base in template_bases() - set(BODY_PARTS):
        assert {f"{base}.txt", f"{base}.html", f"{base}_subject.txt"} <= {
            p.relative_to(EMAILS).as_posix() for p in EMAILS.rglob("*")
        }, f"{base} needs a text part, an HTML part and a subject"
    moves_mailed = {(row.template, row.context.get("to_status")) for row in rows}
    assert {(f"{m.mail}", m.to_status) for m in MOVES.values() if m.mail} <= moves_mailed
    assert "digest" in sent and any(r.topic == "linkcheck-digest" for r in rows)


def test_asking_for_information_puts_the_question_after_the_colon(journeys):
    j = journeys(LANGUAGES[0])

    (asked, *_) = [s.message for s in j.sent if s.message.subject.endswith(": Waiting for your reply")]
    assert (
        "we need more information:\nWhich passage of https://harbourgazette.example/cranes do you mean?" in asked.body
    )


def test_a_duplicate_of_another_outlets_request_never_mails_that_requests_private_link(journeys):
    j = journeys(LANGUAGES[0])

    (notice,) = [s for s in j.sent if s.takedown and s.takedown.requester_email == "desk@wire.example"][-1:]
    original = notice.takedown.duplicate_of
    assert original.requester_email != notice.takedown.requester_email
    assert original.token not in notice.message.body + notice.message.alternatives[0][0]
    assert notice.takedown.token in notice.message.body  # its own link stays
    mine = next(
        s
        for s in j.sent
        if s.takedown
        and s.takedown.status == "duplicate"
        and s.takedown.duplicate_of.requester_email == s.takedown.requester_email
    )
    assert mine.takedown.duplicate_of.token in mine.message.body  # the same requester's original is linked


@pytest.mark.parametrize(
    ("environ", "addr", "port", "expected"),
    [
        ({}, "127.0.0.1", "8200", "http://127.0.0.1:8200"),
        ({}, "0.0.0.0", "8200", "http://127.0.0.1:8200"),
        ({}, "::", "8300", "http://[::1]:8300"),
        ({"SITE_URL": " "}, "localhost", "9000", "http://localhost:9000"),
        ({"SITE_URL": "https://citewatch.example/"}, "127.0.0.1", "8200", "https://citewatch.example"),
    ],
)
def test_site_url_is_the_served_address_unless_set(environ, addr, port, expected):
    assert decide_site_url(environ, addr, port) == expected


def test_serving_on_port_8200_without_site_url_puts_8200_in_mail_links(
    settings, client, article, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = settings.TAKEDOWNS_STATUS_URL_BASE = "http://127.0.0.1:8000"
    environ = {}

    assert follow_served_address(settings, "127.0.0.1", "8200", environ) == served_url("127.0.0.1", 8200)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/requests/new/", form_data(article))

    (confirmation,) = mail.outbox
    assert "http://127.0.0.1:8200/requests/confirm/" in confirmation.body
    assert ":8000" not in confirmation.body + confirmation.alternatives[0][0]
    # The Celery worker and beat that serve starts inherit the same SITE_URL.
    assert environ["SITE_URL"] == settings.SITE_URL == "http://127.0.0.1:8200"


def test_an_explicit_site_url_wins_over_the_served_address(settings):
    settings.SITE_URL = settings.TAKEDOWNS_STATUS_URL_BASE = "https://citewatch.example"
    environ = {"SITE_URL": "https://citewatch.example"}

    assert follow_served_address(settings, "127.0.0.1", "8200", environ) == "https://citewatch.example"
    assert settings.TAKEDOWNS_STATUS_URL_BASE == "https://citewatch.example"
