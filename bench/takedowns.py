"""Requests: how the public endpoints behave with a large table of past requests.

Seeds a fresh SQLite database (in a temporary folder) with N requests spread
over 30 days, then measures, as medians over repeated calls: the two rate-limit
checks, a full form POST (validation, save, outbox row, email), the
confirmation POST (duplicate lookup and domain match) and the status page with
50 timeline events, plus that page's query count.

    .venv/bin/python bench/takedowns.py --requests 100000
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(var_dir: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(CITEWATCH_VAR_DIR=var_dir, DEBUG="false", SECRET_KEY="bench-only", ALLOWED_HOSTS="testserver")
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = 10**6
    call_command("migrate", verbosity=0)


def seed(count: int):
    from django.db import connection

    from attribution.models import Article, Citation, Publisher, SourceURL
    from attribution.urls_normalise import normalise_url
    from takedowns.models import RequestArticle, TakedownRequest

    article = Article.objects.create(
        slug="bench-article", headline="Bench article", body="Body.", published_on="2026-01-01", fingerprint="0" * 64
    )
    publisher = Publisher.objects.create(host="abcnews.go.com", name="ABC News")
    for position, url in enumerate(["https://abcnews.go.com/a", "https://other.example/b"], start=1):
        normal = normalise_url(url)
        source = SourceURL.objects.create(
            url=normal.url, url_hash=normal.url_hash, url_as_cited=url, host=normal.host, publisher=publisher
        )
        Citation.objects.create(article=article, source_url=source, position=position, text_as_written=url)
    batch = 5000
    for start in range(0, count, batch):
        rows = [
            TakedownRequest(
                request_type="attribution",
                relationship="rights_holder",
                requester_name="Bench",
                requester_email=f"user{n % 50000}@example.org",
                requester_country="IE",
                remedy="fix_attribution",
                signature="Bench",
                ip_hash=f"{n % 20000:064x}",
                status="submitted" if n % 3 else "actioned",
                token=f"bench-token-{n:020d}",
                confirmation_token=f"bench-confirm-{n:020d}",
            )
            for n in range(start, min(start + batch, count))
        ]
        created = TakedownRequest.objects.bulk_create(rows)
        RequestArticle.objects.bulk_create(RequestArticle(request=r, article=article) for r in created)
    with connection.cursor() as cursor:
        # Spread the rows over 30 days so the one-hour windows hold a realistic share.
        cursor.execute(
            "UPDATE takedowns_takedownrequest SET created_at = datetime('now', '-' || (id % 720) || ' hours')"
        )
    return article


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(fn, repeat: int) -> float:
    samples = []
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        samples.append(time.perf_counter() - start)
    return median_ms(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from takedowns import abuse
        from takedowns.models import RequestEvent, TakedownRequest

        started = time.perf_counter()
        seed(args.requests)
        print(f"seeded {args.requests:,} requests in {time.perf_counter() - started:.1f} s")
        client = Client()
        form = {
            "request_type": "attribution",
            "articles": "bench-article",
            "original_work_url": "https://abcnews.go.com/original",
            "relationship": "rights_holder",
            "requester_name": "Rita Rights",
            "requester_country": "Ireland",
            "remedy": "fix_attribution",
            "statement_good_faith": "on",
            "statement_accuracy": "on",
            "signature": "Rita Rights",
        }

        def limits(i):
            abuse.check_ip_limit(f"{i:064x}")
            abuse.check_email_limit(f"user{i}@example.org")

        def post(i):
            email = f"rita{i}@abcnews.go.com"
            response = client.post("/requests/new/", {**form, "requester_email": email}, REMOTE_ADDR=f"10.9.{i}.1")
            assert response.status_code == 302, response.status_code

        pending = []

        def confirm(i):
            response = client.post(f"/requests/confirm/{pending[i]}/")
            assert response.status_code == 302, response.status_code

        rows = [
            ("rate-limit checks (IP + email)", timed(limits, args.repeat * 4)),
            ("form POST → pending + email", timed(post, args.repeat)),
        ]
        pending.extend(
            TakedownRequest.objects.filter(status="pending_verification").values_list("confirmation_token", flat=True)
        )
        rows.append(("confirmation POST → submitted", timed(confirm, len(pending))))
        takedown = TakedownRequest.objects.filter(status="submitted").order_by("-id").first()
        RequestEvent.objects.bulk_create(
            RequestEvent(request=takedown, actor_label="system", kind="note", note="n", visible_to_requester=True)
            for _ in range(50)
        )
        url = takedown.get_absolute_url()
        rows.append(("status page, 50 events", timed(lambda i: client.get(url), args.repeat)))
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"\n| operation ({args.requests:,} requests in the table) | median ms |\n|---|---|")
        for name, ms in rows:
            print(f"| {name} | {ms:.1f} |")
        print(f"\nstatus page queries: {len(queries)}")


if __name__ == "__main__":
    main()
