"""Which outcomes of "Apply the action on the article" fit a request: one table, read by the admin, the API and apply.

An editor may do what was asked, or less of the same kind, or what the kind
of request is about, or nothing; never more than was asked. Above all, an
article is only ever removed on a request that asked for its removal, so a
slip of the hand on a link-update request cannot take an article down.
"""

from takedowns.models import TakedownRequest

Outcome = TakedownRequest.Outcome
Remedy = TakedownRequest.Remedy
RequestType = TakedownRequest.RequestType

# What was asked → what may be done about it (besides no action).
BY_REMEDY = {
    # Short of removal: take out the passage, correct it, or credit the source properly.
    Remedy.REMOVE_ARTICLE: {
        Outcome.REMOVED_ARTICLE,
        Outcome.REMOVED_PASSAGE,
        Outcome.TEXT_CORRECTED,
        Outcome.ATTRIBUTION_CHANGED,
    },
    Remedy.CHANGE_PASSAGE: {Outcome.REMOVED_PASSAGE, Outcome.TEXT_CORRECTED},
    Remedy.FIX_ATTRIBUTION: {Outcome.ATTRIBUTION_CHANGED, Outcome.LINK_UPDATED},
    Remedy.UPDATE_LINK: {Outcome.LINK_UPDATED, Outcome.ATTRIBUTION_CHANGED},
}
# What the kind of request is about → the changes that answer it (never removal: that follows the remedy alone).
BY_TYPE = {
    RequestType.COPYRIGHT: {Outcome.REMOVED_PASSAGE, Outcome.ATTRIBUTION_CHANGED},
    RequestType.ATTRIBUTION: {Outcome.ATTRIBUTION_CHANGED, Outcome.LINK_UPDATED},
    RequestType.FACTUAL_CORRECTION: {Outcome.TEXT_CORRECTED, Outcome.REMOVED_PASSAGE},
    RequestType.PRIVACY: {Outcome.REMOVED_PASSAGE, Outcome.TEXT_CORRECTED},
    RequestType.OTHER: set(),
}


def offered_outcomes(takedown: TakedownRequest) -> list[str]:
    """The outcomes that fit this request's remedy and type, in the Outcome enum's order; always ends with no_action."""
    fitting = BY_REMEDY.get(takedown.remedy, set()) | BY_TYPE.get(takedown.request_type, set())
    if takedown.remedy != Remedy.REMOVE_ARTICLE:
        fitting = fitting - {Outcome.REMOVED_ARTICLE}
    return [value for value in Outcome.values if value in fitting or value == Outcome.NO_ACTION]
