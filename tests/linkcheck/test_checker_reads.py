"""One GET per URL: soft 404s caught on every site, requests counted, and how much of a page is read."""

import dataclasses

from attribution.linkcheck import classify as c
from attribution.linkcheck.checker import check_urls


def test_a_not_found_title_is_caught_on_a_site_that_answers_made_up_addresses_with_404(server, loopback_config):
    """The main site answers addresses it does not have with a 404, yet serves /soft-title with a 200."""
    url = server.url("/soft-title")
    result = check_urls([url], config=loopback_config)[url]
    assert (result.outcome, result.http_status, result.failure_kind) == (c.HARD_FAILURE, 200, "soft_404")
    assert result.detail == "Page not found | Harbour Gazette"
    assert [r.method for r in server.requests_for("/soft-title")] == ["GET"]
    assert server.made_up_requests() == [] and result.requests == 1


def test_head_first_auto_misses_it_there_which_is_why_it_is_not_the_default(server, loopback_config):
    url = server.url("/soft-title")
    result = check_urls([url], config=dataclasses.replace(loopback_config, read_titles="auto"))[url]
    assert result.outcome == c.OK  # HEAD said 200 and the site's made-up address said 404: the title went unread
    assert len(server.made_up_requests()) == 1


def test_each_url_costs_one_request_and_each_redirect_one_more(server, loopback_config):
    paths = ["/story", "/", "/data.csv", "/missing", "/gone", "/broken", "/soft-title", "/cloudflare", "/moved-301"]
    results = check_urls([server.url(p) for p in paths], config=loopback_config)
    assert [results[server.url(p)].requests for p in paths] == [1, 1, 1, 1, 1, 1, 1, 1, 2]
    # As the server saw them: one GET per URL, plus the redirect's target, and nothing else.
    assert sorted(r.path for r in server.requests) == sorted([*paths, "/story"])
    assert {r.method for r in server.requests} == {"GET"}


def test_a_long_page_is_read_only_up_to_its_title_and_its_connection_dropped(server, loopback_config):
    config = dataclasses.replace(loopback_config, per_host_concurrency=1)  # in the order given
    long_read, after = server.url("/long-story"), server.url("/story")
    results = check_urls([long_read, after], config=config)
    assert (results[long_read].outcome, results[long_read].http_status) == (c.OK, 200)
    # A 4 MB page: its first chunk holds the title, and the rest is too long to be worth draining.
    assert results[long_read].bytes_read <= 64 * 1024
    (long_request,), (next_request,) = server.requests_for("/long-story"), server.requests_for("/story")
    assert long_request.client_port != next_request.client_port  # hung up rather than read 4 MB


def test_small_answers_are_read_whole_so_one_connection_carries_a_host_s_checks(server, loopback_config):
    config = dataclasses.replace(loopback_config, per_host_concurrency=1)
    paths = ["/story", "/missing", "/moved-301", "/data.csv", "/", "/soft-title"]
    results = check_urls([server.url(p) for p in paths], config=config)
    assert all(0 < results[server.url(p)].bytes_read < 1024 for p in ("/story", "/missing", "/soft-title"))
    assert len({r.client_port for r in server.requests}) == 1


def test_a_rest_that_trickles_after_the_verdict_is_dropped_not_waited_for(server, loopback_config):
    """The title (or the 404) has arrived: a slow rest must not hold the check, nor turn it into a timeout."""
    page, missing = server.url("/title-then-drip"), server.url("/missing-then-drip")
    results = check_urls([page, missing], config=loopback_config)
    assert (results[page].outcome, results[page].http_status, results[page].failure_kind) == (c.OK, 200, "")
    # Waiting for the end of the rest would have used up the check's budget: "timeout" for both.
    assert (results[missing].outcome, results[missing].http_status) == (c.HARD_FAILURE, 404)
