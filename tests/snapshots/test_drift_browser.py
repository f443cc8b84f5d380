"""The side-by-side comparison in chromium: Arabic paragraphs read right to left beside English ones, and axe
finds no serious accessibility problem (struck and underlined words, not colour alone)."""

import hashlib

import pytest
from django.utils import timezone

from attribution.snapshots.models import SourceSnapshot
from tests.accessibility.axe import blocking_violations
from tests.linkcheck.factories import OkSourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITED = "The authority confirmed the cranes will return.\nأكدت سلطة الميناء أن الرافعات ستعود قبل نهاية الموسم."
NOW = (
    "The authority said the cranes will not return.\nأكدت سلطة الميناء أن الرافعات لن تعود هذا العام.\n"
    "تصحيح: ورد في نسخة سابقة خطأ في الموعد."
)


def snapshot(source, *, reason, text, days_ago):
    return SourceSnapshot.objects.create(
        source_url=source,
        taken_at=timezone.now() - timezone.timedelta(days=days_ago),
        reason=reason,
        fetched_url=source.url,
        http_status=200,
        content_type="text/html",
        title="Cranes return | عودة الرافعات",
        text=text,
        text_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def test_the_comparison_reads_arabic_right_to_left_and_passes_axe(page, django_user_model, artifacts_dir):
    django_user_model.objects.create_superuser("ada-admin", "ada@newsroom.example", "pw-ada-admin-1")
    source = OkSourceFactory(
        drift="corrected", drift_score=0.31, drift_notice="تصحيح: ورد في نسخة سابقة خطأ في الموعد."
    )
    snapshot(source, reason="first", text=CITED, days_ago=40)
    snapshot(source, reason="drift", text=NOW, days_ago=1)

    page.goto("/admin/login/")
    page.fill("#id_username", "ada-admin")
    page.fill("#id_password", "pw-ada-admin-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/attribution/sourceurl/{source.pk}/drift/")

    rows = page.locator("table.cw-drift tbody tr")
    english, arabic = rows.nth(1).locator("td").nth(1), rows.nth(2).locator("td").nth(1)
    assert english.evaluate("cell => getComputedStyle(cell).direction") == "ltr"
    assert arabic.evaluate("cell => getComputedStyle(cell).direction") == "rtl"
    assert page.locator("table.cw-drift ins").count() >= 3 and page.locator("table.cw-drift del").count() >= 2
    page.screenshot(path=str(artifacts_dir / "admin-drift-side-by-side.png"), full_page=True)
    assert blocking_violations(page, "the drift comparison") == []
