"""The API of removal and change requests.

- ``requests``: ``/api/requests/``: anyone files one (the web form's rules); the editorial groups read them;
- ``workflow``: ``/api/requests/<id>/transitions/`` (``run_action``) and ``/api/requests/<id>/events/``.
"""
