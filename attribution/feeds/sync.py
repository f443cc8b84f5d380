"""Syncing feeds: the one service the command, the beat task, the admin and the API call.

``sync_feed`` fetches a feed through the guard, reads its items and hands
them to ``attribution.services.import_articles``, the import service every
other way in uses, so identity (external_id), the import-conflict rule and
"removed stays removed" hold for feed articles too. It never raises for a
feed's own trouble: that is recorded on the feed (last_error,
consecutive_failures) and retried later with backoff, so one broken feed
cannot stop the others.

Validators (ETag, Last-Modified, the WordPress cursor) are stored only after
a sync in which every item was imported; after a partial one the next sync
reads the same items again, which costs nothing for those already imported.

An item missing from a feed changes nothing (see README "Feeds").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from attribution.feeds.models import Feed
from attribution.history.context import recording
from attribution.lib.queue import enqueue_on_commit
from attribution.parsing import ParseError
from attribution.services import ImportSummary, import_articles

# Fetching and reading (aiohttp, feedparser) are imported by the functions that fetch and read, so the
# admin and the API, which only queue a sync (request_sync), do not load them at start-up.
if TYPE_CHECKING:
    from attribution.feeds.formats import FeedItem

logger = logging.getLogger(__name__)


@dataclass
class Pulled:
    """What one fetch brought: items, or nothing new (a 304), and the validators for next time."""

    items: list[FeedItem] = field(default_factory=list)
    not_modified: bool = False
    etag: str = ""
    last_modified: str = ""
    wordpress_cursor: str = ""


async def pull(feed: Feed, *, resolver=None) -> Pulled:
    """Fetch and read one feed (no database access). Raises FeedError."""
    from attribution.feeds.fetch import feed_session, get
    from attribution.feeds.formats import parse_json_feed, parse_syndication
    from attribution.feeds.wordpress import pull_posts

    async with feed_session(resolver) as session:
        if feed.kind == Feed.Kind.WORDPRESS:
            items, cursor = await pull_posts(session, feed.url, feed.wordpress_modified_after)
            return Pulled(items, wordpress_cursor=cursor)
        conditional = {"If-None-Match": feed.etag} if feed.etag else {}
        if feed.last_modified:
            conditional["If-Modified-Since"] = feed.last_modified
        fetched = await get(session, feed.url, headers=conditional)
    if fetched.status == 304:
        return Pulled(not_modified=True, etag=feed.etag, last_modified=feed.last_modified)
    read = parse_json_feed if feed.kind == Feed.Kind.JSON_FEED else parse_syndication
    return Pulled(
        read(fetched.body),
        etag=fetched.headers.get("ETag", "")[:500],
        last_modified=fetched.headers.get("Last-Modified", "")[:100],
    )


def sync_feed(feed: Feed, *, resolver=None) -> ImportSummary | None:
    """Fetch one feed and import its new and changed items. Idempotent.

    Returns the import summary (empty after a 304), or None if the feed
    failed, which is recorded on the feed and never raised.
    """
    from attribution.feeds.fetch import FeedError

    started = timezone.now()
    try:
        pulled = asyncio.run(pull(feed, resolver=resolver))
        summary = import_items(feed, pulled.items)
    except FeedError as error:
        record_failure(feed, str(error), started)
        return None
    except Exception as error:
        # A bug or a database outage: logged in full, recorded on the feed, and the next feed still runs.
        logger.exception("feed %s failed unexpectedly", feed.pk)
        record_failure(feed, _("internal error: %(error)s") % {"error": error}, started)
        return None
    _record_success(feed, pulled, summary, started)
    return summary


def import_items(feed: Feed, items: list[FeedItem]) -> ImportSummary:
    """Import items through the import service; an item that cannot be an article fails alone."""
    from attribution.feeds.formats import to_article_input

    inputs, unreadable = [], []
    for item in items:
        try:
            inputs.append(to_article_input(item, f"feed {feed.name}:"))
        except ParseError as error:
            unreadable.append(str(error))
    with recording(via=f"feed {feed.name}"):
        summary = import_articles(inputs) if inputs else ImportSummary()
    for message in unreadable:
        summary.fail(message)
    return summary


def _record_success(feed: Feed, pulled: Pulled, summary: ImportSummary, started: dt.datetime) -> None:
    values = {
        "last_sync_at": started,
        "last_attempt_at": started,
        "next_sync_at": started + feed.interval,
        "last_error": "",
        "consecutive_failures": 0,
        "last_result": describe(summary, not_modified=pulled.not_modified)[:500],
    }
    if not summary.failed:
        values |= {"etag": pulled.etag, "last_modified": pulled.last_modified}
        if feed.kind == Feed.Kind.WORDPRESS:
            values["wordpress_modified_after"] = pulled.wordpress_cursor
    # An update, not save(): an editor may be renaming the feed meanwhile; the sync writes only its own fields.
    Feed.objects.filter(pk=feed.pk).update(**values)
    feed.refresh_from_db()


def record_failure(feed: Feed, message: str, started: dt.datetime) -> None:
    """The feed failed: note why and back off (interval × 2^(failures−1), at most FEEDS_MAX_BACKOFF_HOURS)."""
    failures = feed.consecutive_failures + 1
    delay = min(feed.interval * 2 ** min(failures - 1, 16), dt.timedelta(hours=settings.FEEDS_MAX_BACKOFF_HOURS))
    logger.warning("feed %s (%s) failed %d time(s) in a row: %s", feed.pk, feed.url, failures, message)
    Feed.objects.filter(pk=feed.pk).update(
        last_attempt_at=started,
        next_sync_at=started + delay,
        last_error=message[:2000],
        consecutive_failures=failures,
    )
    feed.refresh_from_db()


def describe(summary: ImportSummary, *, not_modified: bool = False) -> str:
    if not_modified:
        return _("not modified since the last sync")
    counts = ", ".join(
        f"{getattr(summary, name)} {name}"
        for name in ("created", "updated", "unchanged", "held", "skipped", "failed")
        if isinstance(getattr(summary, name, None), int)
    )
    return counts + (f"; {summary.errors[0]}" if summary.errors else "")


def claim_due_feeds(now: dt.datetime | None = None) -> list[int]:
    """Ids of enabled feeds now due, each claimed for FEEDS_LEASE_SECONDS with a conditional UPDATE.

    A claim moves next_sync_at past the lease, so another tick or worker
    skips the feed while it syncs; a sync that dies leaves it due again
    when the lease ends.
    """
    now = now or timezone.now()
    lease_end = now + dt.timedelta(seconds=settings.FEEDS_LEASE_SECONDS)
    due = Feed.objects.filter(enabled=True, next_sync_at__lte=now).order_by("next_sync_at")
    return [
        pk
        for pk in due.values_list("pk", flat=True)
        if Feed.objects.filter(pk=pk, enabled=True, next_sync_at__lte=now).update(next_sync_at=lease_end) == 1
    ]


def sync_due_feeds(*, resolver=None) -> int:
    """Sync every due feed, one after another; returns how many were synced. Idempotent."""
    claimed = claim_due_feeds()
    for feed in Feed.objects.filter(pk__in=claimed):
        sync_feed(feed, resolver=resolver)
    return len(claimed)


def request_sync(feed: Feed) -> None:
    """Make ``feed`` due now and wake the worker (admin "Sync now", the API). The beat job finds it anyway."""
    Feed.objects.filter(pk=feed.pk).update(next_sync_at=timezone.now())
    enqueue_on_commit("attribution.tasks.sync_due_feeds")
