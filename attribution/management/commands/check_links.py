"""Check cited links now, in this process, without a worker.

manage.py check_links --due                  # every URL due now (the default)
manage.py check_links --all                  # every source URL
manage.py check_links --article SLUG         # the sources of one article
manage.py check_links https://example.com/x  # given URLs (stored ones are updated)
manage.py check_links --all --json           # one JSON object on stdout, for scripts

On a terminal, a bar on stderr moves as each URL's check ends; the summary goes to stdout. When the
output is a file or a pipe there is no bar, only the plain summary.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.linkcheck import scheduler, services
from attribution.linkcheck.checker import CheckResult, check_urls
from attribution.management.progress import progress_bar, write_json
from attribution.models import Article, SourceURL
from attribution.urls_normalise import normalise_url
from config.apps import checks_without_web

# URLs not in the database get no history, so there is no dead rule to apply: a failure is "failing".
OUTCOME_STATUS = {"hard_failure": "failing", "soft_failure": "failing", "rate_limited": "failing"}
# What --json lists under "failures". "blocked" is not one: the site turns checkers away, the link may be fine.
FAILED_STATUSES = {SourceURL.Status.FAILING, SourceURL.Status.DEAD, SourceURL.Status.INVALID}


class Command(BaseCommand):
    help = "Check cited links synchronously, with a progress bar and a summary table."
    # Not the checks of the web side (URLs, admin, templates): importing it costs ~0.6 s, unused here.
    requires_system_checks = checks_without_web()

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--due", action="store_true", help="Check URLs that are due (the default).")
        which.add_argument("--all", action="store_true", help="Check every source URL.")
        which.add_argument("--article", metavar="SLUG", help="Check the sources of one article.")
        parser.add_argument("urls", nargs="*", metavar="URL", help="Check these URLs.")
        parser.add_argument("--batch-size", type=int, default=200, help="URLs checked concurrently per batch.")
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object (counts and failures) instead of tables."
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")

    def handle(self, *args, urls, batch_size, **options):
        if urls and (options["all"] or options["article"] or options["due"]):
            raise CommandError(_("Give URLs or one of --due/--all/--article, not both."))
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        self.show_progress = not options["no_progress"]
        if urls:
            rows, checked, skipped = self._check_given(urls)
        else:
            only_due = not (options["all"] or options["article"])
            rows, checked, skipped = self._check_stored(self._chosen(options), batch_size, only_due=only_due)
        if options["json"]:
            write_json(self.stdout, _report(rows, checked, skipped, given=bool(urls)))
        elif urls:
            self._given_table(rows)
        else:
            self._summary(rows, skipped)

    def _chosen(self, options) -> list[int]:
        if options["article"]:
            article = Article.objects.filter(slug=options["article"]).first()
            if article is None:
                raise CommandError(_("No article with the slug “%(slug)s”.") % {"slug": options["article"]})
            return list(article.citations.values_list("source_url_id", flat=True).distinct())
        if options["all"]:
            return list(SourceURL.objects.order_by("id").values_list("id", flat=True))
        # Everything due now, at once: the command is run by hand to catch up, so it does not
        # spread a host's URLs over ticks the way the scheduler does.
        due = SourceURL.objects.filter(next_check_at__lte=timezone.now()).order_by("next_check_at", "id")
        return list(due.values_list("id", flat=True))

    def _check_stored(self, ids: list[int], batch_size: int, *, only_due: bool) -> tuple[list[dict], int, int]:
        """Claim and check in batches; with only_due, skip URLs checked since the list was made."""
        done: list[int] = []
        skipped = 0
        results: dict[str, CheckResult] = {}
        with progress_bar(self.stderr, total=len(ids), unit="url", show=self.show_progress) as bar:
            while ids:
                chunk, ids = ids[:batch_size], ids[batch_size:]
                batch = scheduler.claim(chunk, only_due=only_due)
                if batch.source_ids:
                    # The checker reports each URL as it ends, so the bar moves per URL, not per batch.
                    services.run_batch(batch.token, batch.source_ids, checker_options={"on_done": _keep(bar, results)})
                    done += batch.source_ids
                # A worker is checking these, or (with only_due) has checked them since the list was made.
                if missed := len(chunk) - len(batch.source_ids):
                    skipped += missed
                    bar.update(missed)
        return _stored_rows(done, results), len(done), skipped

    def _check_given(self, urls: list[str]) -> tuple[list[dict], int, int]:
        """Check given URLs: stored ones through the services (their state is updated), others only shown."""
        normalised = {url: normalise_url(url) for url in urls}
        hashes = [n.url_hash for n in normalised.values()]
        stored = dict(SourceURL.objects.filter(url_hash__in=hashes).values_list("url_hash", "id"))
        stored_ids = sorted(set(stored.values()))
        fresh = list(dict.fromkeys(n.url for n in normalised.values() if n.url_hash not in stored))
        results: dict[str, CheckResult] = {}
        checked: dict[str, CheckResult] = {}
        with progress_bar(self.stderr, total=len(stored_ids) + len(fresh), unit="url", show=self.show_progress) as bar:
            batch = scheduler.claim(stored_ids) if stored_ids else scheduler.Batch("", [])
            if batch.source_ids:
                services.run_batch(batch.token, batch.source_ids, checker_options={"on_done": _keep(bar, results)})
            if missed := len(stored_ids) - len(batch.source_ids):
                bar.update(missed)
            if fresh:
                checked = check_urls(fresh, on_done=_keep(bar, results))
        by_id = {row["source_id"]: row for row in _stored_rows(stored_ids, results)}
        rows = [
            {**(by_id[stored[n.url_hash]] if n.url_hash in stored else _fresh_row(checked[n.url])), "url": url}
            for url, n in normalised.items()
        ]
        return rows, len(stored_ids) + len(fresh) - missed, missed

    def _summary(self, rows: list[dict], skipped: int) -> None:
        counts = Counter((row["status"], row["failure_kind"]) for row in rows)
        self.stdout.write(f"{_('status'):<12} {_('failure kind'):<20} {_('URLs'):>7}")
        for (status, kind), count in sorted(counts.items()):
            self.stdout.write(f"{status:<12} {kind or '-':<20} {count:>7}")
        self.stdout.write(f"{_('total'):<33} {len(rows):>7}")
        if skipped:
            self.stdout.write(
                _("%(n)d skipped: being checked by a worker, or checked since the run began.") % {"n": skipped}
            )

    def _given_table(self, rows: list[dict]) -> None:
        self.stdout.write(f"{_('status'):<12} {_('HTTP'):<5} {_('failure kind'):<20} URL")
        for row in rows:
            http, kind = row["http_status"] or "-", row["failure_kind"] or "-"
            self.stdout.write(f"{row['status']:<12} {http!s:<5} {kind:<20} {row['url']}")


def _keep(bar, results: dict[str, CheckResult]):
    """The checker's per-URL callback: keep the result (for its detail) and move the bar on by one."""

    def done(url: str, result: CheckResult) -> None:
        results[url] = result
        bar.update(1)

    return done


def _stored_rows(ids: list[int], results: dict[str, CheckResult]) -> list[dict]:
    """Each source's state after the run (the dead rule decides failing or dead), with this run's detail."""
    sources = SourceURL.objects.filter(pk__in=ids).order_by("id")
    return [
        {
            "source_id": pk,
            "url": url,
            "status": status,
            "http_status": http_status,
            "failure_kind": kind,
            "detail": results[url].detail if url in results else "",
        }
        for pk, url, status, http_status, kind in sources.values_list(
            "id", "url", "status", "http_status", "failure_kind"
        )
    ]


def _fresh_row(result: CheckResult) -> dict:
    return {
        "source_id": None,
        "url": result.url,
        "status": OUTCOME_STATUS.get(result.outcome, result.outcome),
        "http_status": result.http_status,
        "failure_kind": result.failure_kind,
        "detail": result.detail,
    }


def _report(rows: list[dict], checked: int, skipped: int, *, given: bool) -> dict:
    """What --json prints: counts by status and failure kind, the failures, and for given URLs every row."""
    report = {
        "checked": checked,
        "skipped": skipped,
        "statuses": dict(Counter(row["status"] for row in rows)),
        "failure_kinds": dict(Counter(row["failure_kind"] for row in rows if row["failure_kind"])),
        "failures": [row for row in rows if row["status"] in FAILED_STATUSES],
    }
    if given:
        report["results"] = rows
    return report
