"""Demo data for the screenshots: the demo articles and requests in several states, made the way the site makes them.

Requests are filed through the public form and the requester's confirmation, then moved by the staff
actions (``run_action``), so every page shows what a real request would show.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command

from attribution.management.commands.setup_demo import DEMO_DIR
from attribution.models import Article, ImportConflict
from takedowns.forms import RequestForm
from takedowns.models import TakedownRequest
from takedowns.workflow.registry import run_action
from takedowns.workflow.requester import confirm_request, submit_request

CRANES = "01-harbour-cranes.txt"
CORRECTED_BODY = (
    "Engineers will inspect every crane at the northern harbour after a gust damaged a cab on Wednesday night."
)


@dataclass
class Demo:
    admin_user: str
    admin_password: str
    article: Article
    waiting: TakedownRequest
    accepted: TakedownRequest
    conflict: ImportConflict


def _file(article: Article, **fields) -> TakedownRequest:
    """File a request through the public form and confirm it, as a requester would."""
    data = {
        "request_type": "attribution",
        "articles": article.slug,
        "original_work_url": "https://example-harbour.org/news/cranes-inspection",
        "relationship": "rights_holder",
        "organisation": "Example Harbour Authority",
        "requester_name": "Rita Rights",
        "requester_email": "rita@example-harbour.org",
        "requester_country": "Ireland",
        "remedy": "fix_attribution",
        "details": "Our press release is the source of this story; please credit it by name.",
        "statement_good_faith": "on",
        "statement_accuracy": "on",
        "signature": "Rita Rights",
        **fields,
    }
    form = RequestForm(data)
    if not form.is_valid():
        raise ValueError(f"demo request refused: {form.errors.as_json()}")
    takedown = submit_request(form.to_input(), ip_hash="screenshots", language="en")
    return confirm_request(takedown)


def _act(takedown, user, action, **fields) -> TakedownRequest:
    return run_action(takedown, actor=user, data={"action": action, **fields})


def _hold_an_import_conflict(article: Article, user) -> ImportConflict:
    """Correct the article through a request, then import a different version of it: the import is held."""
    correction = _file(
        article,
        request_type="factual_correction",
        remedy="change_passage",
        passage="on Tuesday night",
        proposed_text="on Wednesday night",
        details="The gust was on Wednesday night, not Tuesday.",
    )
    correction = _act(_act(correction, user, "take"), user, "accept")
    note = "The gust was on Wednesday night, not Tuesday."
    _act(correction, user, "apply", outcome="text_corrected", body=CORRECTED_BODY, correction_note=note)
    with tempfile.TemporaryDirectory() as folder:
        edited = Path(folder) / CRANES
        shutil.copy(DEMO_DIR / CRANES, edited)
        edited.write_text(edited.read_text().replace("No one was hurt.", "Nobody was injured, the port said."))
        call_command("import_articles", str(edited), no_progress=True, stdout=StringIO(), stderr=StringIO())
    return ImportConflict.objects.filter(article=article).latest("created_at")


def seed() -> Demo:
    call_command("setup_demo", stdout=StringIO())
    username = os.environ.get("DEMO_ADMIN_USER", "admin")
    admin = get_user_model().objects.get(username=username)
    articles = list(Article.objects.published().order_by("published_on", "slug"))
    cranes = Article.objects.get(imported_from__endswith=CRANES)
    others = [article for article in articles if article != cranes]

    waiting = _act(_file(others[0]), admin, "take")
    waiting = _act(
        waiting,
        admin,
        "ask_for_information",
        note="Which passage should credit you? Please quote it and give the link.",
    )
    accepted = _file(others[1], remedy="update_link", request_type="attribution")
    accepted = _act(_act(accepted, admin, "take"), admin, "accept")
    _file(others[2])  # one still waiting in the queue
    conflict = _hold_an_import_conflict(cranes, admin)
    return Demo(
        admin_user=username,
        admin_password=os.environ.get("DEMO_ADMIN_PASSWORD", "citewatch-demo"),
        article=cranes,
        waiting=waiting,
        accepted=accepted,
        conflict=conflict,
    )
