"""The admin of removal and change requests: the queue and request page, its filters and page context, the records.

- ``requests``: the queue and the request page (workflow buttons call ``workflow.registry.run_action``);
- ``page``: what the request page shows besides the record;
- ``filters``: the queue's list filters;
- ``records``: reply templates and article revisions.
"""

from takedowns.admin import records, requests  # noqa: F401  (registers the ModelAdmins)
