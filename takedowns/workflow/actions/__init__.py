"""One module per staff decision on a request.

Each holds its permission check (against ``graph.MOVES``), its guarded
transition and its audit entries, inside one transaction. The registry
(``takedowns.workflow.registry.run_action``) dispatches to them for the admin,
the API, the jobs and the tests alike; they can also be called directly.
"""
