"""The shared DRF permission classes in attribution.lib.permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from rest_framework.test import APIRequestFactory

from attribution.lib.permissions import may_write, require_model_permission

pytestmark = pytest.mark.django_db
CAN_VIEW_SOURCES = "attribution.view_sourceurl"


def allowed(permission_class, user, method="get") -> bool:
    request = getattr(APIRequestFactory(), method)("/")
    request.user = user
    return permission_class().has_permission(request, view=None)


def test_a_write_needs_what_the_admin_needs_active_staff_holding_the_permission(django_user_model, outsider):
    can_add = Permission.objects.get(codename="add_article")
    outsider.user_permissions.add(can_add)
    assert not may_write(AnonymousUser(), ["attribution.add_article"])
    assert not may_write(type(outsider).objects.get(pk=outsider.pk), ["attribution.add_article"])  # not staff
    staff = django_user_model.objects.create_user("sam-staff", is_staff=True)
    assert not may_write(staff, ["attribution.add_article"])
    staff.user_permissions.add(can_add)
    staff = type(staff).objects.get(pk=staff.pk)  # a fresh copy: permissions are cached per instance
    assert may_write(staff, ["attribution.add_article"])
    assert not may_write(staff, ["attribution.add_article", "attribution.change_article"])
    staff.is_active = False
    assert not may_write(staff, ["attribution.add_article"])


def test_a_model_permission_lets_in_only_active_holders(outsider):
    can_view = require_model_permission(CAN_VIEW_SOURCES)
    assert not allowed(can_view, AnonymousUser())
    assert not allowed(can_view, outsider)
    outsider.user_permissions.add(Permission.objects.get(codename="view_sourceurl"))
    holder = type(outsider).objects.get(pk=outsider.pk)  # a fresh copy: permissions are cached per instance
    assert allowed(can_view, holder)
    holder.is_active = False
    assert not allowed(can_view, holder)


def test_the_same_permission_gives_the_same_class():
    assert require_model_permission(CAN_VIEW_SOURCES) is require_model_permission(CAN_VIEW_SOURCES)
    assert require_model_permission(CAN_VIEW_SOURCES) is not require_model_permission("attribution.view_article")
