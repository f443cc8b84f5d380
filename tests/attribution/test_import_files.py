"""Re-importing unchanged files: recognised by their bytes, never parsed, and exactly what a full import decides."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attribution.importing import files
from attribution.importing.models import ImportConflict, ImportedFile
from attribution.models import Article, Citation
from attribution.parsing import ArticleInput
from attribution.services import remove_article, save_article

pytestmark = pytest.mark.django_db

WIRE = "https://www.example-wire.com/world/2026/05/01/flood"
AGENCY = "https://agency.example/en/flood?id=7"


def write(directory, name, *, headline="Flood warning issued", body="Rain all week.", headers=(), sources=(WIRE,)):
    trailer = " ".join(f"{n}/ {url}" for n, url in enumerate(sources, 1))
    lines = [*headers, "date 2026-05-01", headline, body, f"Sources {trailer}", "The cited sources can contact us."]
    (directory / name).write_text("\n".join(lines) + "\n")


def run(path, capsys, *extra):
    call_command("import_articles", str(path), "--no-progress", *extra)
    return capsys.readouterr().out


@pytest.fixture
def parses(monkeypatch):
    """The paths the import parsed, in order (the real parser still runs)."""
    seen = []
    real = files.parse_article_text

    def counting(text, origin, **kwargs):
        seen.append(origin.rsplit("/", 1)[-1])
        return real(text, origin, **kwargs)

    monkeypatch.setattr(files, "parse_article_text", counting)
    return seen


def test_unchanged_files_are_not_parsed_and_a_changed_one_is(tmp_path, capsys, parses):
    for n in range(3):
        write(tmp_path, f"{n}.txt", headline=f"Story {n}")
    run(tmp_path, capsys)
    assert ImportedFile.objects.count() == 3
    parses.clear()

    assert "0 created, 0 updated, 3 unchanged" in run(tmp_path, capsys)
    assert parses == []

    write(tmp_path, "1.txt", headline="Story 1", body="Rain all week, and wind.")
    assert "0 created, 1 updated, 2 unchanged" in run(tmp_path, capsys)
    assert parses == ["1.txt"]
    assert Article.objects.get(slug="story-1").body == "Rain all week, and wind."


def test_the_fast_path_decides_what_the_full_path_decides(tmp_path, capsys):
    write(tmp_path, "a.txt", headers=["External-ID: cms-1"], sources=(WIRE, AGENCY))
    write(tmp_path, "b.txt", headline="Bridge closes")
    write(tmp_path, "c.txt", headline="Dam opens", headers=["Canonical-URL: https://news.example/dam"])
    run(tmp_path, capsys)
    state = list(Article.objects.order_by("id").values())
    fast = run(tmp_path, capsys)
    ImportedFile.objects.all().delete()  # nothing remembered: every file takes the full path
    full = run(tmp_path, capsys)
    assert fast == full
    assert "3 unchanged" in fast
    assert list(Article.objects.order_by("id").values()) == state


def test_a_removed_article_is_still_skipped_with_its_note(tmp_path, capsys):
    write(tmp_path, "a.txt")
    run(tmp_path, capsys)
    remove_article(Article.objects.get(), request_number=12)
    out = run(tmp_path, capsys)
    assert "1 skipped (removed)" in out
    assert "was removed (request #12) and stays removed" in out


def test_a_workflow_edit_is_neither_overwritten_nor_held_by_the_same_file_again(tmp_path, capsys, parses):
    write(tmp_path, "a.txt")
    run(tmp_path, capsys)
    article = Article.objects.get()
    save_article(
        ArticleInput(headline="Flood warning issued", published_on=article.published_on, body="Corrected.",
                     sources=(WIRE,), slug=article.slug),
        by_workflow=True,
    )  # fmt: skip
    parses.clear()
    assert "1 unchanged" in run(tmp_path, capsys)
    assert parses == []
    assert Article.objects.get().body == "Corrected."
    assert not ImportConflict.objects.exists()

    write(tmp_path, "a.txt", body="A new version from the CMS.")
    assert "1 held for an editor" in run(tmp_path, capsys)


def test_an_article_renamed_by_another_file_is_matched_again_by_the_full_path(tmp_path, capsys, parses):
    write(tmp_path, "a.txt", headers=["External-ID: cms-1"])
    run(tmp_path, capsys)
    # Another export of the same article, with a new headline: it updates the article...
    write(tmp_path, "b.txt", headline="Flood warning extended", headers=["External-ID: cms-1"])
    run(tmp_path / "b.txt", capsys)
    parses.clear()
    # ...so a.txt, unchanged, is no longer what the article holds, and b.txt follows it in the same chunk:
    # both are parsed and applied in file order, as a full import would.
    assert "0 created, 2 updated, 0 unchanged" in run(tmp_path, capsys)
    assert parses == ["a.txt", "b.txt"]
    assert Article.objects.get().headline == "Flood warning extended"


def test_a_move_makes_every_file_parsed_again_once(tmp_path, capsys, parses):
    from attribution.moves.models import MoveBatch

    write(tmp_path, "a.txt")
    run(tmp_path, capsys)
    MoveBatch.objects.create(kind=MoveBatch.Kind.values[0], old=WIRE, new=AGENCY)
    parses.clear()
    assert "1 unchanged" in run(tmp_path, capsys)
    assert parses == ["a.txt"]
    parses.clear()
    run(tmp_path, capsys)
    assert parses == []


def test_an_unchanged_reimport_costs_the_same_queries_for_5_and_50_files(tmp_path, capsys):
    counts = []
    for n in (5, 50):
        directory = tmp_path / str(n)
        directory.mkdir()
        for i in range(n):
            write(directory, f"{i}.txt", headline=f"Story {n} {i}")
        run(directory, capsys)
        with CaptureQueriesContext(connection) as queries:
            assert f"{n} unchanged" in run(directory, capsys)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4
    assert Citation.objects.count() == 55


def test_the_listing_is_the_sorted_rglob_order(tmp_path):
    for name in ("b/2.txt", "a/10.txt", "a/9.TXT", "a-b/1.txt", "c.text", "skip.md", "a/x/1.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    expected = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".text"})
    assert files.list_files(str(tmp_path), {".txt", ".text"}) == [str(p) for p in expected]


def test_a_row_that_breaks_a_constraint_raises_djangos_integrity_error_on_every_backend(tmp_path, capsys):
    # The import retries a batch one by one on IntegrityError; on PostgreSQL its rows go in by COPY.
    from django.db import IntegrityError, transaction

    from attribution.importing import rows

    write(tmp_path, "a.txt")
    run(tmp_path, capsys)
    copy = Article.objects.get()
    copy.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert_instances(Article, [copy])
    assert Article.objects.count() == 1


def test_reading_ahead_in_a_second_process_imports_and_reports_exactly_what_one_process_does(
    tmp_path, capsys, monkeypatch
):
    """Every chunk but the first is read and parsed by the worker (importing/ahead.py); the result is the same."""
    from attribution.importing import ahead

    monkeypatch.setattr(files, "CHUNK", 1)  # chunks of --batch-size (2 files)
    for n in range(7):
        write(tmp_path, f"{n}.txt", headline=f"Story {n % 5}", sources=(WIRE, AGENCY)[: 1 + n % 2])
    (tmp_path / "3.txt").write_bytes(b"date 2026-05-01\nCaf\xe9 story\n")  # not UTF-8
    (tmp_path / "5.txt").write_text("no date here\nHeadline\n")  # a parse error

    def outcome(min_files):
        monkeypatch.setattr(ahead, "MIN_FILES", min_files)
        with pytest.raises(CommandError) as failed:
            call_command("import_articles", str(tmp_path), "--no-progress", "--batch-size", "2")
        out, err = capsys.readouterr()
        articles = list(Article.objects.order_by("id").values_list("slug", "headline", "fingerprint"))
        citations = list(Citation.objects.order_by("id").values_list("article__slug", "position", "source_url__url"))
        Article.objects.all().delete()
        ImportedFile.objects.all().delete()
        return str(failed.value), out, err, articles, citations

    fell_back = []
    monkeypatch.setattr(ahead.logger, "warning", lambda message, *args, **kwargs: fell_back.append(message))
    submitted = []
    real_submit = ahead.Ahead.submit
    monkeypatch.setattr(
        ahead.Ahead, "submit", lambda self, *args: submitted.append(args[0]) or real_submit(self, *args)
    )
    in_one = outcome(10_000)
    assert submitted == []
    in_two = outcome(1)
    assert len(submitted) == 3  # chunks 2-4 of 4 (the first is read before there is a chunk to write)
    assert in_two == in_one
    assert fell_back == []  # the worker answered every time
    assert "4 created, 1 updated" in in_one[0] and "2 failed" in in_one[0]
    assert "3.txt: is not UTF-8 text" in in_one[2] and "5.txt:1: expected 'date YYYY-MM-DD'" in in_one[2]


def test_the_reading_process_sends_each_inputs_slug_and_fingerprint_as_this_one_works_them_out(tmp_path):
    """Worked out in the worker and pickled with the input, so planning here does not work them out again."""
    from attribution.importing import ahead
    from attribution.parsing import parse_article_text

    write(tmp_path, "a.txt", headline="Flood warning issued", sources=(WIRE, AGENCY))
    write(tmp_path, "b.txt", headline="تحذير من فيضانات", body="Café « météo ».")
    write(tmp_path, "c.txt", headline="!!!")  # no slug in the headline: "article-<date>"
    paths = [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt")]
    worker = ahead.Ahead(files.read_and_parse)
    try:
        worker.submit(paths, b"token")
        read = worker.take(paths, b"token")
    finally:
        worker.close()
    assert read is not None
    for path, _digest, _error, item in read:
        assert {"_resolved_slug", "fingerprint"} <= item.__dict__.keys()  # arrived worked out
        here = parse_article_text((tmp_path / path).read_text(), path)
        assert (item.__dict__["_resolved_slug"], item.__dict__["fingerprint"]) == (
            here.resolved_slug(),
            here.fingerprint,
        )
    assert [item.resolved_slug() for *_rest, item in read] == [
        "flood-warning-issued",
        "تحذير-من-فيضانات",
        "article-2026-05-01",
    ]


def _failing_read(paths, token):
    raise RuntimeError("the reading process broke")


def test_a_failing_reading_process_leaves_the_import_to_this_one(tmp_path, capsys, monkeypatch):
    from attribution.importing import ahead

    monkeypatch.setattr(files, "CHUNK", 1)
    monkeypatch.setattr(ahead, "MIN_FILES", 1)
    monkeypatch.setattr(files, "read_and_parse", _failing_read)  # what the worker runs
    fell_back = []
    monkeypatch.setattr(ahead.logger, "warning", lambda message, *args, **kwargs: fell_back.append(message))
    for n in range(5):
        write(tmp_path, f"{n}.txt", headline=f"Story {n}")
    assert "5 created" in run(tmp_path, capsys, "--batch-size", "2")
    assert Article.objects.count() == 5
    assert fell_back == ["the import's reading process failed; reading this chunk in this one"] * 2  # chunks 2, 3


def test_a_large_import_widens_sqlites_cache_and_checkpoints_only_meanwhile():
    from attribution.importing.rows import large_cache

    if connection.vendor != "sqlite":  # elsewhere it leaves the connection alone
        with CaptureQueriesContext(connection) as asked, large_cache():
            pass
        assert asked.captured_queries == []
        return

    def pragma(name: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return cursor.fetchone()[0]

    before = pragma("cache_size"), pragma("wal_autocheckpoint")
    with large_cache():
        assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == (-65_536, 16_000)
    assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == before


def test_instances_are_inserted_with_their_own_values_and_defaults_for_what_they_lack():
    # rows.insert_instances reads a whole row with one itemgetter; an instance without some field (deferred,
    # or built by hand) falls back to that field's default, as a look-up per field would.
    from attribution.importing import rows
    from attribution.models import Publisher

    made = rows.instance_factory(Publisher)(host="wire.example", name="Wire")
    deferred = Publisher(host="agency.example", name="Agency", contact_email="desk@agency.example")
    del deferred.__dict__["contact_email"]
    rows.insert_instances(Publisher, [made, deferred])
    stored = dict(Publisher.objects.values_list("host", "contact_email"))
    assert stored == {"wire.example": "", "agency.example": ""}
    assert Publisher.objects.get(host="wire.example").name == "Wire"
    assert Publisher.objects.filter(created_at=made.created_at).count() == 2  # auto_now_add: one "now" for all


def test_a_row_getter_gives_a_tuple_for_one_name_as_for_several():
    from attribution.importing.rows import row_getter

    assert row_getter(["a"])({"a": 1, "b": 2}) == (1,)
    assert row_getter(["b", "a"])({"a": 1, "b": 2}) == (2, 1)
