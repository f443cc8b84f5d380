"""The editors' and legal team's daily tool: the request queue and the request page.

Every field is read-only: status only moves through the workflow services,
reached from the buttons on the request page (``transition_view``), the bulk
actions and the staff API alike. Requester text is only ever shown through
Django's escaping (templates, format_html), never marked safe. Staff outside
Editors and Legal see nothing (no view permission); contact details and
attachments are shown only to those holding the triage permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from attribution.lib.when import when
from attribution.models import Article
from takedowns.admin.filters import AssignedFilter, OverdueFilter, PublisherFilter, StatusFilter
from takedowns.admin.page import request_page_context
from takedowns.models import RequestArticle, TakedownRequest
from takedowns.workflow.actions.apply import RemovalNotConfirmed
from takedowns.workflow.actions.reply import reply_to_requester
from takedowns.workflow.actions.spam import mark_spam
from takedowns.workflow.actions.take import take_request
from takedowns.workflow.graph import STAFF_ACTIONS, can_triage
from takedowns.workflow.registry import run_action
from takedowns.workflow.sla import next_due
from takedowns.workflow.transition import IllegalTransition

Status = TakedownRequest.Status
# Characters of an article headline shown in the queue.
HEADLINE_SHOWN_CHARS = 50
CONTACT_FIELDS = [
    "requester_name",
    "requester_email",
    "requester_country",
    "requester_phone",
    "requester_postal_address",
    "acting_for",
    "signature",
]


def error_text(exc) -> str:
    """The reason a refused action gives, for a message to the editor."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict"):
            return " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(getattr(exc, "message", exc))


@admin.register(TakedownRequest)
class TakedownRequestAdmin(admin.ModelAdmin):
    change_form_template = "admin/takedowns/takedownrequest/change_form.html"
    list_display = [
        "number",
        "status",
        "request_type",
        "article",
        "organisation",
        "domain_match",
        "assignee",
        "due",
        "age",
    ]
    list_filter = [StatusFilter, "request_type", OverdueFilter, AssignedFilter, PublisherFilter]
    # Request fields here; articles are searched in get_search_results without a DISTINCT over the queue.
    search_fields = ["=id", "requester_name", "requester_email", "organisation", "=token"]
    search_help_text = _("Number, requester name or email, organisation, article headline or slug, or status token.")
    list_select_related = ["assignee"]
    list_per_page = 50
    # Newest first by primary key: the same order as created_at, but read straight off the pk index.
    ordering = ["-id"]
    show_full_result_count = False
    actions = ["assign_to_me", "mark_as_spam"]
    # get_absolute_url is the requester's private status page; staff act from here, not as the requester.
    view_on_site = False

    # --- permissions --------------------------------------------------------------
    def has_add_permission(self, request):
        return False  # requests come from the public form and API only

    def has_change_permission(self, request, obj=None):
        return False  # read-only page: changes go through the workflow buttons

    def has_delete_permission(self, request, obj=None):
        # The request and its audit trail are a legal record; the retention purge anonymises instead.
        return False

    def has_triage_permission(self, request):
        return can_triage(request.user)

    # --- the queue ----------------------------------------------------------------
    def get_queryset(self, request):
        first_headline = (
            RequestArticle.objects.filter(request=OuterRef("pk")).order_by("id").values("article__headline")[:1]
        )
        return super().get_queryset(request).annotate(first_article=Subquery(first_headline))

    def get_search_results(self, request, queryset, search_term):
        """Request fields as declared, or an article's headline or slug (one subquery, no DISTINCT)."""
        found, _duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if not term:
            return found, False
        articles = Article.objects.filter(Q(headline__icontains=term) | Q(slug__icontains=term)).values("pk")
        about = RequestArticle.objects.filter(article__in=articles).values("request_id")
        return found | queryset.filter(pk__in=about), False

    @admin.display(description="#", ordering="id")
    def number(self, takedown):
        return f"#{takedown.pk}"

    @admin.display(description=_("article"))
    def article(self, takedown):
        # Shortened so the queue fits a laptop screen; the full headline is on hover and on the request page.
        headline = getattr(takedown, "first_article", None)
        if not headline:
            return "—"
        return format_html('<span title="{}">{}</span>', headline, Truncator(headline).chars(HEADLINE_SHOWN_CHARS))

    @admin.display(description=_("due"))
    def due(self, takedown):
        due_at = next_due(takedown)
        if due_at is None:
            return "—"
        if due_at < timezone.now():
            return format_html('<strong class="cw-overdue">{} ⚠ {}</strong>', when(due_at), _("overdue"))
        return when(due_at)

    @admin.display(description=_("age"), ordering="created_at")
    def age(self, takedown):
        return when(takedown.created_at)

    # --- bulk actions -------------------------------------------------------------
    def _bulk(self, request, queryset, call, done_message, label):
        """Run ``call`` on each request; ``done_message(count)`` is the plural-aware success text.

        Each request done gets an admin log entry named ``label`` (the "Recent actions" box).
        """
        done, refused = 0, []
        for takedown in queryset:
            try:
                call(takedown)
                done += 1
            except (IllegalTransition, PermissionDenied, ValidationError) as exc:
                refused.append(f"#{takedown.pk}: {error_text(exc)}")
            else:
                self.log_change(request, takedown, str(label))
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        if refused:
            self.message_user(request, " ".join(refused), messages.WARNING)

    @admin.action(permissions=["triage"], description=_("Assign to me"))
    def assign_to_me(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda t: take_request(t, actor=request.user),
            lambda n: (
                ngettext("%(count)d request assigned to you.", "%(count)d requests assigned to you.", n) % {"count": n}
            ),
            _("Assigned to me"),
        )

    @admin.action(permissions=["triage"], description=_("Mark as spam"))
    def mark_as_spam(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda t: mark_spam(t, actor=request.user),
            lambda n: (
                ngettext("%(count)d request marked as spam.", "%(count)d requests marked as spam.", n) % {"count": n}
            ),
            _("Marked as spam"),
        )

    # --- the request page ---------------------------------------------------------
    def get_fieldsets(self, request, obj=None):
        request_fields = [
            "number",
            "status",
            "outcome",
            "rejection_reason",
            "duplicate_of",
            "request_type",
            "remedy",
            "relationship",
            "organisation",
            "domain_match",
            "domain_match_host",
            "assignee",
            "language",
        ]
        text_fields = ["passage", "proposed_text", "original_work_url", "original_work_description", "details"]
        declarations = ["statement_good_faith", "statement_accuracy", "statement_perjury", "consent_to_publication"]
        dates = ["created_at", "submitted_at", "first_response_due_at", "first_response_at", "decision_due_at"]
        dates += ["decided_at", "closed_at", "purged_at"]
        fieldsets = [
            (None, {"fields": request_fields}),
            (_("What they ask"), {"fields": text_fields}),
            (_("Declarations"), {"fields": declarations + ["statements_text"], "classes": ["collapse"]}),
            (_("Dates"), {"fields": dates}),
        ]
        if self.has_triage_permission(request):
            fieldsets.insert(1, (_("Requester (contact details)"), {"fields": CONTACT_FIELDS}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        takedown = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if takedown is not None and self.has_view_permission(request, takedown):
            extra_context.update(request_page_context(request, takedown))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        own = [
            path(
                "<int:pk>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="takedowns_takedownrequest_transition",
            ),
            path(
                "<int:pk>/reply/", self.admin_site.admin_view(self.reply_view), name="takedowns_takedownrequest_reply"
            ),
        ]
        return own + super().get_urls()

    def _page(self, takedown):
        return redirect(reverse("admin:takedowns_takedownrequest_change", args=[takedown.pk]))

    def _guarded(self, request, pk, call, success):
        if not self.has_view_permission(request):
            raise PermissionDenied
        takedown = get_object_or_404(TakedownRequest, pk=pk)
        try:
            call(takedown)
        except RemovalNotConfirmed as unconfirmed:
            return self._confirm_removal(request, takedown, unconfirmed.article)
        except (IllegalTransition, PermissionDenied, ValidationError) as exc:
            self.message_user(request, error_text(exc), messages.ERROR)
        else:
            # Also in the admin's "Recent actions" box (the audit trail on the request page stays the record).
            self.log_change(request, takedown, str(success))
            self.message_user(request, success, messages.SUCCESS)
        return self._page(takedown)

    def _confirm_removal(self, request, takedown, article):
        """The second step of a removal: a page naming the article, re-posting the same fields with the confirmation."""
        fields = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in ("csrfmiddlewaretoken", "confirm_removal")
            for value in values
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Remove “%(headline)s”?") % {"headline": article.headline},
            "takedown": takedown,
            "article": article,
            "fields": fields,
        }
        return TemplateResponse(request, "admin/takedowns/takedownrequest/confirm_removal.html", context)

    def transition_view(self, request, pk):
        return require_POST(self._transition)(request, pk)

    def _transition(self, request, pk):
        # The posted form goes through run_action's validation, the same limits as the API's.
        action = request.POST.get("action", "")
        label = STAFF_ACTIONS[action].label if action in STAFF_ACTIONS else action
        return self._guarded(
            request,
            pk,
            lambda t: run_action(t, actor=request.user, data=request.POST),
            _("Done: %(action)s.") % {"action": label},
        )

    def reply_view(self, request, pk):
        return require_POST(self._reply)(request, pk)

    def _reply(self, request, pk):
        return self._guarded(
            request,
            pk,
            lambda t: reply_to_requester(t, actor=request.user, body=request.POST.get("body", "")),
            _("Your message was sent to the requester."),
        )
