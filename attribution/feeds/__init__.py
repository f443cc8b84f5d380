"""Articles pulled from the newsroom's CMS: RSS 2.0, Atom, JSON Feed and the WordPress REST API.

``models.Feed`` is one source of articles with its schedule and health;
``fetch`` talks HTTP through the SSRF guard; ``formats`` and ``wordpress``
turn what a CMS sends into ``FeedItem``s; ``html_text`` reads an item's HTML
into a plain body and its sources; ``sync`` is the service every entry point
(command, beat task, admin, API) calls, and it hands articles to
``attribution.services.import_articles``, never writing Article rows itself.
"""
