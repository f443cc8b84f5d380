"""Copy overlap, for copyright triage (issue 12 §3): how much of an article's text is a cited source's own.

``compute.py`` compares two texts (no database); ``models.py`` stores one result per article and source
snapshot; ``services.py`` decides what to compute and writes it; ``admin.py`` and ``api.py`` show it.
"""
