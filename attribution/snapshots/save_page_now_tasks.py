"""The Save Page Now task: thin, run by beat every minute (config/settings_parts/save_page_now.py).

The ArchiveSubmission table is the queue, so a lost message only delays archiving to the next minute.
"""

from celery import shared_task

from attribution.snapshots import save_page_now


# No acks_late: a redelivered sweep could send a page twice; a lost one is simply the next minute's work.
@shared_task(ignore_result=True)
def save_page_now_sweep() -> dict:
    """Send due sources to Save Page Now and poll their jobs (SNAPSHOTS_SAVE_PAGE_NOW_ENABLED). Returns counts."""
    return save_page_now.save_page_now_sweep()
