"""Where a move leads: checked before anything is written, with a message that says what to fix."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from attribution.lib.addresses import RefusedURL, check_url
from attribution.models import SourceURL
from attribution.urls_normalise import normalise_url

MAX_HOST_SOURCES = 20_000


class MoveError(ValueError):
    """The move cannot be made as asked; the message says what to fix. Nothing was changed."""


def source_target(source: SourceURL) -> str:
    """The normalised final URL a redirected source moves to. Raises MoveError."""
    if source.status != SourceURL.Status.REDIRECTED:
        raise MoveError(
            _("Only a source that moved permanently can be replaced; this one is “%(status)s”.")
            % {"status": source.get_status_display()}
        )
    final = normalise_url(source.final_url)
    if not source.final_url or not final.is_valid:
        raise MoveError(_("The check recorded no usable final URL for this source; check it again first."))
    try:
        # The same rule as a link check: a move never leads readers to a private address.
        check_url(final.url, allow_private=settings.LINKCHECK_ALLOW_PRIVATE_HOSTS)
    except RefusedURL as exc:
        raise MoveError(_("The final URL cannot be used: %(why)s") % {"why": exc}) from None
    if final.url == source.url:
        raise MoveError(_("The final URL is the same as the cited one: there is nothing to replace."))
    return final.url


def _origin(text: str, which: str) -> tuple[str, str]:
    """(scheme, host) of "https://news.example" (a path is refused, so nobody rewrites more than they meant)."""
    text = (text or "").strip().rstrip("/")
    parts = urlsplit(text if "://" in text else f"https://{text}")
    url = normalise_url(f"{parts.scheme}://{parts.netloc}/")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or not url.is_valid:
        raise MoveError(
            _("The %(which)s outlet must be a scheme and host such as https://news.example, found “%(v)s”.")
            % {"which": which, "v": text[:80]}
        )
    return parts.scheme, urlsplit(url.url).netloc


def host_targets(old: str, new: str) -> tuple[str, str, dict[int, str]]:
    """(old prefix, new prefix, {source id: new normalised URL}) for every source under the old outlet."""
    old_scheme, old_host = _origin(old, _("old"))
    new_scheme, new_host = _origin(new, _("new"))
    old_prefix, new_prefix = f"{old_scheme}://{old_host}", f"{new_scheme}://{new_host}"
    if old_prefix == new_prefix:
        raise MoveError(_("The old and new outlet are the same."))
    rows = SourceURL.objects.filter(host=old_host.split(":")[0], url__startswith=old_prefix + "/")
    targets = {}
    for pk, url in rows.values_list("pk", "url")[: MAX_HOST_SOURCES + 1]:
        moved = normalise_url(new_prefix + url[len(old_prefix) :])
        if moved.is_valid:
            targets[pk] = moved.url
    if len(targets) > MAX_HOST_SOURCES:
        raise MoveError(_("More than %(n)d sources: move this outlet in parts.") % {"n": MAX_HOST_SOURCES})
    if not targets:
        raise MoveError(_("No cited source is under %(prefix)s.") % {"prefix": old_prefix})
    return old_prefix, new_prefix, targets
