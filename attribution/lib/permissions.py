"""DRF permission classes and the editorial group names both apps' APIs and jobs share.

The API lets a user change what the admin would let them change, no more: an
active staff user holding the model's Django permission (``add_<model>`` to
create, ``change_<model>`` to replace or act on a row, ``delete_<model>`` to
delete). Reads are a separate matter: each view's queryset decides what a
reader sees, and ``require_model_permission`` guards data only some may read.
"""

import functools

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions

# Groups made by takedowns' migrations; named once so a rename cannot leave one spelling behind.
EDITORS_GROUP = "Editors"
LEGAL_GROUP = "Legal"
EDITORIAL_GROUPS = (EDITORS_GROUP, LEGAL_GROUP)


def may_write(user, perms) -> bool:
    """Whether the admin would let ``user`` make a change needing every one of ``perms`` ("app_label.codename")."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff and user.has_perms(perms))


class AdminModelPermissions(permissions.BasePermission):
    """Anyone may read (the view's queryset decides what); writes need the model permission the admin needs.

    POST needs ``add``, PUT and PATCH ``change``, DELETE ``delete`` of the view's model. An extra action
    that is not a plain create or update (``POST /api/sources/<id>/check/``) names its own permissions in
    the view's ``action_permissions`` ({action name: [perm, ...]}), e.g. the ``change`` permission that the
    admin's action of the same name asks for.
    """

    WRITE_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        perms = self.required_permissions(request, view)
        if may_write(request.user, perms):
            return True
        # DRF shows this message with the 403 (an anonymous caller gets a 401 asking for credentials instead).
        self.message = _("This needs an active staff account with the %(perms)s permission, as in the admin.") % {
            "perms": ", ".join(perms)
        }
        return False

    def required_permissions(self, request, view) -> list[str]:
        named = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if named is not None:
            return list(named)
        if request.method not in self.WRITE_ACTIONS:
            raise exceptions.MethodNotAllowed(request.method)
        opts = view.get_queryset().model._meta
        return [f"{opts.app_label}.{self.WRITE_ACTIONS[request.method]}_{opts.model_name}"]


class StaffWrites(permissions.BasePermission):
    """Reads as other classes say; writes only from active staff, the admin's own door.

    For views whose writes a service checks itself (the workflow's ``run_action``), so the API refuses
    whom the admin would refuse before the service is asked.
    """

    message = gettext_lazy("Only active staff accounts may do this, as in the admin.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or may_write(request.user, [])


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
