"""import_articles: the service and the command that share it."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from attribution.models import Article, Citation, Publisher, SourceURL
from attribution.parsing import ArticleInput, render_article
from attribution.services import import_articles, save_article

pytestmark = pytest.mark.django_db

WIRE = "https://www.example-wire.com/world/2026/05/01/flood"
AGENCY = "https://agency.example/en/flood?id=7"


def write_article(
    directory, name, *, headline="Flood warning issued", sources=(WIRE,), body="Rain all week.", date="2026-05-01"
):
    path = directory / name
    trailer = " ".join(f"{n}/ {url}" for n, url in enumerate(sources, 1))
    path.write_text(f"date {date}\n{headline}\n{body}\nSources {trailer}\nThe mention sources can contact us.\n")
    return path


def run(*args):
    call_command("import_articles", *map(str, args), "--no-progress")


def test_it_creates_articles_citations_sources_and_publishers(tmp_path):
    write_article(
        tmp_path,
        "a.txt",
        sources=("https://Google.com/", WIRE, "https://www.example-wire.com/world/2026/05/01/flood#top"),
    )
    run(tmp_path / "a.txt")
    article = Article.objects.get()
    assert article.slug == "flood-warning-issued"
    assert article.imported_from.endswith("a.txt")
    citations = list(article.citations.order_by("position").select_related("source_url__publisher"))
    assert [c.position for c in citations] == [1, 2, 3]
    assert citations[0].text_as_written == "https://Google.com/"
    assert citations[0].source_url.url == "https://google.com/"
    assert citations[1].source_url.publisher.host == "example-wire.com"
    # The fragment is not a different work: the third citation repeats the second.
    assert citations[2].source_url_id == citations[1].source_url_id
    assert citations[2].is_duplicate and not citations[1].is_duplicate
    assert (article.has_homepage_source, article.has_duplicate_source, article.has_no_sources) == (True, True, False)
    assert SourceURL.objects.count() == 2


def test_reimporting_the_same_file_changes_nothing(tmp_path, capsys):
    write_article(tmp_path, "a.txt")
    run(tmp_path)
    before = Article.objects.get().updated_at
    run(tmp_path)
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert Article.objects.count() == 1
    assert Article.objects.get().updated_at == before


def test_reimporting_an_edit_updates_in_place_and_drops_vanished_citations_but_keeps_sources(tmp_path, capsys):
    write_article(tmp_path, "a.txt", sources=(WIRE, AGENCY))
    run(tmp_path)
    article_id = Article.objects.get().pk
    write_article(tmp_path, "a.txt", sources=(AGENCY,), body="Rain all week, and wind.")
    run(tmp_path)
    assert "0 created, 1 updated" in capsys.readouterr().out
    article = Article.objects.get()
    assert article.pk == article_id
    assert article.body == "Rain all week, and wind."
    assert [c.source_url.url for c in article.citations.all()] == [AGENCY]
    assert SourceURL.objects.filter(url=WIRE).exists()


def test_a_source_shared_by_many_articles_is_one_row(tmp_path):
    for n in range(3):
        write_article(tmp_path, f"{n}.txt", headline=f"Story {n}", sources=(WIRE,))
    run(tmp_path)
    assert SourceURL.objects.count() == 1
    assert Citation.objects.filter(source_url__url=WIRE).count() == 3


def test_one_bad_file_fails_alone_and_the_command_exits_non_zero(tmp_path, capsys):
    write_article(tmp_path, "good.txt")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bad-date.txt").write_text("date 2026-13-01\nHeadline\n")
    (tmp_path / "latin1.txt").write_bytes("date 2026-01-01\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(CommandError) as caught:
        run(tmp_path)
    assert caught.value.returncode == 1
    assert "1 created, 0 updated, 0 unchanged, 0 skipped (removed), 3 failed" in str(caught.value)
    errors = capsys.readouterr().err
    assert f"{tmp_path / 'empty.txt'}:1: the file is empty" in errors
    assert f"{tmp_path / 'bad-date.txt'}:1: “2026-13-01” is not a valid date" in errors
    assert "latin1.txt: is not UTF-8 text" in errors
    assert Article.objects.count() == 1


def test_missing_paths_are_reported(tmp_path, capsys):
    with pytest.raises(CommandError):
        run(tmp_path / "nope.txt")
    assert "no such file or directory" in capsys.readouterr().err


def test_an_article_without_sources_is_imported_and_flagged(tmp_path):
    (tmp_path / "a.txt").write_text("date 2026-05-01\nQuiet day\nNothing happened.\n")
    run(tmp_path)
    assert Article.objects.get().has_no_sources


def test_jsonl_export_imports_each_line_and_reports_bad_lines(tmp_path, capsys):
    lines = [
        {"title": "Dam opens", "date": "2026-06-01", "body": "Water flows.", "sources": [AGENCY], "slug": "dam-opens"},
        {"title": "No date", "body": "x", "sources": []},
        {
            "title": "Bridge closes",
            "date": "2026-06-02",
            "body": "Traffic diverted.",
            "sources": ["ftp://files.example/a"],
        },
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    with pytest.raises(CommandError):
        call_command("import_articles", "--format", "jsonl", str(path), "--no-progress")
    assert f"{path}:2: “date” is missing" in capsys.readouterr().err
    assert set(Article.objects.values_list("slug", flat=True)) == {"dam-opens", "bridge-closes"}
    assert Article.objects.get(slug="bridge-closes").has_invalid_source


def test_removed_articles_are_never_brought_back_by_an_import(tmp_path, capsys):
    write_article(tmp_path, "a.txt")
    run(tmp_path)
    Article.objects.update(status=Article.Status.REMOVED)
    write_article(tmp_path, "a.txt", body="A new version.")
    run(tmp_path)
    assert "1 skipped (removed)" in capsys.readouterr().out
    article = Article.objects.get()
    assert article.status == Article.Status.REMOVED and article.body == "Rain all week."


def test_a_slug_repeated_in_one_batch_applies_the_later_version():
    first = ArticleInput(headline="Same", published_on=dt.date(2026, 1, 1), body="one")
    second = ArticleInput(headline="Same", published_on=first.published_on, body="two")
    summary = import_articles([first, second])
    assert (summary.created, summary.updated) == (1, 1)
    assert Article.objects.get().body == "two"


def test_batches_give_the_same_result_as_one_by_one(tmp_path):
    for n in range(7):
        write_article(tmp_path, f"{n}.txt", headline=f"Story {n}", sources=(WIRE, f"https://agency.example/{n}"))
    call_command("import_articles", str(tmp_path), "--no-progress", "--batch-size", "3")
    assert Article.objects.count() == 7
    assert Citation.objects.count() == 14
    assert SourceURL.objects.count() == 8


def test_publishers_are_matched_by_the_longest_known_domain():
    Publisher.objects.create(host="abcnews.go.com", name="ABC News")
    article, outcome = save_article(
        ArticleInput(
            headline="H",
            published_on=dt.date(2026, 1, 1),
            body="",
            sources=("https://abcnews.go.com/International/story-1", "https://www.go.com/other"),
        )
    )
    publishers = [c.source_url.publisher for c in article.citations.order_by("position")]
    assert outcome == "created"
    assert publishers[0].name == "ABC News"
    assert publishers[1].host == "go.com"


def test_the_rendered_format_imports(tmp_path):
    data = ArticleInput(headline="Rendered", published_on=dt.date(2026, 2, 2), body="Body.", sources=(WIRE,))
    (tmp_path / "r.txt").write_text(render_article(data))
    run(tmp_path)
    assert Article.objects.get().citations.get().source_url.url == WIRE


def test_a_failing_batch_is_retried_one_by_one_so_only_the_bad_article_fails(monkeypatch):
    from django.db import IntegrityError

    from attribution import services

    real_import_batch = services._import_batch

    def import_batch(batch):
        # As if a concurrent import had just taken the slug "clash".
        if any(item.resolved_slug() == "clash" for item in batch):
            raise IntegrityError("duplicate key value violates unique constraint")
        return real_import_batch(batch)

    monkeypatch.setattr(services, "_import_batch", import_batch)
    good = ArticleInput(headline="Fine", published_on=dt.date(2026, 1, 1), body="ok", origin="a.txt")
    bad = ArticleInput(headline="Clash", published_on=dt.date(2026, 1, 1), body="x", origin="b.txt")
    summary = import_articles([good, bad])
    assert (summary.created, summary.failed) == (1, 1)
    assert summary.errors[0].startswith("b.txt: could not be saved")
    assert list(Article.objects.values_list("slug", flat=True)) == ["fine"]
