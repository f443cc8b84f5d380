"""Production safety settings: included into config/settings.py by django-split-settings.

Runs in the settings module's namespace, so it reads DEBUG and SITE_URL. Every variable
read here is in README's "Production checklist".
"""

# ruff: noqa: F821

from csp import constants as csp

from config.env import env_bool, env_float, env_int, env_str

# --- Cookies, HTTPS redirect and HSTS (README "Production checklist") ---
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS redirect and HSTS follow an https:// SITE_URL with DEBUG off: the demo and benchmarks keep http.
SITE_SERVED_OVER_HTTPS = not DEBUG and SITE_URL.startswith("https://")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SITE_SERVED_OVER_HTTPS)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SITE_SERVED_OVER_HTTPS else 0, minimum=0)

SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Only declares the site eligible for browsers' preload lists; nothing is listed
# until someone submits the domain at hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a TLS-terminating proxy, the header it sets to "https" (e.g. X-Forwarded-Proto). Set it
# only if the proxy always overwrites that header: a client could otherwise claim https itself.
_proxy_ssl_header = env_str("SECURE_PROXY_SSL_HEADER")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https") if _proxy_ssl_header else None
)

# --- Login lockout (django-axes) ---
# Wrong passwords are counted per user name and client address (admin login, and API Basic auth
# when API_BASIC_AUTH is on); past the limit the right password is refused too, until the
# cool-off ends or `manage.py axes_reset_username NAME` lifts it.
AUTHENTICATION_BACKENDS = [
    "config.lockout.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 1.0, minimum=0.01)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
# The same client address as the request rate limits, so TAKEDOWNS_TRUSTED_PROXIES covers both.
AXES_CLIENT_IP_CALLABLE = "takedowns.abuse.client_ip"
AXES_USERNAME_CALLABLE = "config.lockout.lockout_username"

# --- Content-Security-Policy (django-csp) ---
# Our own origin only, nothing inline. A template that really needs an inline script or style
# gives it nonce="{{ request.csp_nonce }}"; see README "Content-Security-Policy".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF, csp.NONCE],
        "style-src": [csp.SELF, csp.NONCE],
        # Swagger UI's and the admin's icons are data: SVGs in their stylesheets.
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "frame-ancestors": [csp.NONE],
        "form-action": [csp.SELF],
    },
}
if env_str("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [env_str("CSP_REPORT_URI")]

# --- Health endpoints (config/health.py) ---
# /readyz fails when no periodic job has been sent for this long (beat stalled or not running).
HEALTH_BEAT_MAX_AGE_SECONDS = env_int("HEALTH_BEAT_MAX_AGE_SECONDS", 600, minimum=60)
# Connect timeout of /readyz's broker probe: a dead broker answers 503 in about this long.
HEALTH_BROKER_TIMEOUT = env_float("HEALTH_BROKER_TIMEOUT", 1.0, minimum=0.1)
