"""Link checks: is every cited source still there?

The SSRF guard (which URLs and addresses may be fetched at all) and the
page-title reader are model-free, so they live in ``attribution.lib``.

- ``checker``: checks many URLs concurrently and classifies each (asyncio + aiohttp);
  ``fetch`` sends one request and reads what the verdict needs of it, ``headfirst`` is the HEAD-first mode.
- ``scheduler``: claims due URLs in leased batches.
- ``services``: the one place check results, overrides and check requests change a SourceURL.
"""
