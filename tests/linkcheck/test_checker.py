"""Each behaviour of the local server, checked for real: the outcome, status and failure kind it earns."""

import dataclasses
import itertools

import pytest

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import check_urls
from attribution.linkcheck.fetch import DRAIN_BYTES


def check(server, path, config, **kwargs):
    url = server.url(path)
    return check_urls([url], config=config, **kwargs)[url]


@pytest.fixture
def head_first(loopback_config):
    """HEAD first, titles read only where made-up addresses answer with a page (LINKCHECK_READ_TITLES=auto)."""
    return dataclasses.replace(loopback_config, read_titles="auto")


@pytest.mark.parametrize(
    ("path", "outcome", "http_status", "failure_kind"),
    [
        ("/story", c.OK, 200, ""),
        ("/data.csv", c.OK, 200, ""),
        ("/missing", c.HARD_FAILURE, 404, "http_4xx"),
        ("/gone", c.HARD_FAILURE, 410, "http_4xx"),
        ("/broken", c.SOFT_FAILURE, 500, "http_5xx"),
        ("/busy", c.SOFT_FAILURE, 503, "http_5xx"),
        ("/too-many", c.RATE_LIMITED, 429, "rate_limited"),
        ("/no-head", c.OK, 200, ""),
        ("/head-404", c.OK, 200, ""),
        ("/cloudflare", c.BLOCKED, 403, "bot_wall"),
        ("/linkedin", c.BLOCKED, 999, "bot_wall"),
        ("/always-403", c.BLOCKED, 403, "bot_wall"),
        ("/browsers-only", c.OK, 200, ""),
        ("/news/2019/old-story", c.HARD_FAILURE, 200, "soft_404"),
        ("/loop-a", c.SOFT_FAILURE, None, "too_many_redirects"),
    ],
)
@pytest.mark.parametrize("read_titles", ["always", "auto"])
def test_each_behaviour_gets_its_verdict(
    server, loopback_config, path, outcome, http_status, failure_kind, read_titles
):
    config = dataclasses.replace(loopback_config, read_titles=read_titles)
    result = check(server, path, config)
    assert (result.outcome, result.http_status, result.failure_kind) == (outcome, http_status, failure_kind)


def test_a_permanent_redirect_keeps_the_final_url_and_chain(server, loopback_config):
    for path in ("/moved-301", "/moved-308", "/moved-lowercase"):
        result = check(server, path, loopback_config)
        assert result.outcome == c.REDIRECTED
        assert result.final_url == server.url("/story")
        assert result.redirect_chain[0]["url"] == server.url(path)


def test_a_temporary_redirect_chain_is_ok_and_recorded(server, loopback_config):
    result = check(server, "/temp-1", loopback_config)
    assert result.outcome == c.OK
    assert result.final_url == server.url("/story")
    assert [hop["status"] for hop in result.redirect_chain] == [302, 302]


def test_too_many_redirects_stops_at_the_limit(server, loopback_config):
    config = dataclasses.replace(loopback_config, max_redirects=1)
    result = check(server, "/temp-1", config)
    assert result.failure_kind == "too_many_redirects"


def test_head_first_tries_head_and_get_follows_when_head_is_refused(server, head_first):
    check(server, "/no-head", head_first)
    assert [r.method for r in server.requests_for("/no-head")] == ["HEAD", "GET"]


def test_head_first_judges_a_plain_file_by_head_alone(server, head_first):
    check(server, "/data.csv", head_first)
    assert [r.method for r in server.requests_for("/data.csv")] == ["HEAD"]


def test_a_403_is_retried_once_as_a_browser(server, loopback_config):
    check(server, "/browsers-only", loopback_config)
    agents = [r.user_agent for r in server.requests_for("/browsers-only")]
    assert "CitewatchLinkChecker" in agents[0]
    assert "Mozilla" in agents[-1]
    assert len(agents) == 2  # GET as ourselves, GET as a browser


def test_a_bot_wall_is_not_retried_with_a_disguise(server, loopback_config):
    check(server, "/cloudflare", loopback_config)
    assert all("Mozilla" not in r.user_agent for r in server.requests_for("/cloudflare"))


def test_the_user_agent_identifies_us_with_a_contact_url(server, loopback_config, settings):
    check(server, "/story", loopback_config)
    assert settings.LINKCHECK_CONTACT_URL in server.requests_for("/story")[0].user_agent


def test_a_slow_drip_cannot_hold_a_check_past_the_total_timeout(server, loopback_config):
    # The drip is in the body, which only a GET reads: read every title so the page gets one.
    config = dataclasses.replace(loopback_config, read_titles="always")
    result = check(server, "/slow-drip", config)
    assert (result.outcome, result.failure_kind) == (c.SOFT_FAILURE, "timeout"), result.detail
    # Generous margin for a loaded machine; without the budget this would run for hours.
    assert result.elapsed_ms < 10_000


def test_an_endless_body_is_read_only_up_to_the_cap(server, loopback_config):
    config = dataclasses.replace(loopback_config, max_body_bytes=64 * 1024)
    result = check(server, "/endless", config)
    assert (result.outcome, result.http_status, result.failure_kind) == (c.OK, 200, "")
    assert [r.method for r in server.requests_for("/endless")] == ["GET"]
    # The capped prefix, then at most a small drain (one byte more tells it is longer) before hanging up.
    assert 64 * 1024 <= result.bytes_read <= 64 * 1024 + DRAIN_BYTES + 1


def test_a_refused_port_is_a_hard_failure(server, loopback_config):
    url = f"http://127.0.0.1:{server.refused_port}/story"
    result = check_urls([url], config=loopback_config)[url]
    assert (result.outcome, result.failure_kind) == (c.HARD_FAILURE, "refused")


def test_bad_tls_is_a_soft_failure(server, loopback_config):
    url = f"https://127.0.0.1:{server.tls_port}/story"
    result = check_urls([url], config=loopback_config)[url]
    assert (result.outcome, result.failure_kind) == (c.SOFT_FAILURE, "tls")


def test_an_invalid_name_is_a_dns_failure(loopback_config):
    url = "https://no-such-outlet.invalid/story"
    result = check_urls([url], config=loopback_config)[url]
    assert (result.outcome, result.failure_kind) == (c.HARD_FAILURE, "dns")


def test_a_name_the_resolver_does_not_know_is_a_dns_failure(loopback_config):
    from tests.linkcheck.resolvers import StaticResolver

    url = "https://vanished-outlet.example/story"
    result = check_urls([url], config=loopback_config, resolver=StaticResolver({}))[url]
    assert (result.outcome, result.failure_kind) == (c.HARD_FAILURE, "dns")


def test_no_more_requests_reach_a_host_at_once_than_its_concurrency(server, loopback_config):
    server.slow_seconds = 0.2
    config = dataclasses.replace(loopback_config, per_host_concurrency=2)
    urls = [server.url(f"/slow-story?tag=two-at-once&copy={n}") for n in range(6)]
    assert {r.outcome for r in check_urls(urls, config=config).values()} == {c.OK}
    assert server.most_in_flight["two-at-once"] == 2


def test_requests_to_one_host_start_at_least_the_interval_apart(server, loopback_config):
    config = dataclasses.replace(loopback_config, per_host_concurrency=4, per_host_interval=0.1)
    urls = [server.url(f"/story?copy={n}") for n in range(4)]
    assert {r.outcome for r in check_urls(urls, config=config).values()} == {c.OK}
    arrivals = sorted(r.at for r in server.requests_for("/story") + server.made_up_requests())
    assert len(arrivals) == 4  # one GET each, and no made-up address
    # A lower bound, so a slow machine cannot break it; the slack is for loopback jitter.
    assert min(b - a for a, b in itertools.pairwise(arrivals)) >= 0.09


def test_retry_after_pauses_the_whole_host(server, loopback_config):
    config = dataclasses.replace(loopback_config, per_host_concurrency=1)
    results = check_urls([server.url("/busy"), server.url("/story")], config=config)
    assert results[server.url("/busy")].failure_kind == "http_5xx"
    assert results[server.url("/story")].outcome == c.DEFERRED
    assert results[server.url("/story")].retry_in_seconds > 60
    assert server.requests_for("/story") == []


def test_each_distinct_url_is_checked_once_fragments_ignored(server, loopback_config):
    urls = [server.url("/story"), server.url("/story#para-3"), server.url("/story")]
    results = check_urls(urls, config=loopback_config)
    assert {results[u].outcome for u in urls} == {c.OK}
    assert [r.method for r in server.requests_for("/story")] == ["GET"]


@pytest.mark.parametrize("read_titles", ["always", "auto"])
def test_a_page_titled_not_found_is_a_soft_404_on_a_site_that_serves_missing_pages(
    server, loopback_config, read_titles
):
    removed, story = server.soft_404_url("/news/removed-story"), server.soft_404_url("/story")
    config = dataclasses.replace(loopback_config, read_titles=read_titles)
    results = check_urls([removed, story], config=config)
    assert (results[removed].outcome, results[removed].http_status, results[removed].failure_kind) == (
        c.HARD_FAILURE,
        200,
        "soft_404",
    )
    assert results[removed].detail == "Page not found | Harbour Gazette"
    assert results[story].outcome == c.OK
    if read_titles == "always":  # one GET per page, no made-up address
        assert [r.method for r in server.requests_for("/story", site="soft-404")] == ["GET"]
        assert server.made_up_requests(site="soft-404") == []
    else:  # the site answered a made-up address with a page, so its pages' titles are read: HEAD, then GET
        assert [r.method for r in server.requests_for("/story", site="soft-404")] == ["HEAD", "GET"]
        assert [r.method for r in server.made_up_requests(site="soft-404")] == ["HEAD"]


def test_head_first_judges_a_site_that_answers_missing_pages_with_404_by_head_and_asks_once(server, head_first):
    urls = [server.url("/story"), server.url("/"), server.url("/moved-301"), server.url("/temp-1")]
    results = check_urls(urls, config=head_first)
    assert [results[u].outcome for u in urls] == [c.OK, c.OK, c.REDIRECTED, c.OK]
    assert {r.method for r in server.requests if r.path in ("/story", "/")} == {"HEAD"}
    probes = server.made_up_requests()
    assert len(probes) == 1 and probes[0].method == "HEAD"
    assert "Citewatch" in probes[0].user_agent  # it identifies itself like every other request


def test_read_titles_always_reads_every_html_page_from_its_one_get(server, loopback_config):
    config = dataclasses.replace(loopback_config, read_titles="always")
    result = check(server, "/soft-title", config)
    assert (result.outcome, result.failure_kind) == (c.HARD_FAILURE, "soft_404")
    assert [r.method for r in server.requests_for("/soft-title")] == ["GET"]
    assert server.made_up_requests() == []


def test_read_titles_never_judges_pages_by_head_alone(server, loopback_config):
    config = dataclasses.replace(loopback_config, read_titles="never")
    url = server.soft_404_url("/news/removed-story")
    assert check_urls([url], config=config)[url].outcome == c.OK  # the price of "never"
    assert [r.method for r in server.requests_for("/news/removed-story", site="soft-404")] == ["HEAD"]
    assert server.made_up_requests(site="soft-404") == []


def test_a_head_404_is_believed_once_the_site_has_shown_its_head_works(server, head_first):
    config = dataclasses.replace(head_first, per_host_concurrency=1)  # in the order given
    results = check_urls([server.url("/data.csv"), server.url("/missing")], config=config)
    assert (results[server.url("/missing")].outcome, results[server.url("/missing")].http_status) == (
        c.HARD_FAILURE,
        404,
    )
    assert [r.method for r in server.requests_for("/missing")] == ["HEAD"]


def test_a_head_404_is_confirmed_by_get_when_the_site_has_not_shown_its_head_works(server, head_first):
    config = dataclasses.replace(head_first, per_host_concurrency=1)
    results = check_urls([server.url("/head-404"), server.url("/data.csv")], config=config)
    assert results[server.url("/head-404")].outcome == c.OK
    assert [r.method for r in server.requests_for("/head-404")] == ["HEAD", "GET"]


def test_a_head_404_on_a_link_already_failing_is_always_confirmed(server, head_first):
    """This check may be the one that makes the link dead, so HEAD's word is not enough."""
    config = dataclasses.replace(head_first, per_host_concurrency=1)
    urls = [server.url("/data.csv"), server.url("/head-404"), server.url("/missing")]
    results = check_urls(urls, config=config, failing={server.url("/head-404"), server.url("/missing")})
    assert results[server.url("/head-404")].outcome == c.OK
    assert results[server.url("/missing")].outcome == c.HARD_FAILURE
    assert [r.method for r in server.requests_for("/head-404")] == ["HEAD", "GET"]
    assert [r.method for r in server.requests_for("/missing")] == ["HEAD", "GET"]


def test_oversized_headers_are_too_large(server, loopback_config):
    result = check(server, "/huge-headers", loopback_config)
    assert (result.outcome, result.failure_kind) == (c.SOFT_FAILURE, "too_large")


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("120", 120), ("Wed, 04 Mar 2026 09:02:00 GMT", 120), ("soon", 60), (None, 60), ("-5", 0)],
)
def test_retry_after_is_read_as_seconds_or_a_date(header, seconds):
    import datetime as dt

    now = dt.datetime(2026, 3, 4, 9, 0, tzinfo=dt.UTC)
    assert c.retry_after_seconds(header, now=now) == seconds


def test_a_garbled_redirect_is_a_failure_not_a_crash(server, loopback_config):
    results = check_urls([server.url("/bad-location"), server.url("/story")], config=loopback_config)
    garbled = results[server.url("/bad-location")]
    assert (garbled.outcome, garbled.failure_kind) == (c.SOFT_FAILURE, "other")
    assert results[server.url("/story")].outcome == c.OK
