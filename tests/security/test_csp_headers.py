"""The Content-Security-Policy header each kind of response carries (the browser test checks pages obey it)."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def test_pages_allow_nothing_inline_and_nothing_from_elsewhere(client):
    policy = directives(client.get("/"))

    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_only_the_browsable_api_may_use_inline_styles_and_never_inline_scripts(client):
    browsable = directives(client.get("/api/articles/", HTTP_ACCEPT="text/html"))
    json = directives(client.get("/api/articles/", HTTP_ACCEPT="application/json"))

    assert browsable["style-src"] == "'self' 'unsafe-inline'"
    assert browsable["script-src"] == "'self'"
    assert json["style-src"] == "'self'"


def test_a_template_asking_for_a_nonce_gets_one_in_the_header(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    def view(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    request = rf.get("/")
    response = CSPMiddleware(view)(request)

    assert f"'nonce-{request.csp_nonce}'" in directives(response)["script-src"]
