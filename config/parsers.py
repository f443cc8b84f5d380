"""The API's JSON parser: DRF's, with a bound on nesting and on what a string may hold.

Python's JSON decoder recurses once per level, so a body nested a thousand
deep raised RecursionError (a 500). Here JSON deeper than ``MAX_JSON_DEPTH``
is refused, and so is any string in it holding what no field of ours can
store or show (NUL, control characters other than tab/LF/CR, a lone
surrogate), with the place of the offending value in the message. The body's
size is Django's business: DRF reads it through ``request.body``, which
raises RequestDataTooBig past DATA_UPLOAD_MAX_MEMORY_SIZE (a 413 from
``config.hostile.bad_request``).
"""

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.utils import json

from attribution.lib.hostile import unsafe_in_text

# Our deepest real payload is three levels ({"cited_sources": [{"article": …}]}); leave room, refuse abuse.
MAX_JSON_DEPTH = 32


def _where(path: list) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path).lstrip(".") or "(top level)"


def find_problem(data, max_depth: int = MAX_JSON_DEPTH) -> str | None:
    """Why this parsed JSON is refused (too deep, or an unusable string and where), or None. Iterative: no recursion."""
    stack = [(data, 1, [])]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                return _("JSON nested deeper than %(max)s levels is not accepted; flatten it.") % {"max": max_depth}
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and unsafe_in_text(key):
                    return _("A key at %(where)s contains a control character or a lone surrogate; remove it.") % {
                        "where": _where(path)
                    }
                stack.append((item, depth + 1, [*path, key]))
        elif isinstance(value, str) and unsafe_in_text(value):
            return _(
                "The value at %(where)s contains NUL, another control character (only tab and line breaks are "
                "allowed) or a lone surrogate; remove it."
            ) % {"where": _where(path)}
    return None


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, bounded in depth and content; every refusal is a 400 saying what to fix."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        body = stream.read()
        try:
            parse_constant = json.strict_constant if self.strict else None
            data = json.loads(body.decode(encoding), parse_constant=parse_constant)
        except RecursionError:
            raise exceptions.ParseError(
                _("JSON nested deeper than %(max)s levels is not accepted; flatten it.") % {"max": MAX_JSON_DEPTH}
            ) from None
        except ValueError as exc:
            raise exceptions.ParseError(_("JSON parse error - %(error)s") % {"error": exc}) from None
        problem = find_problem(data)
        if problem:
            raise exceptions.ParseError(problem)
        return data
