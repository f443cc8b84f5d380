"""Serializer fields whose schema must say more (or less) than drf-spectacular would guess."""

from django.core.validators import validate_unicode_slug
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class UnicodeSlugField(serializers.CharField):
    """A slug of letters and digits of any script, hyphens and underscores (``مجلس-المدينة``, ``harbour-cranes``).

    DRF's ``SlugField(allow_unicode=True)`` checks the same, but through a validator that
    drf-spectacular copies into the schema as the pattern ``^[-\\w]+$``; in JSON Schema
    (ECMA-262) ``\\w`` is ASCII-only, so the schema would call every Arabic slug invalid while the
    API serves and accepts them. Here the check runs in ``to_internal_value``, and the schema
    states the rule in words.
    """

    default_error_messages = {"invalid": validate_unicode_slug.message}

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Letters and digits of any script, hyphens and underscores; no spaces or slashes.")
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not validate_unicode_slug.regex.match(value):
            self.fail("invalid")
        return value
