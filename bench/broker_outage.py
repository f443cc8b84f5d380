"""Broker outage: how long ``POST /api/requests/`` takes when the broker is unreachable.

The request is saved and its confirmation mail is written to the outbox in
the same transaction; publishing the send task after commit is the only step
that talks to the broker. With the broker down that publish must give up at
once (the outbox sweep sends the mail later), not hold a web worker.

Points Celery at a port where nothing listens (connection refused) or at a
listener that accepts and never answers (a hung broker), and prints the
median and worst POST latency. ``--kombu-defaults`` drops our publish
settings, to show what kombu's own retry policy costs.

    .venv/bin/python bench/broker_outage.py --posts 20
"""

import argparse
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def hung_listener() -> int:
    """A port that accepts connections and never says a word: a broker that hangs."""
    server = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        while True:
            conn, _ = server.accept()
            held.append(conn)

    threading.Thread(target=accept, daemon=True).start()
    return server.getsockname()[1]


def refused_port() -> int:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def setup_django(var_dir: str, broker_url: str, kombu_defaults: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        CITEWATCH_VAR_DIR=var_dir,
        DEBUG="false",
        SECRET_KEY="bench-only",
        ALLOWED_HOSTS="testserver",
        CELERY_BROKER_URL=broker_url,
    )
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    import config.celery  # the Celery app, as a web process has it

    if kombu_defaults:
        config.celery.app.conf.broker_transport_options = {}
        config.celery.app.conf.broker_connection_timeout = 4
    settings.TAKEDOWNS_RATE_PER_EMAIL_PER_HOUR = 10**6
    settings.TAKEDOWNS_RATE_PER_IP_PER_HOUR = 10**6
    call_command("migrate", verbosity=0)


def seed_article():
    from attribution.models import Article

    Article.objects.create(
        slug="bench-article", headline="Bench article", body="Body.", published_on="2026-01-01", fingerprint="0" * 64
    )


def post_requests(count: int) -> list[float]:
    from rest_framework.test import APIClient

    from attribution.models import OutboxEmail

    client = APIClient()
    samples = []
    for i in range(count):
        payload = {
            "request_type": "attribution",
            "articles": ["bench-article"],
            "original_work_url": "https://harbourgazette.example/cranes",
            "relationship": "rights_holder",
            "requester_name": "Rita Rights",
            "requester_email": f"rita{i}@harbourgazette.example",
            "requester_country": "Ireland",
            "remedy": "fix_attribution",
            "statement_good_faith": True,
            "statement_accuracy": True,
            "signature": "Rita Rights",
        }
        started = time.perf_counter()
        response = client.post("/api/requests/", payload, format="json", REMOTE_ADDR=f"10.7.{i % 250}.1")
        samples.append(time.perf_counter() - started)
        assert response.status_code == 201, (response.status_code, response.content[:300])
    unsent = OutboxEmail.objects.filter(sent_at__isnull=True).count()
    assert unsent == count, f"expected {count} mails waiting in the outbox, found {unsent}"
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--broker", choices=("refused", "hung"), default="refused")
    parser.add_argument("--kombu-defaults", action="store_true", help="drop Citewatch's publish settings")
    args = parser.parse_args()
    port = refused_port() if args.broker == "refused" else hung_listener()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir, f"redis://127.0.0.1:{port}/0", args.kombu_defaults)
        seed_article()
        samples = post_requests(args.posts)
    ms = sorted(s * 1000 for s in samples)
    policy = "kombu defaults" if args.kombu_defaults else "Citewatch publish settings"
    print(f"broker {args.broker} ({policy}): {args.posts} POSTs, every one saved with its mail in the outbox")
    print(f"median {statistics.median(ms):.0f} ms, worst {ms[-1]:.0f} ms")


if __name__ == "__main__":
    main()
