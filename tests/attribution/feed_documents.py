"""Feed documents as a CMS would send them, for tests/attribution/test_feeds*.py."""

import json
from xml.sax.saxutils import escape

TEXT_TRAILER_HTML = (
    "<p>Cranes are back at the harbour.</p><p>Dockers welcomed them on <b>Monday</b>.</p>"
    '<p>Sources 1/ <a href="https://harbour.example/cranes">https://harbour.example/cranes</a> '
    "2/ https://port-authority.example/notice</p>"
    "<p>The cited sources can contact us to ask for removal or changes to this article.</p>"
)
LIST_HTML = (
    "<p>The library opens on Sundays from May.</p><h3>Sources</h3>"
    '<ol><li><a href="https://city.example/library-hours">City council</a></li>'
    '<li>Also: <a href="https://gazette.example/library">the Gazette</a></li></ol>'
)


def rss(*items: dict) -> str:
    """RSS 2.0 with content:encoded; each item: guid, link, title, date (RFC 822), html."""
    entries = "".join(
        f"<item><guid isPermaLink='false'>{escape(i['guid'])}</guid><link>{escape(i['link'])}</link>"
        f"<title>{escape(i['title'])}</title><pubDate>{i['date']}</pubDate>"
        f"<content:encoded><![CDATA[{i['html']}]]></content:encoded></item>"
        for i in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour Gazette</title>'
        f"<link>https://gazette.example/</link><description>News</description>{entries}</channel></rss>"
    )


def rss_item(n: int, **overrides) -> dict:
    item = {
        "guid": f"gazette-{n}",
        "link": f"https://gazette.example/news/{n}",
        "title": f"Cranes return to the harbour, part {n}",
        "date": "Tue, 05 May 2026 09:00:00 +0200",
        "html": TEXT_TRAILER_HTML,
    }
    return item | overrides


def atom(*entries: dict) -> str:
    body = "".join(
        f"<entry><id>{escape(e['id'])}</id><title>{escape(e['title'])}</title>"
        f'<link rel="alternate" href="{escape(e["link"])}"/><published>{e["date"]}</published>'
        f'<updated>{e["date"]}</updated><content type="html">{escape(e["html"])}</content></entry>'
        for e in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>City desk</title><id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>"
        f"<updated>2026-05-06T10:00:00Z</updated>{body}</feed>"
    )


def json_feed(*items: dict) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Olive desk", "items": list(items)})


def wordpress_post(post_id: int, *, modified: str, title: str = "", html: str = TEXT_TRAILER_HTML) -> dict:
    return {
        "id": post_id,
        "date": "2026-05-07T08:30:00",
        "modified": modified,
        "slug": f"post-{post_id}",
        "status": "publish",
        "link": f"https://cms.example/?p={post_id}",
        "title": {"rendered": title or f"Bridge repairs &#8211; phase {post_id}"},
        "content": {"rendered": html, "protected": False},
    }
