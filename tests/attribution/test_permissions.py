"""The shared DRF permission classes in attribution.lib.permissions."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from rest_framework.test import APIRequestFactory

from attribution.lib.permissions import IsStaffOrReadOnly, require_model_permission

pytestmark = pytest.mark.django_db
CAN_VIEW_SOURCES = "attribution.view_sourceurl"


def allowed(permission_class, user, method="get") -> bool:
    request = getattr(APIRequestFactory(), method)("/")
    request.user = user
    return permission_class().has_permission(request, view=None)


def test_anyone_reads_but_only_staff_write(editor, outsider):
    assert allowed(IsStaffOrReadOnly, AnonymousUser()) and allowed(IsStaffOrReadOnly, outsider)
    assert not allowed(IsStaffOrReadOnly, AnonymousUser(), "post")
    assert not allowed(IsStaffOrReadOnly, outsider, "post")
    assert allowed(IsStaffOrReadOnly, editor, "post")


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
