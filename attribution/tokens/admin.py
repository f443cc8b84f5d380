"""API tokens in the admin: made here (the token is shown once, on the page that answers the form), revoked
with an action, never edited or deleted (the record of who could act as whom stays).

Superusers see and make tokens for anyone; other holders of the token permissions only their own, so a
token never lets one editor act as another.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from attribution.tokens.models import DEFAULT_DAYS, MAX_DAYS, ApiToken
from attribution.tokens.services import issue_api_token, revoke_api_token


class ApiTokenAddForm(forms.ModelForm):
    days = forms.IntegerField(
        label=_("valid for (days)"),
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        help_text=_("From 1 to %(max)d days. Make a new token when it runs out.") % {"max": MAX_DAYS},
    )

    class Meta:
        model = ApiToken
        fields = ["owner", "name"]

    def clean_owner(self):
        owner = self.cleaned_data["owner"]
        if not owner.is_active:
            raise forms.ValidationError(_("%(user)s is not an active user.") % {"user": owner.get_username()})
        return owner


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return ApiToken.State.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == ApiToken.State.ACTIVE:
            return queryset.filter(revoked_at__isnull=True, expires_at__gt=now)
        if self.value() == ApiToken.State.EXPIRED:
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == ApiToken.State.REVOKED:
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "shown_prefix", "token_state", "created_at", "expires_at", "last_used_at"]
    list_filter = [StateFilter]
    list_select_related = ["owner"]
    search_fields = ["name", "prefix", "owner__username"]
    actions = ["revoke"]
    shown_fields = [
        "name",
        "owner",
        "shown_prefix",
        "token_state",
        "created_at",
        "created_by",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]

    def get_queryset(self, request):
        tokens = super().get_queryset(request)
        return tokens if request.user.is_superuser else tokens.filter(owner=request.user)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["owner", "name", "days"] if obj is None else self.shown_fields

    def get_readonly_fields(self, request, obj=None):
        # Nothing of a made token changes by hand: it is revoked (the action) and replaced.
        return [] if obj is None else self.shown_fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner":
            users = get_user_model().objects.filter(is_active=True)
            kwargs["queryset"] = users if request.user.is_superuser else users.filter(pk=request.user.pk)
            kwargs["initial"] = request.user.pk
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field of a made token is read-only
        data = form.cleaned_data
        record, token = issue_api_token(owner=data["owner"], name=data["name"], days=data["days"], actor=request.user)
        # The admin goes on with ``obj`` (history entry, response): make it the saved record.
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(record, field.attname))
        obj._state.adding = False
        request._new_api_token = token

    def response_add(self, request, obj, post_url_continue=None):
        """Show the token once, on this page only: it is not stored, not put in a message or a redirect."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("API token made"),
            "record": obj,
            "token": request._new_api_token,
        }
        response = TemplateResponse(request, "admin/attribution/apitoken/created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.display(description=_("token"))
    def shown_prefix(self, record):
        return record.shown_prefix

    @admin.display(description=_("state"))
    def token_state(self, record):
        return ApiToken.State(record.state()).label

    @admin.action(description=_("Revoke selected tokens"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = sum(revoke_api_token(record, actor=request.user) for record in queryset)
        done = ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
        self.message_user(request, done % {"count": revoked})
