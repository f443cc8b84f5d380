"""Keeping what was cited: snapshots of sources, drift and correction alerts (issue 12)."""
