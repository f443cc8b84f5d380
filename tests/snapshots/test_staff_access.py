"""Snapshots are for staff: the list, the text page, the WARC download and the source page's inline."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from warcio.archiveiterator import ArchiveIterator

from attribution.snapshots import services
from attribution.snapshots.models import SnapshotAttempt
from takedowns.workflow.groups import ensure_editorial_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(site, working_source):
    return services.take_snapshot(working_source("/article"), reason="first")


@pytest.fixture
def viewer(django_user_model):
    """Staff who may view snapshots and nothing else (not a superuser)."""
    user = django_user_model.objects.create_user("vera-viewer", "vera@newsroom.example", "pw-vera-1", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_sourcesnapshot"))
    return user


def text_url(snapshot):
    return f"/admin/attribution/sourcesnapshot/{snapshot.pk}/text/"


def warc_url(snapshot):
    return f"/admin/attribution/sourcesnapshot/{snapshot.pk}/warc/"


def test_staff_read_the_extracted_title_and_text(client, viewer, snapshot):
    client.force_login(viewer)

    html = client.get(text_url(snapshot)).content.decode()

    assert "Cranes return to the harbour" in html
    assert "The harbour authority confirmed on Tuesday" in html
    assert snapshot.text_hash in html


def test_staff_download_the_warc_as_a_streamed_attachment(client, viewer, snapshot):
    client.force_login(viewer)

    response = client.get(warc_url(snapshot))

    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="citewatch-snapshot-')
    assert response["Content-Type"] == "application/warc"
    body = b"".join(response.streaming_content)
    with snapshot.warc.open("rb") as handle:
        assert body == handle.read()
    records = list(ArchiveIterator(io.BytesIO(body)))
    assert records[-1].rec_headers.get_header("WARC-Target-URI") == snapshot.fetched_url


@pytest.mark.parametrize("url", [text_url, warc_url])
def test_a_visitor_who_is_not_signed_in_is_sent_to_the_login_page(client, snapshot, url):
    response = client.get(url(snapshot))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("url", [text_url, warc_url])
def test_a_signed_in_user_who_is_not_staff_gets_nothing(client, outsider, snapshot, url):
    client.force_login(outsider)

    response = client.get(url(snapshot))

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert b"Cranes" not in response.content


@pytest.mark.parametrize("url", [text_url, warc_url])
def test_staff_without_the_view_permission_are_refused(client, django_user_model, snapshot, url):
    clerk = django_user_model.objects.create_user("carl-clerk", "carl@newsroom.example", "pw-carl-1", is_staff=True)
    client.force_login(clerk)

    assert client.get(url(snapshot)).status_code == 403


def test_the_source_page_lists_its_snapshots_and_the_snapshot_list_loads(client, editor, snapshot):
    client.force_login(editor)

    source_page = client.get(f"/admin/attribution/sourceurl/{snapshot.source_url_id}/change/").content.decode()
    assert text_url(snapshot) in source_page and warc_url(snapshot) in source_page

    listing = client.get("/admin/attribution/sourcesnapshot/")
    assert listing.status_code == 200 and "Cranes return" in listing.content.decode()
    assert client.get(f"/admin/attribution/sourcesnapshot/{snapshot.pk}/change/").status_code == 200
    assert client.get("/admin/attribution/snapshotattempt/").status_code == 200


def test_snapshots_cannot_be_edited_or_deleted_in_the_admin(client, editor, snapshot):
    client.force_login(editor)

    response = client.post(f"/admin/attribution/sourcesnapshot/{snapshot.pk}/change/", {"title": "forged"})
    assert response.status_code == 403
    assert client.post(f"/admin/attribution/sourcesnapshot/{snapshot.pk}/delete/", {"post": "yes"}).status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.title.startswith("Cranes")


def test_snapshot_attempts_cannot_be_deleted_in_the_admin(admin_client, snapshot):
    """Deleting an attempt would reset its back-off: the queue alone writes these rows."""
    attempt = SnapshotAttempt.objects.create(source_url=snapshot.source_url, attempts=3, outcome="timed out")

    delete = admin_client.post(f"/admin/attribution/snapshotattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert delete.status_code == 403
    assert SnapshotAttempt.objects.get(pk=attempt.pk).attempts == 3


def test_a_full_budget_is_said_on_the_snapshot_list(client, editor, snapshot, settings):
    settings.SNAPSHOTS_STORAGE_BUDGET_BYTES = 1
    client.force_login(editor)

    html = client.get("/admin/attribution/sourcesnapshot/", follow=True).content.decode()

    assert "Snapshot storage is full" in html


def test_an_unknown_snapshot_is_a_404(client, editor):
    client.force_login(editor)

    assert client.get("/admin/attribution/sourcesnapshot/999999/text/").status_code == 404
    assert client.get("/admin/attribution/sourcesnapshot/999999/warc/").status_code == 404


def test_the_migration_gives_the_editorial_groups_the_view_permissions():
    migration = importlib.import_module("takedowns.migrations.0009_editors_view_snapshots")
    groups = [Group.objects.get_or_create(name=name)[0] for name in ("Editors", "Legal")]
    for group in groups:
        group.permissions.remove(
            *Permission.objects.filter(codename__in=["view_sourcesnapshot", "view_snapshotattempt"])
        )

    migration.grant(django_apps, None)

    for group in groups:
        codenames = set(group.permissions.values_list("codename", flat=True))
        assert {"view_sourcesnapshot", "view_snapshotattempt"} <= codenames
        assert "change_sourcesnapshot" not in codenames and "delete_sourcesnapshot" not in codenames


def test_members_of_the_editorial_groups_read_snapshots(client, django_user_model, snapshot):
    ensure_editorial_groups()  # as the groups are now, whatever an earlier transactional test flushed
    for group in ("Editors", "Legal"):
        member = django_user_model.objects.create_user(f"{group}-member", is_staff=True)
        member.groups.add(Group.objects.get(name=group))
        client.force_login(member)

        assert client.get(text_url(snapshot)).status_code == 200
        assert client.get(warc_url(snapshot)).status_code == 200
