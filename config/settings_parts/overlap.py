"""Settings for copy overlap (attribution/overlap/): included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads names defined there (CELERY_BEAT_SCHEDULE, CELERY_IMPORTS).
"""

# ruff: noqa: F821
from config.env import env_float, env_int

# --- Copy overlap ------------------------------------------------------------------
# How much of an article's text is a cited source's own, for copyright triage. README "Copy overlap".
# Words per compared sequence. 8 is long enough that a shared sequence is rarely stock phrasing, short
# enough that a light rewrite still leaves some. Changing it makes every stored row stale (recomputed).
OVERLAP_NGRAM_WORDS = env_int("OVERLAP_NGRAM_WORDS", 8, minimum=3)
# The longest shared passage is stored and shown up to this many characters (its word count is always whole).
OVERLAP_PASSAGE_MAX_CHARS = env_int("OVERLAP_PASSAGE_MAX_CHARS", 2000, minimum=100)
# The sweep: article × snapshot pairs with no current result, at most this many computed per run, every
# OVERLAP_SWEEP_SECONDS. It also finds rows made stale by an article's new text.
OVERLAP_SWEEP_BATCH = env_int("OVERLAP_SWEEP_BATCH", 500, minimum=1)
OVERLAP_SWEEP_SECONDS = env_float("OVERLAP_SWEEP_SECONDS", 300.0, minimum=10.0)

# The tasks live in their own module: workers and run_job import it from here (autodiscovery finds only <app>.tasks).
CELERY_IMPORTS = (*globals().get("CELERY_IMPORTS", ()), "attribution.overlap.tasks")
CELERY_BEAT_SCHEDULE["overlap-sweep"] = {
    "task": "attribution.overlap.tasks.compute_missing_overlaps",
    "schedule": OVERLAP_SWEEP_SECONDS,
}
