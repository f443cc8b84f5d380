"""Drift comparison CPU per page (issue 12 §2), on bench/pages/: what one drift check costs besides the fetch.

    .venv/bin/python bench/drift.py [--repeat 15]

For each bench page (realistic news pages, English and Arabic, made by
bench/support/news_pages.py) the "cited" version is the page as it is and the
"now" version has its boilerplate rotated (every digit changed, as dates,
times and view counts are; the article's own figures change too) and then a
correction notice added under the headline, in a box that main-text extraction drops. Each step of a drift check is timed as the median
CPU time (user+sys of this process) over ``--repeat`` runs, then the median
over pages:

- extract: main text and title of the page now (attribution/snapshots/extract.py);
- compare: drift.compare_with_cited, as a check runs it: the notice scope of the page
  now (its HTML parsed), shingle and title similarity, and, only when the page now
  has a notice, the cited page's HTML parsed to tell whether the notice is new;
- total: both, what the 5 ms target is about.

It also checks the verdicts: every rotated page must stay "same" before the
notice is added and be "corrected" after.
"""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PAGES = ROOT / "bench" / "pages"
NOTICE = {
    "en": '<div class="editors-note">Correction: An earlier version of this article misstated the figures.</div>',
    "ar": '<div class="editors-note">تصحيح: ورد في نسخة سابقة من هذا المقال خطأ في الأرقام.</div>',
}


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def rotated(html: str) -> str:
    """The page a month later: every digit of its text changed (not of its tags), the words left alone."""

    def shift(text: re.Match) -> str:
        return re.sub(r"\d", lambda digit: str((int(digit.group()) + 3) % 10), text.group())

    return re.sub(r">[^<]+<", shift, html)


def with_notice(html: str) -> str:
    lang = "ar" if 'lang="ar"' in html[:300] else "en"
    return re.sub(r"(</h1>)", lambda m: m.group(1) + NOTICE[lang], html, count=1)


def cpu_ms(run, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.process_time()
        result = run()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times), result


def check_page(name: str, html: str, repeat: int) -> dict:
    from attribution.snapshots import drift
    from attribution.snapshots.extract import extract

    url = f"https://news.example/{name}"
    cited_body = html.encode()
    cited = extract(cited_body, "text/html", url)
    cited_snapshot = SimpleNamespace(text=cited.text, title=cited.title)
    row = {"name": name}
    for label, page in (("rotated", rotated(html)), ("notice", with_notice(rotated(html)))):
        body = page.encode()
        extract_ms, now = cpu_ms(lambda body=body: extract(body, "text/html", url), repeat)
        compare_ms, verdict = cpu_ms(
            lambda now=now, body=body: drift.compare_with_cited(
                cited_snapshot, now, body, read_cited=lambda _snapshot: cited_body
            ),
            repeat,
        )
        row[label] = {
            "extract": extract_ms,
            "compare": compare_ms,
            "total": extract_ms + compare_ms,
            "drift": verdict.drift,
            "score": verdict.score,
        }
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per page and step (median taken)")
    args = parser.parse_args()
    setup_django()
    pages = [(p.stem, p.read_text()) for p in sorted(PAGES.glob("*.html"))]
    print(f"{len(pages)} pages; load average {_load()}")
    rows = [check_page(name, html, args.repeat) for name, html in pages]
    print(f"{'page':16} {'extract':>8} {'compare':>8} {'total ms':>8}   (rotated; notice added)  verdicts")
    for row in rows:
        r, n = row["rotated"], row["notice"]
        print(
            f"{row['name']:16} {r['extract']:8.2f} {r['compare']:8.2f} {r['total']:8.2f}"
            f"   ({n['extract']:5.2f} {n['compare']:5.2f} {n['total']:5.2f})"
            f"  {r['drift']} ({r['score']:.2f}) → {n['drift']} ({n['score']:.2f})"
        )
    for kind in ("rotated", "notice"):
        for step in ("extract", "compare", "total"):
            values = [row[kind][step] for row in rows]
            print(f"{kind:8} median {step:8} {statistics.median(values):6.2f} ms   max {max(values):6.2f} ms")
    wrong = [r["name"] for r in rows if r["rotated"]["drift"] != "same" or r["notice"]["drift"] != "corrected"]
    print(
        f"verdicts: {'all as expected' if not wrong else 'UNEXPECTED on ' + ', '.join(wrong)}; load average {_load()}"
    )


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    main()
