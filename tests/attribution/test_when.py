"""The admin's one date format: relative text, the exact moment (site time zone) on hover; IDN hosts as Unicode."""

import datetime as dt

import pytest
from django.template import Context, Template

from attribution.lib.domains import display_host, unicode_url
from attribution.lib.when import exact, relative, when

NOW = dt.datetime(2026, 11, 27, 14, 28, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (NOW - dt.timedelta(seconds=20), "just now"),
        (NOW - dt.timedelta(minutes=5), "5\xa0minutes ago"),
        (NOW - dt.timedelta(days=3, hours=2), "3\xa0days ago"),
        (NOW - dt.timedelta(days=1, hours=1), "1\xa0day ago"),
        (NOW + dt.timedelta(days=2, hours=1), "in 2\xa0days"),
        (NOW - dt.timedelta(days=400), "1\xa0year ago"),
    ],
)
def test_a_moment_reads_relative_to_now(moment, text):
    assert relative(moment, now=NOW) == text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 27), "today"),
        (dt.date(2026, 11, 26), "yesterday"),
        (dt.date(2026, 11, 28), "tomorrow"),
        (dt.date(2026, 11, 20), "1\xa0week ago"),
        (dt.date(2026, 12, 2), "in 5\xa0days"),
    ],
)
def test_a_date_reads_in_whole_days(day, text):
    assert relative(day, now=NOW) == text


def test_the_exact_moment_is_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert exact(NOW) == "27 Nov 2026, 15:28 CET"
    assert exact(dt.date(2026, 12, 11)) == "11 Dec 2026"


def test_when_is_a_time_element_with_the_exact_moment_as_its_title():
    html = when(NOW - dt.timedelta(days=3), now=NOW)
    assert html == '<time datetime="2026-11-24T14:28:00+00:00" title="24 Nov 2026, 14:28 UTC">3\xa0days ago</time>'
    assert when(None) == "—" and when("") == "—"


def test_the_template_filter_gives_the_same(settings):
    rendered = Template("{% load citewatch_admin %}{{ moment|when }}|{{ nothing|when }}").render(
        Context({"moment": dt.date(2026, 12, 11), "nothing": None})
    )
    assert 'title="11 Dec 2026"' in rendered and rendered.endswith("|—")


def test_internationalised_hosts_are_shown_in_unicode():
    assert display_host("xn--bcher-kva.example") == "bücher.example"
    assert display_host("news.example") == "news.example"
    assert display_host("xn--zz.example") == "xn--zz.example"  # not valid IDNA: shown as stored
    assert unicode_url("https://xn--bcher-kva.example/xn--path?q=1") == "https://bücher.example/xn--path?q=1"
    assert unicode_url("https://news.example/a") == "https://news.example/a"
