"""One request's life: the state graph, the guarded transition, one module per decision, and the jobs.

- ``graph``: every move a request can make (from-states, to-state, who, permission, whether the requester is told);
- ``transition``: the guarded conditional UPDATE and audit event every move goes through;
- ``actions/``: one module per staff decision (permission check, transition, audit entries);
- ``registry``: ``run_action``, the one entry point the admin, the API and the tests call;
- ``requester``: the requester's moves (submit, confirm, reply, withdraw);
- ``jobs``: the periodic jobs (expiry, silence, overdue digest, retention purge);
- ``replies``, ``revisions``, ``steps``, ``sla``: what the decisions share.
"""
