"""Moved links fixed everywhere: preview, rewrite with history, undo, aliases for later imports, outlets."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from attribution.models import Article, SourceURL
from attribution.moves.models import MoveBatch, SourceAlias
from attribution.moves.services import MoveError, apply_move, preview_host_move, preview_source_move, undo_move
from attribution.parsing import ArticleInput
from attribution.services import import_articles
from attribution.urls_normalise import normalise_url

pytestmark = pytest.mark.django_db

OLD = "http://old.example/story/1"
NEW = "https://www.new.example/story/1"
OTHER = "https://other.example/report"


def imported(headline, sources, day=1):
    item = ArticleInput(
        headline=headline, published_on=dt.date(2026, 5, day), body=f"{headline} body.", sources=tuple(sources)
    )
    summary = import_articles([item])
    assert summary.failed == 0, summary.errors
    return Article.objects.get(headline=headline)


def sources_of(article):
    return list(article.citations.order_by("position").values_list("text_as_written", "source_url__url"))


def redirected(url=OLD, final=NEW):
    source = SourceURL.objects.get(url=normalise_url(url).url)
    source.status, source.final_url = SourceURL.Status.REDIRECTED, final
    source.save()
    return source


@pytest.fixture
def two_articles():
    first = imported("Dam opens", [OLD, OTHER])
    second = imported("Dam closes", [f"[Old Gazette]({OLD})"], day=2)
    return first, second


def test_preview_lists_every_citation_and_changes_nothing(two_articles):
    first, second = two_articles
    plan = preview_source_move(redirected())
    assert [(c.article.slug, c.citations) for c in plan.changes] == [
        (second.slug, [(1, f"[Old Gazette]({OLD})", f"[Old Gazette]({normalise_url(NEW).url})")]),
        (first.slug, [(1, OLD, normalise_url(NEW).url)]),
    ]
    assert sources_of(first)[0] == (OLD, normalise_url(OLD).url)
    assert not MoveBatch.objects.exists() and not SourceAlias.objects.exists()


def test_apply_rewrites_every_citing_article_with_history(two_articles, editor):
    first, second = two_articles
    new = normalise_url(NEW).url
    batch = apply_move(preview_source_move(redirected()), actor=editor)
    assert sources_of(Article.objects.get(pk=first.pk)) == [(new, new), (OTHER, normalise_url(OTHER).url)]
    assert sources_of(Article.objects.get(pk=second.pk)) == [("Old Gazette", new)]
    assert batch.article_count == 2 and batch.created_by == editor
    latest = Article.objects.get(pk=first.pk).history.latest()
    assert latest.history_user == editor and latest.history_via == "moved link"


def test_a_moved_article_is_not_marked_as_a_workflow_decision(two_articles, editor):
    first, _second = two_articles
    apply_move(preview_source_move(redirected()), actor=editor)
    article = Article.objects.get(pk=first.pk)
    assert article.edited_by_workflow_at is None
    # A later edit from the CMS still updates it (not held as a conflict), and cites the new URL.
    item = ArticleInput(
        headline="Dam opens", published_on=dt.date(2026, 5, 1), body="Edited body.", sources=(OLD, OTHER)
    )
    summary = import_articles([item])
    assert (summary.updated, summary.held) == (1, 0)
    assert sources_of(Article.objects.get(pk=first.pk))[0][1] == normalise_url(NEW).url


def test_reimporting_the_old_file_changes_nothing(two_articles, editor):
    apply_move(preview_source_move(redirected()), actor=editor)
    again = import_articles(
        [
            ArticleInput(
                headline="Dam opens", published_on=dt.date(2026, 5, 1), body="Dam opens body.", sources=(OLD, OTHER)
            )
        ]
    )
    assert (again.unchanged, again.updated) == (1, 0)


def test_a_new_article_citing_the_old_url_cites_the_new_one(two_articles, editor):
    apply_move(preview_source_move(redirected()), actor=editor)
    later = imported("Dam report", [OLD], day=3)
    assert sources_of(later) == [(normalise_url(NEW).url, normalise_url(NEW).url)]


def test_undo_restores_the_old_citations_and_forgets_the_alias(two_articles, editor):
    first, second = two_articles
    before = [sources_of(first), sources_of(second)]
    batch = apply_move(preview_source_move(redirected()), actor=editor)
    assert undo_move(batch, actor=editor) == 2
    assert [sources_of(first), sources_of(second)] == before
    assert not SourceAlias.objects.exists()
    assert MoveBatch.objects.get(pk=batch.pk).undone_by == editor
    with pytest.raises(MoveError, match="already undone"):
        undo_move(batch, actor=editor)


def test_undo_is_refused_when_an_article_changed_since(two_articles, editor):
    first, _second = two_articles
    batch = apply_move(preview_source_move(redirected()), actor=editor)
    import_articles(
        [ArticleInput(headline="Dam opens", published_on=dt.date(2026, 5, 1), body="Rewritten.", sources=(OTHER,))]
    )
    with pytest.raises(MoveError, match=first.slug):
        undo_move(batch, actor=editor)
    assert sources_of(Article.objects.get(pk=first.pk)) == [(OTHER, normalise_url(OTHER).url)]


def test_removed_articles_are_left_alone(two_articles, editor):
    first, second = two_articles
    Article.objects.filter(pk=second.pk).update(status=Article.Status.REMOVED)
    plan = preview_source_move(redirected())
    assert [a.slug for a in plan.left_alone] == [second.slug]
    apply_move(plan, actor=editor)
    assert sources_of(Article.objects.get(pk=second.pk))[0][1] == normalise_url(OLD).url


@pytest.mark.parametrize(
    ("status", "final", "message"),
    [
        (SourceURL.Status.OK, NEW, "moved permanently"),
        (SourceURL.Status.REDIRECTED, "", "no usable final URL"),
        (SourceURL.Status.REDIRECTED, "not a url at all", "no usable final URL"),
        (SourceURL.Status.REDIRECTED, "http://10.0.0.1/x", "cannot be used"),
        (SourceURL.Status.REDIRECTED, OLD, "same as the cited"),
    ],
)
def test_a_source_that_cannot_move_says_why_and_changes_nothing(two_articles, status, final, message):
    source = SourceURL.objects.get(url=normalise_url(OLD).url)
    source.status, source.final_url = status, final
    source.save()
    with pytest.raises(MoveError, match=message):
        preview_source_move(source)
    assert not MoveBatch.objects.exists()


def test_an_outlet_moves_by_host_with_aliases_for_each_source(editor):
    first = imported("Port news", ["http://port.example/a", "http://port.example/b?x=1", OTHER])
    plan = preview_host_move("http://port.example", "https://port.example")
    assert sorted(new for _p, _o, new in plan.changes[0].citations) == [
        "https://port.example/a",
        "https://port.example/b?x=1",
    ]
    batch = apply_move(plan, actor=editor)
    assert [url for _t, url in sources_of(Article.objects.get(pk=first.pk))][:2] == [
        "https://port.example/a",
        "https://port.example/b?x=1",
    ]
    assert SourceAlias.objects.filter(batch=batch).count() == 2
    assert sources_of(imported("Port again", ["http://port.example/a"], day=4))[0][1] == "https://port.example/a"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("http://port.example/section", "https://port.example", "scheme and host"),
        ("ftp://port.example", "https://port.example", "scheme and host"),
        ("http://port.example", "http://port.example", "the same"),
        ("http://nowhere.example", "https://nowhere.example", "No cited source"),
    ],
)
def test_a_bad_outlet_move_says_what_to_fix(old, new, message):
    imported("Port news", ["http://port.example/a"])
    with pytest.raises(MoveError, match=message):
        preview_host_move(old, new)


def test_a_chain_of_moves_leads_old_imports_to_the_last_address(two_articles, editor):
    apply_move(preview_source_move(redirected()), actor=editor)
    third = "https://final.example/story/1"
    apply_move(preview_source_move(redirected(NEW, third)), actor=editor)
    assert sources_of(imported("Dam again", [OLD], day=5))[0][1] == third


# --- entry points: admin and API -------------------------------------------------------------------


def test_admin_preview_then_confirm(client, editor, two_articles):
    source = redirected()
    client.force_login(editor)
    url = reverse("admin:attribution_sourceurl_move", args=[source.pk])
    preview = client.get(url)
    assert preview.status_code == 200
    assert b"Yes, rewrite these citations" in preview.content and b"Old Gazette" in preview.content
    assert not MoveBatch.objects.exists()
    done = client.post(url, {"confirm": "yes"})
    batch = MoveBatch.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "admin:attribution_movebatch_change", args=[batch.pk]
    )
    assert client.get(done["Location"]).status_code == 200
    undone = client.post(reverse("admin:attribution_movebatch_undo", args=[batch.pk]))
    assert undone.status_code == 302 and MoveBatch.objects.get().undone_at


def test_admin_refuses_a_source_that_did_not_move(client, editor, two_articles):
    source = SourceURL.objects.get(url=normalise_url(OTHER).url)
    client.force_login(editor)
    answer = client.get(reverse("admin:attribution_sourceurl_move", args=[source.pk]), follow=True)
    assert b"Only a source that moved permanently" in answer.content


def test_admin_outlet_form_previews_and_moves(client, editor):
    imported("Port news", ["http://port.example/a"])
    client.force_login(editor)
    url = reverse("admin:attribution_sourceurl_movehost")
    preview = client.get(url, {"old": "http://port.example", "new": "https://port.example"})
    assert b"https://port.example/a" in preview.content and not MoveBatch.objects.exists()
    bad = client.get(url, {"old": "port.example/x", "new": "https://port.example"})
    assert bad.status_code == 200 and b"scheme and host" in bad.content
    client.post(url, {"old": "http://port.example", "new": "https://port.example", "confirm": "yes"})
    assert MoveBatch.objects.get().kind == MoveBatch.Kind.HOST


def test_staff_without_article_permission_cannot_move(client, django_user_model, two_articles):
    clerk = django_user_model.objects.create_user("cleo-clerk", "cleo@newsroom.example", "pw-cleo-1", is_staff=True)
    client.force_login(clerk)
    source = redirected()
    assert client.get(reverse("admin:attribution_sourceurl_move", args=[source.pk])).status_code == 403
    answer = client.post("/api/moves/", {"source": source.pk, "confirm": True}, content_type="application/json")
    assert answer.status_code == 403 and not MoveBatch.objects.exists()


def test_an_editor_group_member_may_move(client, django_user_model, two_articles):
    editor = django_user_model.objects.create_user("eve-editor", "eve@newsroom.example", "pw-eve-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    answer = client.post("/api/moves/", {"source": redirected().pk, "confirm": True}, content_type="application/json")
    assert answer.status_code == 201, answer.content


def test_api_previews_makes_and_undoes_a_move(client, editor, two_articles):
    client.force_login(editor)
    source = redirected()
    preview = client.post("/api/moves/", {"source": source.pk}, content_type="application/json")
    assert preview.status_code == 200 and len(preview.json()["articles"]) == 2
    assert not MoveBatch.objects.exists()
    made = client.post("/api/moves/", {"source": source.pk, "confirm": True}, content_type="application/json")
    assert made.status_code == 201 and len(made.json()["changes"]) == 2
    undone = client.post(f"/api/moves/{made.json()['id']}/undo/")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    again = client.post(f"/api/moves/{made.json()['id']}/undo/")
    assert again.status_code == 409 and "already undone" in again.json()["detail"]


@pytest.mark.parametrize(
    "payload",
    [{}, {"source": 1, "old_outlet": "http://a.example"}, {"old_outlet": "http://a.example"}, {"source": "x"}],
)
def test_api_bad_requests_say_what_to_fix(client, editor, payload):
    client.force_login(editor)
    answer = client.post("/api/moves/", payload, content_type="application/json")
    assert answer.status_code == 400 and answer.json()


def test_api_refuses_a_source_that_did_not_move(client, editor, two_articles):
    client.force_login(editor)
    source = SourceURL.objects.get(url=normalise_url(OTHER).url)
    answer = client.post("/api/moves/", {"source": source.pk, "confirm": True}, content_type="application/json")
    assert answer.status_code == 400 and "moved permanently" in answer.json()["detail"]


def test_the_source_pages_link_to_the_move_tools(client, editor, two_articles):
    client.force_login(editor)
    source = redirected()
    listing = client.get(reverse("admin:attribution_sourceurl_changelist"))
    assert reverse("admin:attribution_sourceurl_movehost").encode() in listing.content
    page = client.get(reverse("admin:attribution_sourceurl_change", args=[source.pk]))
    assert reverse("admin:attribution_sourceurl_move", args=[source.pk]).encode() in page.content
