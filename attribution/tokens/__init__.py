"""API tokens for editors' scripts: a small model of our own, its services, the DRF authentication and the admin.

``models``: ``ApiToken`` (owner, name, expiry; only a SHA-256 digest and a short prefix stored).
``services``: ``issue_api_token``, ``revoke_api_token``, ``authenticate_token`` (used by the admin, the
command ``create_api_token`` and the authentication class alike).
``authentication``: ``Authorization: Bearer <token>`` (or ``Token <token>``) for the API.
"""
