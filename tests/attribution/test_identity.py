"""One identity per article: external id, else canonical URL, else headline slug and date."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.models import Article, ArticleSlugRedirect
from attribution.parsing import ArticleInput, ParseError, parse_article_text, parse_jsonl_record, render_article
from attribution.services import import_articles

pytestmark = pytest.mark.django_db

WIRE = "https://www.example-wire.com/world/2026/05/01/flood"


def write_text(directory, name, *, headline, body="Rain all week.", date="2026-05-01", headers=(), sources=(WIRE,)):
    trailer = " ".join(f"{n}/ {url}" for n, url in enumerate(sources, 1))
    lines = [*headers, f"date {date}", headline, body, f"Sources {trailer}", "The cited sources can contact us."]
    (directory / name).write_text("\n".join(lines) + "\n")


def run(path, capsys):
    call_command("import_articles", str(path), "--no-progress")
    return capsys.readouterr().out


def test_a_new_headline_with_the_same_external_id_updates_the_article_and_keeps_its_slug(tmp_path, capsys):
    write_text(tmp_path, "a.txt", headline="Flood warning issued", headers=["External-ID: cms-481"])
    run(tmp_path, capsys)
    write_text(tmp_path, "a.txt", headline="Flood warning extended to the coast", headers=["External-ID: cms-481"])

    out = run(tmp_path, capsys)

    article = Article.objects.get()
    assert "0 created, 1 updated" in out
    assert (article.slug, article.headline) == ("flood-warning-issued", "Flood warning extended to the coast")
    assert article.external_id == "cms-481"


def test_three_hundred_edited_headlines_stay_three_hundred_articles(tmp_path, capsys):
    for n in range(300):
        write_text(tmp_path, f"{n}.txt", headline=f"Story {n}", headers=[f"External-ID: post-{n}"])
    run(tmp_path, capsys)
    for n in range(300):
        write_text(tmp_path, f"{n}.txt", headline=f"Story {n}, updated", headers=[f"External-ID: post-{n}"])

    assert "0 created, 300 updated" in run(tmp_path, capsys)
    assert Article.objects.count() == 300


def test_the_canonical_url_alone_is_an_identity(tmp_path, capsys):
    header = "Canonical-URL: https://News.Example/2026/05/01/flood#top"
    write_text(tmp_path, "a.txt", headline="Flood warning issued", headers=[header])
    run(tmp_path, capsys)
    write_text(tmp_path, "a.txt", headline="Flood warning lifted", headers=[header])

    run(tmp_path, capsys)

    article = Article.objects.get()
    assert article.headline == "Flood warning lifted"
    assert article.canonical_url == "https://news.example/2026/05/01/flood"


def test_the_same_headline_on_another_date_is_another_article_and_the_report_says_so(tmp_path, capsys):
    write_text(tmp_path, "a.txt", headline="Council meets", date="2026-05-01", body="May.")
    run(tmp_path, capsys)
    write_text(tmp_path, "b.txt", headline="Council meets", date="2026-06-01", body="June.")
    write_text(tmp_path, "c.txt", headline="Council meets", date="2026-07-01", body="July.")

    out = run(tmp_path, capsys)

    slugs = dict(Article.objects.values_list("slug", "body"))
    assert slugs == {"council-meets": "May.", "council-meets-2": "June.", "council-meets-3": "July."}
    assert "2 created, 0 updated, 1 unchanged" in out
    assert (
        "note: “Council meets” of 2026-06-01 shares its headline with another article: saved as “council-meets-2”"
        in out
    )
    # Each keeps its identity on the next run: the dated variants are found again, not duplicated.
    write_text(tmp_path, "c.txt", headline="Council meets", date="2026-07-01", body="July, corrected.")
    assert "0 created, 1 updated, 2 unchanged" in run(tmp_path, capsys)
    assert Article.objects.get(slug="council-meets-3").body == "July, corrected."


def test_an_article_with_another_external_id_is_never_merged_by_headline(tmp_path, capsys):
    write_text(tmp_path, "a.txt", headline="Council meets", headers=["External-ID: 1"], body="One.")
    write_text(tmp_path, "b.txt", headline="Council meets", headers=["External-ID: 2"], body="Two.")

    run(tmp_path, capsys)

    assert dict(Article.objects.values_list("external_id", "slug")) == {"1": "council-meets", "2": "council-meets-2"}


def test_an_explicit_new_slug_moves_the_article_and_the_old_address_answers_301(client, tmp_path):
    export = tmp_path / "cms.jsonl"
    record = {"title": "Flood", "date": "2026-05-01", "body": "b", "sources": [], "external_id": 77, "slug": "flood"}
    export.write_text(json.dumps(record) + "\n")
    call_command("import_articles", "--format", "jsonl", str(export), "--no-progress")
    export.write_text(json.dumps({**record, "slug": "flood-warning"}) + "\n")

    call_command("import_articles", "--format", "jsonl", str(export), "--no-progress")

    article = Article.objects.get()
    assert article.slug == "flood-warning" and ArticleSlugRedirect.objects.get().old_slug == "flood"
    page = client.get("/articles/flood/")
    assert (page.status_code, page["Location"]) == (301, "/articles/flood-warning/")
    api = client.get("/api/articles/flood/")
    assert api.status_code == 301 and api["Location"].endswith("/api/articles/flood-warning/")
    assert client.get("/articles/never-was/").status_code == 404


def test_an_explicit_slug_owned_by_another_article_fails_alone(tmp_path, capsys):
    export = tmp_path / "cms.jsonl"
    first = {"title": "A", "date": "2026-05-01", "body": "", "external_id": "a", "slug": "a"}
    second = {"title": "B", "date": "2026-05-01", "body": "", "external_id": "b", "slug": "a"}
    export.write_text(json.dumps(first) + "\n" + json.dumps(second) + "\n")

    with pytest.raises(CommandError) as caught:
        call_command("import_articles", "--format", "jsonl", str(export), "--no-progress")

    assert "1 created" in str(caught.value) and "1 failed" in str(caught.value)
    assert "the slug “a” belongs to another article" in capsys.readouterr().err
    assert Article.objects.get().external_id == "a"


def test_the_text_header_lines_are_read_and_written_back():
    text = "External-ID: cms-9\nCanonical-URL: https://news.example/a\ndate 2026-05-01\nHeadline\nBody.\n"

    parsed = parse_article_text(text, "a.txt")

    assert (parsed.external_id, parsed.canonical_url, parsed.headline) == (
        "cms-9",
        "https://news.example/a",
        "Headline",
    )
    again = parse_article_text(render_article(parsed), "a.txt")
    assert (again.external_id, again.canonical_url) == ("cms-9", "https://news.example/a")


def test_a_bad_canonical_url_is_reported_with_what_to_fix():
    with pytest.raises(ParseError, match="canonical URL must be an http"):
        parse_article_text("Canonical-URL: mailto:desk@news.example\ndate 2026-05-01\nH\nB\n", "a.txt")
    with pytest.raises(ParseError, match="canonical URL must be an http"):
        parse_jsonl_record('{"title": "T", "date": "2026-05-01", "body": "", "canonical_url": "nope"}', "x", 3)


def test_links_in_markdown_or_html_are_read_as_their_url_with_the_link_text_as_citation_text(tmp_path, capsys):
    sources = ("[Wire report](https://wire.example/flood)", '<a href="https://agency.example/f?a=1&amp;b=2">Agency</a>')
    write_text(tmp_path, "a.txt", headline="Flood", sources=sources)
    record = {"title": "Storm", "date": "2026-05-01", "body": "", "sources": ['<a href="https://x.example/s">X</a>']}
    (tmp_path / "e.jsonl").write_text(json.dumps(record) + "\n")

    run(tmp_path, capsys)
    call_command("import_articles", "--format", "jsonl", str(tmp_path / "e.jsonl"), "--no-progress")

    cited = Article.objects.get(slug="flood").citations.order_by("position").select_related("source_url")
    assert [(c.text_as_written, c.source_url.url) for c in cited] == [
        ("Wire report", "https://wire.example/flood"),
        ("Agency", "https://agency.example/f?a=1&b=2"),
    ]
    storm = Article.objects.get(slug="storm").citations.select_related("source_url").get()
    assert (storm.text_as_written, storm.source_url.url) == ("X", "https://x.example/s")
    assert "0 created, 0 updated, 1 unchanged" in run(tmp_path, capsys)


def test_the_api_takes_and_shows_identity_and_refuses_a_duplicate(admin_client):
    payload = {
        "headline": "Flood",
        "published_on": "2026-05-01",
        "body": "b",
        "sources": ["[Wire](https://wire.example/flood)"],
        "external_id": "cms-5",
        "canonical_url": "https://news.example/flood",
    }
    created = admin_client.post("/api/articles/", payload, content_type="application/json")
    assert created.status_code == 201
    assert (created.json()["external_id"], created.json()["sources"][0]["text_as_written"]) == ("cms-5", "Wire")

    again = admin_client.post(
        "/api/articles/", {**payload, "headline": "Flood, renamed"}, content_type="application/json"
    )
    assert again.status_code == 400 and "PUT /api/articles/flood/" in again.json()["slug"][0]

    bad = admin_client.post("/api/articles/", {**payload, "canonical_url": "ftp://x"}, content_type="application/json")
    assert bad.status_code == 400 and "canonical_url" in bad.json()
    renamed = admin_client.put(
        "/api/articles/flood/", {**payload, "headline": "Flood, renamed"}, content_type="application/json"
    )
    assert renamed.status_code == 200 and Article.objects.get().headline == "Flood, renamed"


def test_matching_costs_the_same_few_queries_whatever_the_batch_size():
    def batch(n, prefix):
        return [
            ArticleInput(
                headline=f"{prefix} {i}",
                published_on=dt.date(2026, 1, 1),
                body="b",
                external_id=f"{prefix}-{i}",
                canonical_url=f"https://news.example/{prefix}/{i}",
            )
            for i in range(n)
        ]

    import_articles(batch(5, "small"))
    import_articles(batch(50, "large"))
    edited = [
        [ArticleInput(**{**vars(i), "headline": i.headline + "!"}) for i in batch(n, p)]
        for n, p in ((5, "small"), (50, "large"))
    ]
    counts = []
    for inputs in edited:
        with CaptureQueriesContext(connection) as queries:
            assert import_articles(inputs).updated == len(inputs)
        counts.append(len(queries))
    assert counts[0] == counts[1]
