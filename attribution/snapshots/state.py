"""A source's drift state, kept on SourceURL itself so the admin and API filter on it without a join.

An abstract model: SourceURL inherits these fields (attribution/models.py stays small).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from attribution.lib.indexes import index_where_set


class DriftState(models.Model):
    class Drift(models.TextChoices):
        UNCHECKED = "", _("Not compared yet")
        SAME = "same", _("Unchanged")
        CHANGED = "changed", _("Changed since cited")
        CORRECTED = "corrected", _("Corrected or updated since cited")

    drift = models.CharField(max_length=10, choices=Drift.choices, blank=True, editable=False)
    # Similarity of the main text now to the citation-time snapshot, 0 (nothing shared) to 1 (identical).
    drift_score = models.FloatField(null=True, blank=True, editable=False)
    # The correction, retraction or update notice found on the page, as it reads there.
    drift_notice = models.CharField(max_length=300, blank=True, editable=False)
    drift_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When it last became changed or corrected: the daily digest lists those since the last digest.
    drift_detected_at = models.DateTimeField(null=True, blank=True, editable=False)
    next_drift_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    # The digest and the start page: sources that became changed or corrected since a date. SourceURL's
    # Meta adds these to its own indexes (a child with a Meta of its own does not inherit an abstract one's).
    INDEXES = [index_where_set("drift_detected_at", "sourceurl_drift_detected")]

    class Meta:
        abstract = True
