"""HEAD first: the checker's way with ``LINKCHECK_READ_TITLES=auto`` or ``never``, for the fewest bytes read.

A HEAD answer is believed when it is plain (a redirect, a 429/503, a 2xx that
is not a page whose title must be read, a 404 from a site whose HEAD has shown
it works); anything else costs a GET after it. With ``auto`` a page's title
is read (by that GET) only on sites that answer a made-up address beside the
page with a page instead of a 404: one HEAD per site and run finds out.
The default, ``always``, sends no HEAD at all (see ``fetch``).
"""

import asyncio
import secrets

from yarl import URL

from attribution.linkcheck.fetch import Budget, Response, is_html

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# HEAD is enough when it answers one of these plainly; anything else (400, 403, 405, 501, 5xx...) is
# doubt and gets a GET. 2xx and 404/410 answers are judged case by case in ``head_is_enough``.
HEAD_IS_ENOUGH = {429, 503} | REDIRECT_STATUSES
NOT_FOUND_STATUSES = {404, 410}


class _Site:
    """What one run has learnt about a site (scheme, host and port)."""

    __slots__ = ("head_works", "missing_page_test")

    def __init__(self):
        # HEAD has answered 2xx here, so a HEAD 404 is the site's word and not a HEAD it mishandles.
        self.head_works = False
        # Does the site answer a made-up address with a 404/410? Asked by the first page that needs to know.
        self.missing_page_test: asyncio.Task | None = None


class HeadFirst:
    """One run's memory of its sites. ``request(session, gates, url, method, budget)`` sends a request."""

    def __init__(self, *, read_titles: str, total_timeout: float, request):
        self.read_titles, self.total_timeout, self.request = read_titles, total_timeout, request
        self._sites: dict[tuple, _Site] = {}

    async def head_is_enough(self, session, gates, url: URL, response: Response, confirm_not_found: bool) -> bool:
        """Whether a HEAD answer can be believed as it stands, or needs a GET to settle it."""
        site = self._sites.get((url.scheme, url.host, url.port))
        if site is None:
            site = self._sites[url.scheme, url.host, url.port] = _Site()
        if response.status in HEAD_IS_ENOUGH:
            return True
        if 200 <= response.status < 300:
            site.head_works = True
            if not is_html(response.headers) or self.read_titles == "never":
                return True
            # A page's title can only say "Page not found" on a site that serves missing pages as pages.
            return await self._reports_missing_pages(session, gates, url, site)
        if response.status in NOT_FOUND_STATUSES:
            # Some servers mishandle HEAD; a "not found" leads towards "dead", so confirm it unless this
            # site has shown its HEAD works, and always when this check could be the one that makes it dead.
            return site.head_works and not confirm_not_found
        return False

    async def _reports_missing_pages(self, session, gates, url: URL, site: _Site) -> bool:
        """Does the site answer a made-up address beside ``url`` with 404/410? Asked once per site and run."""
        if site.missing_page_test is None:
            made_up = made_up_neighbour(url)
            site.missing_page_test = asyncio.ensure_future(self._answers_not_found(session, gates, made_up))
        return await asyncio.shield(site.missing_page_test)

    async def _answers_not_found(self, session, gates, made_up: URL) -> bool:
        try:
            response = await self.request(session, gates, made_up, "HEAD", Budget(self.total_timeout))
        except Exception:  # no answer is no evidence: keep reading titles on this site
            return False
        return response.status in NOT_FOUND_STATUSES

    async def close(self) -> None:
        """A test can outlive the checks that asked for it (they ended in an error); do not leave it running."""
        pending = [site.missing_page_test for site in self._sites.values() if site.missing_page_test]
        for test in pending:
            test.cancel()
        await asyncio.gather(*pending, return_exceptions=True)


def made_up_neighbour(url: URL) -> URL:
    """An address beside ``url`` that no site has: /news/2024/story → /news/2024/citewatch-5f3a…

    Beside rather than at the root, because sites often route each section on its own.
    """
    section = url.raw_path.rstrip("/").rsplit("/", 1)[0]
    return url.with_path(f"{section}/citewatch-{secrets.token_hex(8)}", encoded=True).with_query(None)
