"""REST API for requests.

``POST /api/requests/`` is public and goes through exactly what the web form
does (RequestForm's rules, the same rate limits, the same confirmation email).
Reading is for users holding the ``takedowns.view_takedownrequest``
permission (the editorial groups); anyone else, staff included, sees nothing.
"""

import django_filters
from django.conf import settings
from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from attribution.lib.permissions import require_model_permission
from attribution.models import Citation
from takedowns import abuse
from takedowns.forms import MAX_ARTICLES, RequestForm, slug_from_reference
from takedowns.mail import status_url
from takedowns.models import (
    MAX_ADDRESS,
    MAX_COUNTRY,
    MAX_EMAIL,
    MAX_LONG_TEXT,
    MAX_NAME,
    MAX_PHONE,
    MAX_SHORT_TEXT,
    MAX_URL,
    Attachment,
    RequestCitation,
    TakedownRequest,
)
from takedowns.workflow.requester import submit_request

TR = TakedownRequest


class CanReadRequests(require_model_permission("takedowns.view_takedownrequest")):
    """Anyone may create; only holders of the model's view permission may list or read."""

    def has_permission(self, request, view):
        return view.action == "create" or super().has_permission(request, view)


class CitedSourceSerializer(serializers.Serializer):
    article = serializers.CharField(max_length=300, help_text=_("The article's address or slug."))
    position = serializers.IntegerField(min_value=1, max_value=10_000)


class RequestCreateSerializer(serializers.Serializer):
    """A new request. Field names, limits and rules are those of the web form."""

    request_type = serializers.ChoiceField(choices=TR.RequestType.choices)
    articles = serializers.ListField(
        child=serializers.CharField(max_length=300),
        min_length=1,
        max_length=MAX_ARTICLES,
        help_text=_("Our articles, by address or slug."),
    )
    cited_sources = CitedSourceSerializer(
        many=True,
        required=False,
        max_length=100,
        help_text=_("Optional: the specific sources, by article and position in its source list (1 for “1/”)."),
    )
    original_work_url = serializers.CharField(max_length=MAX_URL, required=False, allow_blank=True)
    original_work_description = serializers.CharField(max_length=MAX_SHORT_TEXT, required=False, allow_blank=True)
    relationship = serializers.ChoiceField(choices=TR.Relationship.choices)
    organisation = serializers.CharField(max_length=MAX_NAME, required=False, allow_blank=True)
    acting_for = serializers.CharField(max_length=MAX_NAME, required=False, allow_blank=True)
    requester_name = serializers.CharField(max_length=MAX_NAME)
    requester_email = serializers.CharField(max_length=MAX_EMAIL)
    requester_country = serializers.CharField(max_length=MAX_COUNTRY)
    requester_phone = serializers.CharField(max_length=MAX_PHONE, required=False, allow_blank=True)
    requester_postal_address = serializers.CharField(max_length=MAX_ADDRESS, required=False, allow_blank=True)
    remedy = serializers.ChoiceField(choices=TR.Remedy.choices)
    passage = serializers.CharField(max_length=MAX_LONG_TEXT, required=False, allow_blank=True)
    proposed_text = serializers.CharField(max_length=MAX_LONG_TEXT, required=False, allow_blank=True)
    details = serializers.CharField(max_length=MAX_LONG_TEXT, required=False, allow_blank=True)
    statement_good_faith = serializers.BooleanField()
    statement_accuracy = serializers.BooleanField()
    statement_perjury = serializers.BooleanField(required=False, default=False)
    consent_to_publication = serializers.BooleanField(required=False, default=False)
    signature = serializers.CharField(max_length=MAX_NAME)

    # Form field names that differ from the API's.
    FORM_TO_API = {"__all__": "non_field_errors", "citations": "cited_sources"}

    def validate(self, attrs):
        attrs["citations"] = self._citation_ids(attrs.pop("cited_sources", []))
        form = RequestForm(data=self._as_form_data(attrs))
        if not form.is_valid():
            raise serializers.ValidationError(
                {self.FORM_TO_API.get(name, name): msgs for name, msgs in form.errors.items()}
            )
        self.form = form
        return attrs

    @staticmethod
    def _citation_ids(cited_sources) -> list[int]:
        ids, missing = [], []
        for item in cited_sources:
            slug = slug_from_reference(item["article"])
            citation = Citation.objects.filter(article__slug=slug, position=item["position"]).only("pk").first()
            if citation is None:
                missing.append(f"{item['article']} {item['position']}/")
            else:
                ids.append(citation.pk)
        if missing:
            raise serializers.ValidationError(
                {"cited_sources": [_("No such source: %(refs)s") % {"refs": ", ".join(missing)}]}
            )
        return ids

    @staticmethod
    def _as_form_data(attrs) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in attrs.items():
            if name == "articles":
                data[name] = "\n".join(value)
            elif name == "citations":
                data.setlist(name, [str(pk) for pk in value])
            elif isinstance(value, bool):
                if value:
                    data[name] = "on"
            else:
                data[name] = value
        return data


class RequestCreatedSerializer(serializers.Serializer):
    status = serializers.CharField()
    status_url = serializers.URLField(help_text=_("The private status page; the confirmation link goes by email."))
    detail = serializers.CharField()


class RequestCitationSerializer(serializers.ModelSerializer):
    article = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.CharField(source="source_url.url")

    class Meta:
        model = RequestCitation
        fields = ["article", "position", "text_as_written", "url"]


class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_by", "created_at", "download_url"]

    def get_download_url(self, attachment) -> str:
        from django.urls import reverse

        path = reverse("takedowns:attachment", kwargs={"pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class TakedownRequestSerializer(serializers.ModelSerializer):
    articles = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    cited_sources = RequestCitationSerializer(source="request_citations", many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    # Null until someone takes the request on.
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = TakedownRequest
        exclude = ["token", "confirmation_token", "ip_hash", "citations"]

    def get_status_url(self, takedown) -> str:
        return status_url(takedown)


class RequestFilter(django_filters.FilterSet):
    class Meta:
        model = TakedownRequest
        fields = ["status", "request_type", "outcome", "domain_match", "relationship"]


@extend_schema_view(
    create=extend_schema(
        request=RequestCreateSerializer,
        responses={
            201: RequestCreatedSerializer,
            400: OpenApiResponse(description=_("Validation errors keyed by field name.")),
            429: OpenApiResponse(description=_("Rate limit reached; see Retry-After.")),
        },
        auth=[],
    ),
)
class TakedownRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Removal and change requests. Anyone may file one; reading needs the view permission."""

    serializer_class = TakedownRequestSerializer
    permission_classes = [CanReadRequests]
    filterset_class = RequestFilter
    search_fields = ["requester_name", "requester_email", "organisation", "articles__slug"]
    ordering_fields = ["created_at", "submitted_at", "status"]
    queryset = TakedownRequest.objects.none()

    def get_queryset(self):
        return (
            TakedownRequest.objects.select_related("assignee")
            .prefetch_related("articles", "request_citations__source_url", "request_citations__article", "attachments")
            .order_by("-created_at", "-id")
        )

    def create(self, request, *args, **kwargs):
        ip_hash = abuse.hash_ip(abuse.client_ip(request))
        try:
            abuse.check_ip_limit(ip_hash)
            serializer = RequestCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            abuse.check_email_limit(serializer.form.cleaned_data["requester_email"])
        except abuse.RateLimited as limited:
            raise exceptions.Throttled(wait=limited.retry_after_seconds) from None
        takedown = submit_request(
            serializer.form.to_input(), ip_hash=ip_hash, language=get_language() or settings.LANGUAGE_CODE
        )
        body = {
            "status": takedown.status,
            "status_url": status_url(takedown),
            "detail": _(
                "We have emailed a confirmation link to the address given; the request reaches our editors once it is confirmed."
            ),
        }
        return Response(RequestCreatedSerializer(body).data, status=status.HTTP_201_CREATED)
