"""Admin template filters: ``|when`` (relative date, exact on hover) and ``|unicode_host`` (IDN hosts in Unicode)."""

from django import template

from attribution.lib import when as when_module
from attribution.lib.domains import display_host

register = template.Library()


@register.filter
def when(value):
    """A date or time as ``<time title="27 Nov 2026, 14:28 UTC">3 days ago</time>``; "—" for none."""
    return when_module.when(value)


@register.filter
def unicode_host(value):
    return display_host(value or "")
