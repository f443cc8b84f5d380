"""Model-free helpers any app may import: the guarded HTTP client's URL and address rules,
host and domain rules, the page-title reader, and DRF permission classes.

Nothing here imports an app's models (or anything that does), so ``takedowns``
and ``attribution`` can both use these without an import cycle or a
dependency between the apps. A helper that needs a model belongs to that
model's app.
"""
