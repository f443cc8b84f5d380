"""Named people of the editorial workflow and requests in each state."""

import pytest
from django.contrib.auth.models import Group

from attribution.lib.permissions import LEGAL_GROUP
from takedowns.workflow.groups import ensure_editorial_groups
from takedowns.workflow.replies import ensure_reply_templates
from tests.attribution.factories import ArticleFactory, CitationFactory
from tests.takedowns.factories import TakedownRequestFactory


@pytest.fixture
def workflow_groups(db):
    """The Editors and Legal groups and the reply templates, as the migration makes them.

    A transactional test elsewhere in the session flushes the database,
    migration data included; this puts them back when they are missing.
    """
    if not Group.objects.filter(name=LEGAL_GROUP).exists():
        ensure_editorial_groups()
        ensure_reply_templates()


def _member(django_user_model, username, group):
    user = django_user_model.objects.create_user(
        username, f"{username}@newsroom.example", f"pw-{username}-1", is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def eddie(django_user_model, workflow_groups):
    """Eddie, in the Editors group: triages, decides attribution, correction and link requests."""
    return _member(django_user_model, "eddie-editor", "Editors")


@pytest.fixture
def erin(django_user_model, workflow_groups):
    """Erin, a second editor (the other hand in the double click)."""
    return _member(django_user_model, "erin-editor", "Editors")


@pytest.fixture
def lena(django_user_model, workflow_groups):
    """Lena, in the Legal group: also decides removal, copyright and privacy requests, and reinstates."""
    return _member(django_user_model, "lena-legal", "Legal")


@pytest.fixture
def stan(django_user_model, workflow_groups):
    """Stan, staff in neither group: must see nothing of requests."""
    return _member(django_user_model, "stan-staff", None)


@pytest.fixture
def article():
    article = ArticleFactory(headline="Harbour cranes return", body="The cranes came back on Monday.")
    for position, url in enumerate(["https://harbourgazette.example/cranes", "https://wire.example/cranes"], 1):
        CitationFactory(article=article, position=position, source_url__url_as_cited=url, text_as_written=url)
    return article


@pytest.fixture
def make_request(article):
    def make(**kwargs):
        kwargs.setdefault("articles", [article])
        return TakedownRequestFactory(**kwargs)

    return make


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run after-commit callbacks (the mail sender) at the end of the block, as a real commit would."""
    return django_capture_on_commit_callbacks(execute=True)
