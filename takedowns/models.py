"""Removal and change requests from rights holders (built by the request issue)."""
