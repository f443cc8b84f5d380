"""Moved links in the admin: "Replace with final URL" on a redirected source, "Move an outlet" by host,
each with a preview before anything changes, and the list of moves with "Undo".

``SourceURLAdmin`` (attribution/admin.py) mixes ``MovesAdminMixin`` in; ``MoveBatchAdmin`` is registered here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from attribution.lib.admin import RecordAdmin
from attribution.lib.permissions import may_write
from attribution.moves.models import MoveBatch
from attribution.moves.services import MoveError, apply_move, preview_host_move, preview_source_move, undo_move

# Rewriting citations changes articles: the admin asks for what changing an article asks for.
MOVE_PERMISSIONS = ["attribution.change_article", "attribution.change_sourceurl"]


class HostMoveForm(forms.Form):
    old = forms.CharField(
        label=_("Old address of the outlet"), help_text=_("Scheme and host, e.g. http://news.example")
    )
    new = forms.CharField(label=_("New address"), help_text=_("Scheme and host, e.g. https://www.news.example"))


class MovesAdminMixin:
    """The source admin's "Replace with final URL" action and page, and the "Move an outlet" page."""

    @admin.action(description=_("Replace with the final URL in every article"), permissions=["move"])
    def replace_with_final_url(self, request, queryset):
        sources = list(queryset[:2])
        if len(sources) != 1:
            self.message_user(
                request, _("Choose one moved source at a time (or move a whole outlet)."), messages.WARNING
            )
            return None
        return redirect(reverse("admin:attribution_sourceurl_move", args=[sources[0].pk]))

    def has_move_permission(self, request, obj=None) -> bool:
        return may_write(request.user, MOVE_PERMISSIONS)

    def get_urls(self):
        own = [
            path(
                "move-outlet/", self.admin_site.admin_view(self.host_move_view), name="attribution_sourceurl_movehost"
            ),
            path(
                "<path:object_id>/move/", self.admin_site.admin_view(self.move_view), name="attribution_sourceurl_move"
            ),
        ]
        return own + super().get_urls()

    def move_view(self, request, object_id):
        """GET: the preview of replacing one source everywhere. POST (confirm): do it."""
        if not self.has_move_permission(request):
            raise PermissionDenied
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404(_("No such source URL."))
        back = reverse("admin:attribution_sourceurl_change", args=[source.pk])
        try:
            plan = preview_source_move(source)
        except MoveError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(back)
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            return self._apply(request, plan, back)
        return self._preview(request, plan, title=_("Replace a moved link"), form=None)

    def host_move_view(self, request):
        """A form (old and new outlet), then its preview, then the move."""
        if not self.has_move_permission(request):
            raise PermissionDenied
        form = HostMoveForm(request.POST or request.GET or None)
        plan = None
        if form.is_bound and form.is_valid():
            try:
                plan = preview_host_move(form.cleaned_data["old"], form.cleaned_data["new"])
            except MoveError as exc:
                form.add_error(None, str(exc))
        if plan is not None and request.method == "POST" and request.POST.get("confirm") == "yes":
            return self._apply(request, plan, reverse("admin:attribution_sourceurl_changelist"))
        return self._preview(request, plan, title=_("Move an outlet"), form=form)

    def _apply(self, request, plan, back):
        try:
            batch = apply_move(plan, actor=request.user)
        except MoveError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return redirect(back)
        said = _("%(articles)d articles now cite %(new)s. The move can be undone from “Moved links”.")
        self.message_user(request, said % {"articles": batch.article_count, "new": batch.new}, messages.SUCCESS)
        return redirect(reverse("admin:attribution_movebatch_change", args=[batch.pk]))

    def _preview(self, request, plan, *, title, form):
        context = {**self.admin_site.each_context(request), "title": title, "plan": plan, "form": form}
        context["opts"] = self.model._meta
        return TemplateResponse(request, "admin/attribution/moves/preview.html", context)


@admin.register(MoveBatch)
class MoveBatchAdmin(RecordAdmin):
    list_display = ["__str__", "kind", "article_count", "created_by", "created_at", "undone_at"]
    list_filter = ["kind"]
    search_fields = ["old", "new"]
    readonly_fields = ["kind", "old", "new", "created_by", "created_at", "undone_at", "undone_by"]
    fields = readonly_fields
    change_form_template = "admin/attribution/moves/change_form.html"

    def get_urls(self):
        undo = path(
            "<path:object_id>/undo/",
            self.admin_site.admin_view(require_POST(self.undo_view)),
            name="attribution_movebatch_undo",
        )
        return [undo] + super().get_urls()

    def undo_view(self, request, object_id):
        if not may_write(request.user, MOVE_PERMISSIONS):
            raise PermissionDenied
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404(_("No such move."))
        try:
            count = undo_move(batch, actor=request.user)
            self.message_user(request, _("Undone: %(count)d articles cite the old address again.") % {"count": count})
        except MoveError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return redirect(reverse("admin:attribution_movebatch_change", args=[batch.pk]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "may_undo": may_write(request.user, MOVE_PERMISSIONS)}
        return super().change_view(request, object_id, form_url, extra_context)
