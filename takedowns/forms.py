"""The public request form and the status-page forms. The API validates through RequestForm too."""

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from attribution.lib.hostile import guard_text_fields, unsafe_in_line
from attribution.models import Article, Citation
from takedowns import files
from takedowns.conditional import CHOICE_FIELDS, NEEDED_FOR, needed_note
from takedowns.models import (
    MAX_ADDRESS,
    MAX_COUNTRY,
    MAX_EMAIL,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_PHONE,
    MAX_SHORT_TEXT,
    MAX_URL,
    TakedownRequest,
)
from takedowns.workflow.requester import RequestInput

RequestType = TakedownRequest.RequestType
Remedy = TakedownRequest.Remedy
MAX_ARTICLES = 10
_PHONE = re.compile(r"^\+?[0-9 ().\-/]{6,40}$")
_ARTICLE_SEPARATORS = re.compile(r"[\s,]+")

GOOD_FAITH = _(
    "I have a good-faith belief that the use of the material described above is not authorised "
    "by the rights holder, its agent or the law, or that the article is inaccurate as described."
)
ACCURACY = _("The information in this request is accurate, and I am authorised to make it.")
PERJURY = _(
    "Copyright requests: I swear, under penalty of perjury, that the information in this notice is accurate "
    "and that I am the owner, or authorised to act on behalf of the owner, of an exclusive right that is "
    "allegedly infringed."
)
CONSENT = _("You may publish a redacted copy of this request (without my contact details) in the transparency report.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is judged by its content in ``files.inspect_uploads``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.txt"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        for upload in uploads:
            super().clean(upload, initial)
        return uploads


def slug_from_reference(text: str) -> str:
    """``https://site/articles/<slug>/`` or a bare slug → the slug."""
    if "/" not in text:
        return text
    try:
        path = urlsplit(text if "://" in text else "https://" + text).path
    except ValueError:  # "https://[x/…": a broken IPv6 host; no article of ours has that address
        return ""
    parts = [part for part in path.split("/") if part]
    if len(parts) >= 2 and parts[-2] == "articles":
        return parts[-1]
    return parts[-1] if parts else ""


def article_references(raw: str) -> list[str]:
    return [part for part in _ARTICLE_SEPARATORS.split(raw or "") if part]


class RequestForm(forms.Form):
    required_css_class = "cw-is-required"

    request_type = forms.ChoiceField(
        label=_("What is your request about?"), choices=RequestType.choices, widget=forms.RadioSelect
    )
    articles = forms.CharField(
        label=_("Article"),
        max_length=MAX_ARTICLES * 300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The article's address on this site, or its short name. One per line for several articles."),
    )
    citations = forms.TypedMultipleChoiceField(
        label=_("Which cited sources? (optional)"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    original_work_url = forms.URLField(
        label=_("Address of the original work (or the correct link)"),
        max_length=MAX_URL,
        required=False,
        assume_scheme="https",
    )
    original_work_description = forms.CharField(
        label=_("Description of the original work"),
        max_length=MAX_SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    relationship = forms.ChoiceField(
        label=_("Your relationship to the work or article"),
        choices=TakedownRequest.Relationship.choices,
        widget=forms.RadioSelect,
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=MAX_NAME, required=False)
    acting_for = forms.CharField(
        label=_("Acting for"),
        max_length=MAX_NAME,
        required=False,
        help_text=_("Required for agents: the person or organisation you represent."),
    )
    requester_name = forms.CharField(label=_("Your full name"), max_length=MAX_NAME)
    requester_email = forms.EmailField(
        label=_("Email"), max_length=MAX_EMAIL, help_text=_("We send a confirmation link here.")
    )
    requester_country = forms.CharField(label=_("Country"), max_length=MAX_COUNTRY)
    requester_phone = forms.CharField(label=_("Phone"), max_length=MAX_PHONE, required=False)
    requester_postal_address = forms.CharField(
        label=_("Postal address"), max_length=MAX_ADDRESS, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    remedy = forms.ChoiceField(
        label=_("What would you like us to do?"), choices=Remedy.choices, widget=forms.RadioSelect
    )
    passage = forms.CharField(
        label=_("The passage to change"),
        max_length=MAX_LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    proposed_text = forms.CharField(
        label=_("Your proposed text"),
        max_length=MAX_LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    details = forms.CharField(
        label=_("Explanation"),
        max_length=MAX_LONG_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is wrong and why. Required for factual, privacy and other requests."),
    )
    statement_good_faith = forms.BooleanField(label=GOOD_FAITH)
    statement_accuracy = forms.BooleanField(label=ACCURACY)
    statement_perjury = forms.BooleanField(label=PERJURY, required=False)
    consent_to_publication = forms.BooleanField(label=CONSENT, required=False)
    signature = forms.CharField(
        label=_("Signature"), max_length=MAX_NAME, help_text=_("Type your full name, exactly as above, to sign.")
    )
    attachments = MultipleFileField(
        label=_("Supporting files (optional)"),
        required=False,
        help_text=_("Up to 5 files of 10 MB each: PDF, PNG, JPEG or plain text."),
    )
    # Honeypot: hidden from people by CSS, filled in by naive bots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self.fields["citations"].choices = self._citation_choices()
        self._mark_conditional_fields()

    def _mark_conditional_fields(self):
        """Data attributes for the script, and aria-required on what the choices made so far need."""
        chosen = self.data if self.is_bound else self.initial
        for name, rule in NEEDED_FOR.items():
            attrs = self.fields[name].widget.attrs
            for key in CHOICE_FIELDS:
                if key in rule:
                    attrs[f"data-cw-{key}"] = " ".join(rule[key])
            for flag in ("either", "always"):
                if rule.get(flag):
                    attrs[f"data-cw-{flag}"] = "true"
            self.fields[name].needed_note = needed_note(name)
            needed = any(chosen.get(field) in rule.get(key, []) for key, field in CHOICE_FIELDS.items())
            if needed and not rule.get("either"):
                attrs["aria-required"] = "true"
        for field in self.fields.values():
            # Radio buttons carry `required` (from Django); aria-required belongs on single controls.
            if field.required and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-required"] = "true"

    def error_count(self) -> int:
        return sum(len(errors) for errors in self.errors.values())

    @classmethod
    def keeping(cls, data) -> "RequestForm":
        """An unbound form showing what was posted (every value of multi-valued fields), with no errors."""
        initial = {key: data.getlist(key) if key == "citations" else data.get(key) for key in data}
        initial.pop("website", None)
        return cls(initial=initial)

    def unknown_references(self) -> list[str]:
        """What was typed in "Article" that names none of our published articles (for "Show the sources")."""
        references = article_references(self._raw_articles())[:MAX_ARTICLES]
        slugs = {ref: slug_from_reference(ref) for ref in references}
        safe = {slug for slug in slugs.values() if slug and not unsafe_in_line(slug)}
        known = set(Article.objects.published().filter(slug__in=safe).values_list("slug", flat=True))
        return [ref for ref, slug in slugs.items() if slug not in known]

    def _raw_articles(self) -> str:
        if self.is_bound:
            return self.data.get("articles", "")
        return str(self.initial.get("articles", ""))

    def _citation_choices(self) -> list[tuple[int, str]]:
        # Sources of the articles named so far, so the list works without JavaScript. This runs before
        # validation, on whatever was typed: a reference no slug can hold (NUL…) must not reach the query.
        references = article_references(self._raw_articles())[:MAX_ARTICLES]
        slugs = [slug for slug in map(slug_from_reference, references) if not unsafe_in_line(slug)]
        citations = Citation.objects.filter(
            article__slug__in=slugs, article__status=Article.Status.PUBLISHED
        ).select_related("article", "source_url")
        many = len({c.article_id for c in citations}) > 1
        return [
            (
                c.pk,
                f"{c.article.headline}: {c.position}/ {c.text_as_written}"
                if many
                else f"{c.position}/ {c.text_as_written}",
            )
            for c in citations.order_by("article__slug", "position")
        ]

    def clean_requester_email(self):
        return self.cleaned_data["requester_email"].strip().lower()

    def clean_requester_phone(self):
        phone = self.cleaned_data["requester_phone"]
        if phone and not _PHONE.match(phone):
            raise ValidationError(_("Enter a phone number using digits, spaces, + ( ) - . or /."), code="phone")
        return phone

    def clean_articles(self):
        references = article_references(self.cleaned_data["articles"])
        if len(references) > MAX_ARTICLES:
            raise ValidationError(_("At most %(max)s articles per request.") % {"max": MAX_ARTICLES})
        slugs = {ref: slug_from_reference(ref) for ref in references}
        found = {a.slug: a for a in Article.objects.published().filter(slug__in=set(slugs.values()))}
        unknown = [ref for ref, slug in slugs.items() if slug not in found]
        if unknown:
            raise ValidationError(
                _("Not one of our published articles: %(refs)s") % {"refs": ", ".join(unknown)}, code="unknown_article"
            )
        if not found:
            raise ValidationError(_("Name at least one article."), code="required")
        return list(dict.fromkeys(found[slug] for slug in slugs.values()))

    def clean_attachments(self):
        try:
            return files.inspect_uploads(self.cleaned_data["attachments"])
        except ValidationError as exc:
            raise ValidationError(exc.error_list) from None

    def clean(self):
        data = super().clean()
        self._require_by_type(data)
        self._require_by_remedy(data)
        if data.get("relationship") == TakedownRequest.Relationship.AUTHORISED_AGENT and not data.get("acting_for"):
            self.add_error("acting_for", _("Agents must say whom they act for."))
        name, signature = data.get("requester_name"), data.get("signature")
        if name and signature and " ".join(signature.split()).casefold() != " ".join(name.split()).casefold():
            self.add_error("signature", _("Type your full name exactly as you gave it above."))
        if "articles" in data and "citations" in data:
            data["citations"] = self._citations_of(data["articles"], data["citations"])
        return data

    def _citations_of(self, articles, citation_ids) -> list[Citation]:
        citations = list(Citation.objects.filter(pk__in=citation_ids, article__in=articles).order_by("pk"))
        if len(citations) != len(set(citation_ids)):
            self.add_error("citations", _("Pick sources from the articles named above."))
        return citations

    def _require_by_type(self, data):
        request_type = data.get("request_type")
        if request_type == RequestType.COPYRIGHT:
            if not data.get("statement_perjury"):
                self.add_error("statement_perjury", _("Copyright requests must make this statement."))
            if not data.get("requester_phone") and not data.get("requester_postal_address"):
                self.add_error("requester_phone", _("Copyright requests need a phone number or a postal address."))
            if not data.get("original_work_description"):
                self.add_error("original_work_description", _("Describe the work whose copyright you hold."))
        if request_type in (RequestType.COPYRIGHT, RequestType.ATTRIBUTION) and not data.get("original_work_url"):
            self.add_error("original_work_url", _("Give the address of the original work."))
        if request_type in (RequestType.FACTUAL_CORRECTION, RequestType.PRIVACY, RequestType.OTHER):
            if not data.get("details"):
                self.add_error("details", _("Explain what is wrong and why."))

    def _require_by_remedy(self, data):
        remedy = data.get("remedy")
        if remedy == Remedy.CHANGE_PASSAGE:
            for name, message in (
                ("passage", _("Copy the passage you want changed.")),
                ("proposed_text", _("Give the text you propose instead.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        if remedy == Remedy.UPDATE_LINK and not data.get("original_work_url"):
            self.add_error("original_work_url", _("Give the correct link."))

    def statements_text(self) -> str:
        agreed = [GOOD_FAITH, ACCURACY]
        if self.cleaned_data.get("statement_perjury"):
            agreed.append(PERJURY)
        if self.cleaned_data.get("consent_to_publication"):
            agreed.append(CONSENT)
        return "\n".join(str(statement) for statement in agreed)

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def to_input(self) -> RequestInput:
        data = self.cleaned_data
        model_fields = {f.name for f in TakedownRequest._meta.get_fields()}
        skip = {"articles", "citations", "attachments"}
        fields = {name: value for name, value in data.items() if name in model_fields and name not in skip}
        fields["statements_text"] = self.statements_text()
        if data.get("request_type") != RequestType.COPYRIGHT:
            fields["statement_perjury"] = bool(data.get("statement_perjury"))
        return RequestInput(
            fields=fields, articles=data["articles"], citations=data["citations"], files=data["attachments"]
        )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MAX_SHORT_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(
        label=_("Add files (optional)"),
        required=False,
        help_text=_("PDF, PNG, JPEG or plain text, 10 MB each."),
    )

    def __init__(self, *args, already_attached: int = 0, **kwargs):
        self.already_attached = already_attached
        super().__init__(*args, **kwargs)
        guard_text_fields(self)

    def clean_attachments(self):
        try:
            return files.inspect_uploads(self.cleaned_data["attachments"], already_attached=self.already_attached)
        except ValidationError as exc:
            raise ValidationError(exc.error_list) from None

    def clean(self):
        data = super().clean()
        if not data.get("body") and not data.get("attachments") and not self.errors:
            raise ValidationError(_("Write a message or add a file."), code="empty")
        return data


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        max_length=MAX_SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(label=_("Yes, withdraw this request"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_text_fields(self)
