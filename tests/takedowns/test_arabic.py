"""Arabic (issue 13): pages chosen by Accept-Language or the switcher, right to left; requesters written to in
the language they filed in; Arabic articles laid out by their own text (dir="auto"); a complete catalogue."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from attribution.linkcheck.digest import send_digest
from attribution.models import LinkCheckDigest, OutboxEmail
from attribution.outbox import deliver
from takedowns.models import ReplyTemplate, RequestEvent, TakedownRequest
from takedowns.workflow.jobs import withdraw_silent_requests
from takedowns.workflow.replies import default_message
from tests.attribution.factories import ArticleFactory, CitationFactory, SourceURLFactory
from tests.linkcheck.factories import DeadSourceFactory
from tests.takedowns.factories import TakedownRequestFactory, form_data

pytestmark = pytest.mark.django_db

ARABIC = re.compile(r"[\u0600-\u06FF]")
CATALOGUE = Path(django_settings.BASE_DIR) / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def html_tag(content: bytes) -> str:
    return re.search(r"<html[^>]*>", content.decode()).group(0)


def test_accept_language_arabic_gives_an_arabic_page_right_to_left(client, article):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5")

    assert html_tag(response.content) == '<html lang="ar" dir="rtl">'
    text = response.content.decode()
    assert "<h1>المقالات</h1>" in text and "تقرير الشفافية" in text
    assert response["Content-Language"] == "ar"


def test_english_stays_the_default(client, article):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "fr,de;q=0.8"}, {"HTTP_ACCEPT_LANGUAGE": "en-GB"}):
        response = client.get("/", **headers)
        assert html_tag(response.content) == '<html lang="en" dir="ltr">'
        assert "<h1>Articles</h1>" in response.content.decode()


def test_the_request_form_is_translated_labels_help_and_errors(client, article):
    page = client.get("/requests/new/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "اسمك الكامل" in page  # "Your full name"
    assert "نرسل رابط التأكيد إلى هذا العنوان." in page  # its help text
    assert "حقوق النشر أو إعادة النشر" in page  # a model choice label: "Copyright or republication"

    response = client.post("/requests/new/", form_data(article, signature="Someone Else"), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 400
    errors = response.content.decode()
    assert "اكتب اسمك الكامل تمامًا كما أدخلته أعلاه." in errors  # "Type your full name exactly as you gave it above."
    assert "توجد مشكلة واحدة في طلبك" in errors  # the one-problem plural form
    assert TakedownRequest.objects.count() == 0


def test_the_switcher_changes_the_language_without_javascript(article):
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/transparency/").content.decode()
    form = re.search(r'<form class="cw-lang" action="([^"]+)" method="post">(.*?)</form>', page, re.S)
    assert form, "no language switcher on the page"
    action, fields = form.groups()
    assert '<option value="ar" lang="ar">العربيّة</option>' in fields and 'type="submit"' in fields
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', fields).group(1)

    response = browser.post(action, {"language": "ar", "next": "/transparency/", "csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response["Location"] == "/transparency/"
    again = browser.get("/transparency/")
    assert html_tag(again.content) == '<html lang="ar" dir="rtl">'
    assert '<option value="ar" lang="ar" selected>' in again.content.decode()
    # And back: the choice wins over the browser's Accept-Language.
    browser.post(action, {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert html_tag(browser.get("/", HTTP_ACCEPT_LANGUAGE="ar").content) == '<html lang="en" dir="ltr">'


def test_filing_in_arabic_stores_ar_and_the_confirmation_email_is_arabic(submit, article, mailoutbox):
    response = submit(form_data(article), HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 302
    takedown = TakedownRequest.objects.get()
    assert takedown.language == "ar"
    (message,) = mailoutbox
    assert message.subject == f"أكِّد طلبك رقم {takedown.pk} إلى Citewatch"
    assert "السيد/السيدة Rita Rights المحترم/ة،" in message.body
    assert f"تلقّينا طلبك رقم {takedown.pk}. لإرساله إلى محررينا، افتح هذا الرابط واضغط «تأكيد»:" in message.body
    html = message.alternatives[0][0]
    assert '<html lang="ar" dir="rtl">' in html and "لإرساله إلى محررينا" in html
    assert "Hello" not in message.body + html


def test_an_english_requester_gets_english(submit, article, mailoutbox):
    submit(form_data(article), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    takedown = TakedownRequest.objects.get()
    assert takedown.language == "en"
    (message,) = mailoutbox
    assert message.subject == f"Confirm your request #{takedown.pk} to Citewatch"
    assert "Hello Rita Rights," in message.body
    assert not ARABIC.search(message.subject + message.body + message.alternatives[0][0])
    assert '<html lang="en" dir="ltr">' in message.alternatives[0][0]


def test_the_api_stores_the_language_too(article, mailoutbox, django_capture_on_commit_callbacks):
    data = {
        "request_type": "attribution",
        "articles": [article.slug],
        "original_work_url": "https://harbourgazette.example/cranes",
        "relationship": "rights_holder",
        "requester_name": "رشا",
        "requester_email": "rasha@example.org",
        "requester_country": "Egypt",
        "remedy": "fix_attribution",
        "statement_good_faith": True,
        "statement_accuracy": True,
        "signature": "رشا",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post("/api/requests/", data, format="json", HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 201, response.json()
    assert TakedownRequest.objects.get().language == "ar"
    assert mailoutbox[0].subject.startswith("أكِّد طلبك رقم")


def test_mail_after_confirming_from_an_english_browser_stays_arabic(
    submit, client, article, mailoutbox, django_capture_on_commit_callbacks
):
    submit(form_data(article), HTTP_ACCEPT_LANGUAGE="ar")
    takedown = TakedownRequest.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/requests/confirm/{takedown.confirmation_token}/", HTTP_ACCEPT_LANGUAGE="en")

    takedown.refresh_from_db()
    assert takedown.status == "submitted"
    acknowledgement = mailoutbox[-1]
    assert acknowledgement.subject == f"تسلّمنا طلبك رقم {takedown.pk}"
    assert "شكرًا لتأكيدك." in acknowledgement.body
    assert takedown.events.filter(note="أُكِّد عنوان البريد الإلكتروني.").exists()  # "Email address confirmed."


def test_the_silence_job_writes_its_built_in_note_in_the_requesters_language(settings, mailoutbox):
    settings.TAKEDOWNS_NEEDS_INFO_WITHDRAW_DAYS = 3
    # Editors' reply templates are one text, in English (README "Languages"); without one the built-in note is used.
    ReplyTemplate.objects.filter(action="withdraw_silent").delete()
    takedown = TakedownRequestFactory(status=TakedownRequest.Status.NEEDS_INFO, language="ar")
    RequestEvent.objects.create(
        request=takedown, actor_label="staff", kind="status_changed", to_status="needs_info", note="أيّ مقطع؟"
    )

    assert withdraw_silent_requests(now=timezone.now() + dt.timedelta(days=4)) == 1

    closing = takedown.events.get(to_status="withdrawn")
    assert closing.note == "لم يصلنا ردّ خلال 3 يومًا، لذا أُغلق هذا الطلب."


def test_arabic_articles_read_right_to_left_by_their_own_text(client, admin_client):
    article = ArticleFactory(
        slug="harbour-ar", headline="عودة رافعات الميناء", body="أعادت سلطة الميناء تشغيل الرافعات."
    )
    source = SourceURLFactory(url_as_cited="https://aljazeera.example/story")
    CitationFactory(article=article, position=1, source_url=source, text_as_written="تقرير الجزيرة")

    page = client.get(article.get_absolute_url()).content.decode()
    assert '<h1 dir="auto">عودة رافعات الميناء</h1>' in page
    assert '<div class="body" dir="auto"><p>أعادت سلطة الميناء' in page
    assert 'dir="auto">تقرير الجزيرة</a>' in page
    listing = client.get("/").content.decode()
    assert 'dir="auto">عودة رافعات الميناء</a>' in listing

    admin_page = admin_client.get(f"/admin/attribution/article/{article.pk}/change/").content.decode()
    assert '<span dir="auto">عودة رافعات الميناء</span>' in admin_page
    assert '<div dir="auto">أعادت سلطة الميناء تشغيل الرافعات.</div>' in admin_page
    assert '<span dir="auto">تقرير الجزيرة</span>' in admin_page


def _entries(text: str):
    """(references, msgid, [msgstr…]) for each entry of a .po file."""
    for block in text.split("\n\n"):
        strings = {}
        for key, value in re.findall(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) ((?:".*"\n?)+)', block, re.M):
            strings[key] = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', value))
        if strings.get("msgid"):
            refs = " ".join(re.findall(r"^#: (.*)$", block, re.M))
            yield refs, strings["msgid"], [v for k, v in strings.items() if k.startswith("msgstr")]


PUBLIC = re.compile(
    r"templates/(base|400|404|500)\.html|templates/(attribution|takedowns|emails)/|takedowns/(forms|conditional|views|files)\.py"
    r"|takedowns/models/"
)


def test_every_public_string_and_every_email_has_an_arabic_translation_keeping_its_placeholders():
    entries = list(_entries(CATALOGUE.read_text(encoding="utf-8")))
    public = [(msgid, forms) for refs, msgid, forms in entries if PUBLIC.search(refs)]

    assert len(public) > 200
    assert [msgid for msgid, forms in public if not all(forms)] == []
    for msgid, forms in public:
        wanted = set(re.findall(r"%\(\w+\)s", msgid))
        for form in forms:
            assert set(re.findall(r"%\(\w+\)s", form)) <= wanted, msgid
            assert ARABIC.search(form) or not re.search(r"[a-z]", re.sub(r"%\(\w+\)s", "", msgid)), msgid
    assert CATALOGUE.with_suffix(".mo").stat().st_mtime >= CATALOGUE.stat().st_mtime, "run make messages"


def test_staff_digests_stay_in_the_sites_language_whatever_is_active(settings, article, mailoutbox):
    settings.LINKCHECK_DIGEST_RECIPIENTS = ["desk@newsroom.example"]
    LinkCheckDigest.objects.create(
        sent_at=timezone.now() - dt.timedelta(days=2), covered_since=None, link_count=0, recipient_count=0
    )
    CitationFactory(article=article, position=3, source_url=DeadSourceFactory(url_as_cited="https://gone.example/a"))

    with translation.override("ar"):
        assert send_digest() == 1
    deliver(OutboxEmail.objects.get(topic="linkcheck-digest").pk)

    (digest,) = mailoutbox
    since = timezone.localtime(timezone.now() - dt.timedelta(days=2)).strftime("%B")
    assert f"since {timezone.localtime(timezone.now() - dt.timedelta(days=2)).day} {since}" in digest.body
    assert not ARABIC.search(digest.subject + digest.body)


def test_an_actions_default_text_is_in_the_requesters_language_else_the_sites():
    arabic = TakedownRequestFactory(language="ar")
    english = TakedownRequestFactory(language="en")

    assert default_message(arabic, "take") == f"يتولى أحد محررينا الآن مراجعة طلبك رقم {arabic.pk}."
    assert default_message(english, "take") == f"An editor is now reviewing your request #{english.pk}."
    ReplyTemplate.objects.filter(action="take", language="ar").delete()
    assert default_message(arabic, "take") == f"An editor is now reviewing your request #{arabic.pk}."


def test_the_error_pages_are_arabic_too(client):
    # The 400 for control characters answers before LocaleMiddleware: start from English, as a fresh process does.
    translation.activate("en")
    bad = client.get("/?q=a%00b", HTTP_ACCEPT_LANGUAGE="ar")
    assert bad.status_code == 400 and html_tag(bad.content) == '<html lang="ar" dir="rtl">'
    assert "يحتوي معامل الاستعلام «q» على محرف تحكم" in bad.content.decode()

    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 404
    assert html_tag(response.content) == '<html lang="ar" dir="rtl">'
    assert "<h1>الصفحة غير موجودة</h1>" in response.content.decode()
