"""Check cited links now, in this process, without a worker.

manage.py check_links --due                  # every URL due now (the default)
manage.py check_links --all                  # every source URL
manage.py check_links --article SLUG         # the sources of one article
manage.py check_links https://example.com/x  # given URLs (stored ones are updated)
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from attribution.linkcheck import scheduler, services
from attribution.linkcheck.checker import check_urls
from attribution.models import Article, LinkCheck, SourceURL
from attribution.urls_normalise import normalise_url

# URLs not in the database get no history, so there is no dead rule to apply: a failure is "failing".
OUTCOME_STATUS = {"hard_failure": "failing", "soft_failure": "failing", "rate_limited": "failing"}


class Command(BaseCommand):
    help = "Check cited links synchronously, with a progress bar and a summary table."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--due", action="store_true", help="Check URLs that are due (the default).")
        which.add_argument("--all", action="store_true", help="Check every source URL.")
        which.add_argument("--article", metavar="SLUG", help="Check the sources of one article.")
        parser.add_argument("urls", nargs="*", metavar="URL", help="Check these URLs.")
        parser.add_argument("--batch-size", type=int, default=200, help="URLs checked concurrently per batch.")

    def handle(self, *args, urls, batch_size, **options):
        if urls and (options["all"] or options["article"] or options["due"]):
            raise CommandError(_("Give URLs or one of --due/--all/--article, not both."))
        if urls:
            return self._check_given(urls)
        if options["article"]:
            article = Article.objects.filter(slug=options["article"]).first()
            if article is None:
                raise CommandError(_("No article with the slug “%(slug)s”.") % {"slug": options["article"]})
            ids = list(article.citations.values_list("source_url_id", flat=True).distinct())
        elif options["all"]:
            ids = list(SourceURL.objects.order_by("id").values_list("id", flat=True))
        else:
            # Everything due now, at once: the command is run by hand to catch up, so it does not
            # spread a host's URLs over ticks the way the scheduler does.
            due = SourceURL.objects.filter(next_check_at__lte=timezone.now()).order_by("next_check_at", "id")
            ids = list(due.values_list("id", flat=True))
        checked = self._check_stored(ids, batch_size, only_due=not (options["all"] or options["article"]))
        self._summary(checked)

    def _check_stored(self, ids: list[int], batch_size: int, *, only_due: bool) -> list[int]:
        """Claim and check in batches; with only_due, skip URLs checked since the list was made."""
        done: list[int] = []
        with tqdm(total=len(ids), unit="url", file=self.stderr, disable=None) as progress:
            while ids:
                chunk, ids = ids[:batch_size], ids[batch_size:]
                batch = scheduler.claim(chunk, only_due=only_due)
                if batch.source_ids:
                    services.run_batch(batch.token, batch.source_ids)
                    done += batch.source_ids
                progress.update(len(chunk))
        return done

    def _summary(self, ids: list[int]) -> None:
        sources = SourceURL.objects.filter(pk__in=ids)
        counts = Counter(sources.values_list("status", "failure_kind"))
        self.stdout.write(f"\n{_('status'):<12} {_('failure kind'):<20} {_('URLs'):>7}")
        for (status, kind), count in sorted(counts.items()):
            self.stdout.write(f"{status:<12} {kind or '-':<20} {count:>7}")
        self.stdout.write(f"{_('total'):<33} {len(ids):>7}")

    def _check_given(self, urls: list[str]) -> None:
        normalised = {url: normalise_url(url) for url in urls}
        stored = dict(
            SourceURL.objects.filter(url_hash__in=[n.url_hash for n in normalised.values()]).values_list(
                "url_hash", "id"
            )
        )
        stored_ids = [stored[n.url_hash] for n in normalised.values() if n.url_hash in stored]
        if stored_ids:
            batch = scheduler.claim(stored_ids)
            services.run_batch(batch.token, batch.source_ids)
        fresh = [n.url for n in normalised.values() if n.url_hash not in stored]
        results = check_urls(fresh) if fresh else {}
        self.stdout.write(f"{_('status'):<12} {_('HTTP'):<5} {_('failure kind'):<20} URL")
        for url, norm in normalised.items():
            if norm.url_hash in stored:
                row = LinkCheck.objects.filter(source_url_id=stored[norm.url_hash]).first()
                status, http, kind = (row.status, row.http_status, row.failure_kind) if row else ("?", None, "")
            else:
                result = results[norm.url]
                status, http, kind = (
                    OUTCOME_STATUS.get(result.outcome, result.outcome),
                    result.http_status,
                    result.failure_kind,
                )
            self.stdout.write(f"{status:<12} {http or '-'!s:<5} {kind or '-':<20} {url}")
