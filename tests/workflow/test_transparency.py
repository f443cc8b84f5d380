"""The public transparency report: figures on a known data set, chart, CSV, and no personal data."""

import csv
import datetime as dt
import io

import pytest

from takedowns.models import TakedownRequest
from tests.attribution.factories import ArticleFactory

Status = TakedownRequest.Status
pytestmark = pytest.mark.django_db


def at(month, day, hour=12):
    return dt.datetime(2026, month, day, hour, tzinfo=dt.UTC)


@pytest.fixture
def known(make_request):
    """March: 2 attribution + 1 copyright received; April: 1 privacy. Decisions after 2, 4 and 9 days."""
    make_request(
        request_type="attribution",
        status=Status.ACTIONED,
        outcome="attribution_changed",
        submitted_at=at(3, 1),
        decided_at=at(3, 3),
        closed_at=at(3, 4),
        requester_name="Private Person",
    )
    make_request(
        request_type="attribution",
        status=Status.REJECTED,
        submitted_at=at(3, 10),
        decided_at=at(3, 14),
        closed_at=at(3, 14),
    )
    make_request(
        request_type="copyright",
        status=Status.ACTIONED,
        outcome="removed_article",
        submitted_at=at(3, 20),
        decided_at=at(3, 29),
        closed_at=at(4, 2),
    )
    make_request(request_type="privacy", status=Status.IN_REVIEW, submitted_at=at(4, 5))
    make_request(request_type="other", status=Status.EXPIRED)  # never confirmed: not counted
    ArticleFactory(removed=True)


def test_the_figures_on_a_known_data_set(client, known):
    html = client.get("/transparency/").content.decode()

    assert 'class="cw-total">4<' in html
    assert 'class="cw-median">4.0<' in html  # median of 2, 4 and 9 days
    assert 'class="cw-removed-count">1<' in html
    assert "<svg" in html and "<rect" in html
    assert "Private Person" not in html and "rita" not in html


def test_the_csv_has_every_month_by_type_and_result(client, known):
    response = client.get("/transparency/report.csv")

    assert response["Content-Type"].startswith("text/csv")
    rows = {row["month"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    assert list(rows) == ["2026-03", "2026-04"]
    march, april = rows["2026-03"], rows["2026-04"]
    assert (march["received_attribution"], march["received_copyright"], march["received_privacy"]) == ("2", "1", "0")
    assert (march["closed_attribution_changed"], march["closed_rejected"], march["closed_removed_article"]) == (
        "1",
        "1",
        "0",
    )
    assert (april["received_privacy"], april["closed_removed_article"]) == ("1", "1")
    assert "Private Person" not in response.content.decode()


def test_an_empty_report_still_renders(client, db):
    response = client.get("/transparency/")

    assert response.status_code == 200 and "No requests yet" in response.content.decode()
