"""An import raises the cyclic GC's young threshold while it runs (13 % of a large import's CPU) and restores it."""

import datetime as dt
import gc

import pytest

from attribution.importing import files
from attribution.lib.gc_threshold import YOUNG_THRESHOLD
from attribution.models import Article
from attribution.parsing import ArticleInput
from attribution.services import import_articles

pytestmark = pytest.mark.django_db


def story(n: int) -> ArticleInput:
    return ArticleInput(
        headline=f"Story {n}", published_on=dt.date(2026, 5, 1), body="Text.", sources=("https://a.example/x",)
    )


def test_the_import_service_raises_the_threshold_and_restores_it(default_threshold):
    seen = []
    summary = import_articles(
        [story(1), story(2)], batch_size=1, on_progress=lambda _n: seen.append(gc.get_threshold())
    )
    assert summary.created == 2
    assert seen == [(YOUNG_THRESHOLD, 10, 10)] * 2
    assert gc.get_threshold() == (700, 10, 10)


def test_a_file_import_holds_it_between_chunks_and_restores_it_when_it_fails(tmp_path, default_threshold):
    (tmp_path / "0.txt").write_bytes(b"\xff not UTF-8")  # reported by the file import itself, outside the service
    for n in (1, 2, 3):
        (tmp_path / f"{n}.txt").write_text(f"date 2026-05-01\nStory {n}\nText.\nSources 1/ https://a.example/{n}\n")
    paths = sorted(str(p) for p in tmp_path.iterdir())
    seen = []

    def progress(_n):
        seen.append(gc.get_threshold())
        if len(seen) == 3:
            raise RuntimeError("the progress bar broke")

    errors = []
    with pytest.raises(RuntimeError):
        files.import_text_files(paths, errors, batch_size=1, on_progress=progress)
    assert seen == [(YOUNG_THRESHOLD, 10, 10)] * 3
    assert gc.get_threshold() == (700, 10, 10)
    assert "0.txt: is not UTF-8 text" in errors[0]
    assert Article.objects.count() == 2  # each batch is its own transaction: the first two stay


def test_a_higher_threshold_set_by_the_process_is_kept(default_threshold):
    gc.set_threshold(50_000, 20, 20)
    seen = []
    import_articles([story(1)], on_progress=lambda _n: seen.append(gc.get_threshold()))
    assert seen == [(50_000, 20, 20)]
    assert gc.get_threshold() == (50_000, 20, 20)
