"""Removal and change requests from rights holders: filing, confirmation, the editorial workflow, the record.

See ``takedowns.workflow`` for one request's life and README "Requests" and "Editorial workflow".
"""
