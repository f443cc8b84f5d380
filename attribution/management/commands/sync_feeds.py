"""manage.py sync_feeds [--feed ID]: pull CMS feeds now, without a worker."""

from django.core.management.base import BaseCommand, CommandError

from attribution.feeds.models import Feed
from attribution.feeds.sync import sync_feed
from config.apps import checks_without_web


class Command(BaseCommand):
    help = "Import new and changed articles from every enabled feed (or one feed, enabled or not)."
    # Not the checks of the web side (URLs, admin, templates): importing it costs ~0.6 s, unused here.
    requires_system_checks = checks_without_web()

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, action="append", metavar="ID", help="Sync only this feed (repeatable).")

    def handle(self, *args, **options):
        if options["feed"]:
            feeds = list(Feed.objects.filter(pk__in=options["feed"]))
            missing = set(options["feed"]) - {feed.pk for feed in feeds}
            if missing:
                raise CommandError(
                    f"No feed with id {', '.join(map(str, sorted(missing)))}; see the admin's Feeds list."
                )
        else:
            feeds = list(Feed.objects.filter(enabled=True))
        failed = 0
        for feed in feeds:
            summary = sync_feed(feed)
            if summary is None:
                failed += 1
                self.stderr.write(f"{feed.pk} {feed.name}: FAILED: {feed.last_error}")
            else:
                self.stdout.write(f"{feed.pk} {feed.name}: {feed.last_result}")
        if failed:
            raise CommandError(f"{failed} of {len(feeds)} feed(s) failed")
