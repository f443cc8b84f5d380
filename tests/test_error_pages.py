"""The site's own error pages and favicon, as a visitor sees them with DEBUG off (issue 13)."""

import pytest
from django.contrib.staticfiles import finders
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_a_missing_page_is_the_sites_own_404(client, settings):
    settings.DEBUG = False
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert 'href="/static/citewatch.css"' in html and 'rel="icon"' in html
    assert '<a href="/">See all articles</a>' in html and 'name="q"' in html
    assert "Using the URLconf" not in html


def test_the_500_page_renders_without_a_request_context_and_looks_like_the_site(rf):
    response = server_error(rf.get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Something went wrong</h1>" in html
    assert 'href="/static/citewatch.css"' in html and 'name="viewport"' in html
    assert 'rel="icon"' in html


def test_favicon_ico_points_at_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301 and response["Location"] == "/static/favicon.ico"
    for name in ("favicon.ico", "favicon.svg"):
        assert finders.find(name), name
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"


def test_every_page_links_the_icon(client):
    html = client.get("/").content.decode()

    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="icon" href="/static/favicon.ico" sizes="32x32">' in html
