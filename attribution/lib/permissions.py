"""DRF permission classes and the editorial group names both apps' APIs and jobs share."""

import functools

from rest_framework import permissions

# Groups made by takedowns' migrations; named once so a rename cannot leave one spelling behind.
EDITORS_GROUP = "Editors"
LEGAL_GROUP = "Legal"
EDITORIAL_GROUPS = (EDITORS_GROUP, LEGAL_GROUP)


class IsStaffOrReadOnly(permissions.BasePermission):
    """Anyone may read (GET, HEAD, OPTIONS); only staff may write. What each reader sees is the view's queryset."""

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or bool(request.user and request.user.is_staff)


@functools.cache
def require_model_permission(perm: str) -> type[permissions.BasePermission]:
    """A permission class letting in authenticated, active users who hold ``perm`` ("app_label.codename").

    The same class for the same ``perm``, so views that share a rule share a class.
    """

    class RequiresModelPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))

    RequiresModelPermission.__name__ = RequiresModelPermission.__qualname__ = f"Requires({perm})"
    return RequiresModelPermission
