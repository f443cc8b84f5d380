"""DRF's JSON output, byte for byte, written by orjson: for answers built of plain rows (no floats).

DRF's ``JSONRenderer`` runs the standard library's encoder: 0.8 ms of the article list's CPU for a
170 kB page, against 0.04 ms for orjson (bench/README.md, "API under load"). For strings, integers,
booleans, None, lists and dicts both write the same bytes (compact separators, UTF-8 rather than
``\\u`` escapes, control characters escaped alike); DRF then escapes U+2028 and U+2029 so the JSON is
also JavaScript, and so does this renderer. Floats are where they differ (Python writes ``1e-05``,
orjson ``1e-5``), so views use it only for answers they know hold none.
"""

import orjson
from rest_framework.renderers import JSONRenderer

# Only the types both write alike: dates, dataclasses and subclasses (ReturnDict, ErrorDetail, enums...) raise
# TypeError and take DRF's path.
_PLAIN_ONLY = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
_LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))


class PlainJSONRenderer(JSONRenderer):
    """``JSONRenderer`` through orjson for plain data; DRF's own path for the rest (indent, lazy text, dates...)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        plain = self.compact and not self.ensure_ascii and data is not None
        if not plain or self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            rendered = orjson.dumps(data, option=_PLAIN_ONLY)
        except TypeError:  # not plain data (lazy translation, Decimal, a date...): DRF's encoder writes it
            return super().render(data, accepted_media_type, renderer_context)
        for raw, escaped in _LINE_SEPARATORS:
            if raw in rendered:
                rendered = rendered.replace(raw, escaped)
        return rendered
