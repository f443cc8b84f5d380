"""What no address, credential or text field of ours ever legitimately carries, and how to spot it.

PostgreSQL refuses NUL in text (psycopg raises ValueError before the query is
sent, which used to surface as a 500), a lone surrogate cannot be encoded as
UTF-8 at all, and other C0 control characters in a path, a query parameter or
a credential are never typed by a person: they are probes. Text that spans
lines (a message, an article body) may hold tab, LF and CR, and nothing else
below the space.
"""

import base64
import binascii
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls and DEL, except the whitespace multi-line text holds (tab, LF, CR).
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Every C0 control and DEL: for one-line things (paths, credentials, names).
_CONTROL_IN_LINE = re.compile(r"[\x00-\x1f\x7f]")
# Half of a UTF-16 pair on its own: JSON's "\ud800" decodes to one; no database or page can encode it.
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def unsafe_in_text(value: str) -> bool:
    """True if multi-line text holds NUL, a control character other than tab/LF/CR, DEL or a lone surrogate."""
    return bool(_CONTROL_IN_TEXT.search(value) or _LONE_SURROGATE.search(value))


def unsafe_in_line(value: str) -> bool:
    """True if one-line text (a path, a slug, a credential) holds any control character or a lone surrogate."""
    return bool(_CONTROL_IN_LINE.search(value) or _LONE_SURROGATE.search(value))


def unsafe_authorization(header: str) -> bool:
    """True if an Authorization header, or the user name and password Basic credentials decode to, is unsafe.

    A header that is not valid Basic is left to the authentication class, which
    answers 401 with its own message; only what would reach a database query
    (a user name with NUL in it) is judged here.
    """
    if unsafe_in_line(header):
        return True
    scheme, _space, credentials = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(credentials.strip(), validate=False)
    except (binascii.Error, ValueError):
        return False
    try:
        text = decoded.decode("utf-8")
    except UnicodeDecodeError:
        # DRF falls back to latin-1, where every byte is a character: judge what it would see.
        text = decoded.decode("latin-1")
    return unsafe_in_line(text)


def validate_line(value) -> None:
    """Form validator for one-line fields: no control characters (NUL is left to Django's own validator)."""
    if isinstance(value, str) and "\x00" not in value and unsafe_in_line(value):
        raise ValidationError(
            _("This field is one line of text: remove the control characters (tabs, line breaks…) from it."),
            code="control_characters",
        )


def validate_text(value) -> None:
    """Form validator for multi-line fields: tab and line breaks are fine, other control characters are not."""
    if isinstance(value, str) and "\x00" not in value and unsafe_in_text(value):
        raise ValidationError(
            _("Remove the control characters from this text (only tabs and line breaks are allowed)."),
            code="control_characters",
        )


def guard_text_fields(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` (this instance's copies) the validator its widget calls for."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField):
            field.validators.append(validate_text if isinstance(field.widget, forms.Textarea) else validate_line)
