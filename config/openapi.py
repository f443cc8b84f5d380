"""The API schema's error responses, documented once for every endpoint.

drf-spectacular documents what a view returns when all goes well; the errors
come from layers around the view (authentication, permissions, pagination,
filters, the body parsers, throttles, ``config.hostile``) and are the same
everywhere. ``CitewatchAutoSchema`` adds them to each operation by what the
operation really does, so the schema promises no more and no less than the
API answers (tests/test_api_schema_fuzz.py holds it to that):

- every operation: 400 (a bad query parameter or filter value, control
  characters in the query), 401 (credentials refused), 403 (not allowed, or a
  session write without its CSRF token), 406 (an ``Accept`` we cannot serve);
- with a path parameter, or paginated: 404 (no such row; no such page);
- with a request body: 413 (larger than DATA_UPLOAD_MAX_MEMORY_SIZE), 415
  (a content type the parsers do not read);
- with a throttle or rate limit: 429.

Every error body is ``{"detail": "what to fix"}``, except 400, which may key
its messages by field name. A view's own description of a code wins; a code it
documents without a body gets the standard one.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent

ERROR = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "Why the request was refused and what to do about it.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
)
VALIDATION_ERROR = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "type": "object",
        "description": (
            "What to fix: `detail` for the request as a whole, or messages keyed by field name "
            "(`non_field_errors` for several fields at once; nested as the fields are)."
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
    },
)

EVERYWHERE = {
    "400": "Invalid input: a query parameter, filter value or field; the body says which and why.",
    "401": "Credentials were sent but refused, or are needed for this operation.",
    "403": "This user may not do this (or a session write came without its CSRF token).",
    "406": "The Accept header asks for a format the API does not serve (it serves JSON).",
}
NOT_FOUND = "No such object, or no such page of results."
WITH_BODY = {
    "413": "The request body is larger than the API accepts.",
    "415": "The request body's Content-Type is not one the API reads (JSON, form or multipart).",
}
THROTTLED = "Too many requests; the Retry-After header says when to try again."


class CitewatchAutoSchema(AutoSchema):
    """drf-spectacular's AutoSchema plus the error responses every operation can really give."""

    # A private hook of drf-spectacular (pinned 0.30.0): on an upgrade, tests/test_api_schema_fuzz.py's
    # test_every_operation_documents_the_errors_it_can_give says whether it still works.
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._error_codes().items():
            responses.setdefault(code, {"description": description})
        for code, documented in responses.items():
            if code.startswith("4") and "content" not in documented:
                component = VALIDATION_ERROR if code == "400" else ERROR
                self.registry.register_on_missing(component)
                documented["content"] = {"application/json": {"schema": component.ref}}
        return dict(sorted(responses.items()))

    def _error_codes(self) -> dict[str, str]:
        codes = dict(EVERYWHERE)
        if self._has_path_parameters() or (self._is_list_view() and self._get_paginator()):
            codes["404"] = NOT_FOUND
        if self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer() is not None:
            codes.update(WITH_BODY)
        if self.view.get_throttles():
            codes["429"] = THROTTLED
        return codes

    def _has_path_parameters(self) -> bool:
        return "{" in self.path
