"""Every change to an attribution record, on the record: who, when, through what, and before/after.

django-simple-history keeps one historical row per change of an Article,
Publisher or SourceURL (its editorial fields only). Saves record themselves
through its signals; the bulk writes of the import service and the
``queryset.update()`` services send no signal, so they call ``record`` here.

- ``context``: who and through what ("api", "admin", "request #12", a file),
  set by the entry point and read when a row is written; no model imports.
- ``record``: writing historical rows in bulk, and the baseline row for a
  record that predates its history.
- ``changes``: the field-level before/after between consecutive rows, for the
  admin and the API.
"""
