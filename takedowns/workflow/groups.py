"""The Editors and Legal groups and what each may do: the permissions the state graph asks for, plus reading.

Migrations made these groups as the models were then; ``ensure_editorial_groups``
makes them as the models are now, for a database whose rows were flushed
(tests) or for an operator repairing a group by hand.
"""

from django.contrib.auth.models import Group, Permission

from attribution.lib.permissions import EDITORS_GROUP, LEGAL_GROUP

READ_AND_TRIAGE = [
    "takedowns.view_takedownrequest",
    "takedowns.view_requestevent",
    "takedowns.view_message",
    "takedowns.view_attachment",
    "takedowns.view_requestarticle",
    "takedowns.view_requestcitation",
    "takedowns.view_articlerevision",
    "takedowns.view_replytemplate",
    "takedowns.add_replytemplate",
    "takedowns.change_replytemplate",
    "takedowns.triage_request",
    "attribution.view_article",
    "attribution.view_citation",
    "attribution.view_correctionnote",
    "attribution.view_sourceurl",
    "attribution.view_publisher",
    # What a source said when cited (issue 12; migration 0009): the text and the WARC, read only.
    "attribution.view_sourcesnapshot",
    "attribution.view_snapshotattempt",
    # Writes the API asks the admin's model permissions for (migration 0006): articles through the
    # import service, "check now" and a source's editorial override, and the member's own API tokens.
    "attribution.add_article",
    "attribution.change_article",
    "attribution.change_sourceurl",
    "attribution.add_apitoken",
    "attribution.view_apitoken",
    "attribution.change_apitoken",
]
GROUP_PERMISSIONS = {
    EDITORS_GROUP: READ_AND_TRIAGE,
    LEGAL_GROUP: [*READ_AND_TRIAGE, "takedowns.decide_legal_request", "takedowns.reinstate_request"],
}


def ensure_editorial_groups() -> None:
    """Create the groups if missing and give them their permissions. Idempotent; takes nothing away."""
    for name, dotted_names in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in dotted_names:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
