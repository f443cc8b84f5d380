"""Which request form fields only some requests need, in one table read by the form, its page and its script."""

from django.utils.translation import gettext_lazy as _

from takedowns.models import TakedownRequest

RequestType = TakedownRequest.RequestType
Remedy = TakedownRequest.Remedy

# Fields that only some requests need: by request type, remedy or relationship (the rules are in clean()).
# The page shows each with a note saying when it is needed; static/takedowns-form.js marks the ones the
# current choices need as required and hides the ones they do not, except those useful to every request
# ("always": the explanation and the contact details). Phone and postal address are "one of the two" for
# copyright ("either"), so neither is marked required on its own.
NEEDED_FOR = {
    "original_work_url": {"types": ["copyright", "attribution"], "remedies": ["update_link"]},
    "original_work_description": {"types": ["copyright"]},
    "statement_perjury": {"types": ["copyright"]},
    "requester_phone": {"types": ["copyright"], "either": True, "always": True},
    "requester_postal_address": {"types": ["copyright"], "either": True, "always": True},
    "details": {"types": ["factual_correction", "privacy", "other"], "always": True},
    "passage": {"remedies": ["change_passage"]},
    "proposed_text": {"remedies": ["change_passage"]},
    "acting_for": {"relationships": ["authorised_agent"]},
}
CHOICE_FIELDS = {"types": "request_type", "remedies": "remedy", "relationships": "relationship"}


def needed_note(name: str) -> str:
    """ "Needed for copyright requests, or to update a link.": what the page says without JavaScript."""
    rule = NEEDED_FOR[name]
    labels = {"types": RequestType, "remedies": Remedy, "relationships": TakedownRequest.Relationship}
    parts = [str(labels[key](value).label) for key in CHOICE_FIELDS for value in rule.get(key, [])]
    if rule.get("either"):
        return str(_("Copyright requests need a phone number or a postal address."))
    return str(_("Needed for: %(choices)s.")) % {"choices": "; ".join(parts)}
