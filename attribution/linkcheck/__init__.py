"""Link checks: is every cited source still there?

- ``guard``: the SSRF guard (which URLs and addresses may be fetched at all).
- ``checker``: checks many URLs concurrently and classifies each (asyncio + aiohttp).
- ``scheduler``: claims due URLs in leased batches.
- ``services``: the one place check results, overrides and check requests change a SourceURL.
"""
