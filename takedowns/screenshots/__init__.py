"""The README's screenshots, made by ``manage.py screenshots`` so they stay current.

``seed`` fills a throwaway database with the demo articles and requests in several states (through the
same services the site uses), ``server`` runs the site on it in-process, ``shots`` drives chromium.
"""
