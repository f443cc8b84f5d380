"""REST API for articles and their sources.

Anyone can read published articles. Staff also see unpublished and removed
ones. Staff holding the article permissions (``attribution.add_article`` to
create, ``attribution.change_article`` to replace) write articles through the
same import service the command line uses, so the API cannot store what an
import would refuse.
"""

import django_filters
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import exceptions, filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from attribution import api_rows
from attribution.history.api import HistoryPageSerializer, article_history
from attribution.importing.api import held_response, identity_error, moved_response, refuse_duplicate
from attribution.importing.fields import MAX_CANONICAL_URL, MAX_EXTERNAL_ID, clean_identity, source_entry
from attribution.lib import api_sql
from attribution.lib.api_fields import UnicodeSlugField
from attribution.lib.api_filters import UsedFilterBackend
from attribution.lib.api_json import PlainJSONRenderer
from attribution.lib.permissions import AdminModelPermissions, may_write
from attribution.models import Article, Citation, Publisher, SourceURL
from attribution.overlap.api import ArticleOverlapSerializer, article_overlap
from attribution.parsing import MAX_HEADLINE, MAX_SLUG, MAX_SOURCES, ArticleInput, normalise_body, normalise_headline
from attribution.services import save_article


class PublisherSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publisher
        fields = ["name", "host"]


class CitationSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="source_url.url", help_text=_("Normalised URL."))
    source_id = serializers.IntegerField(source="source_url_id")
    publisher = PublisherSerializer(source="source_url.publisher", allow_null=True)
    quality_flags = serializers.ListField(child=serializers.CharField())
    link_status = serializers.ChoiceField(
        source="source_url.shown_status",
        choices=SourceURL.Status.choices,
        read_only=True,
        help_text=_("Link-check status of the source, after any editor's override."),
    )
    archive_url = serializers.CharField(
        source="source_url.archive_url", read_only=True, help_text=_("An archived copy, when one is known.")
    )

    class Meta:
        model = Citation
        fields = list(api_rows.CITATION_FIELDS)  # one list: the plain-row builder writes the same fields


class ArticleSerializer(serializers.ModelSerializer):
    slug = UnicodeSlugField(read_only=True)
    sources = CitationSerializer(source="citations", many=True)
    quality_flags = serializers.ListField(child=serializers.CharField())
    url = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = list(api_rows.ARTICLE_FIELDS)  # one list: the plain-row builder writes the same fields

    def get_url(self, article) -> str:
        request = self.context.get("request")
        path = article.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ArticleWriteSerializer(serializers.Serializer):
    """What staff send to create or update an article; sources are URLs as cited, in order."""

    headline = serializers.CharField(max_length=MAX_HEADLINE)
    published_on = serializers.DateField(input_formats=["%Y-%m-%d"])
    body = serializers.CharField(allow_blank=True, max_length=200_000)
    sources = serializers.ListField(
        child=serializers.CharField(max_length=4000), max_length=MAX_SOURCES, allow_empty=True, default=list
    )
    slug = UnicodeSlugField(max_length=MAX_SLUG, required=False)
    external_id = serializers.CharField(
        max_length=MAX_EXTERNAL_ID, required=False, allow_blank=True, help_text=_("CMS post id or feed GUID.")
    )
    canonical_url = serializers.CharField(max_length=MAX_CANONICAL_URL, required=False, allow_blank=True)

    def validate(self, attrs):
        try:
            attrs["external_id"], attrs["canonical_url"] = clean_identity(
                attrs.get("external_id", ""), attrs.get("canonical_url", "")
            )
        except ValueError as exc:
            raise serializers.ValidationError({"canonical_url": [str(exc)]}) from None
        return attrs

    def validate_headline(self, value):
        value = normalise_headline(value)
        if not value:
            raise serializers.ValidationError(_("The headline cannot be blank."))
        return value

    def to_article_input(self, slug: str) -> ArticleInput:
        data = self.validated_data
        return ArticleInput(
            headline=data["headline"],
            published_on=data["published_on"],
            body=normalise_body(data["body"].replace("\r\n", "\n")),
            sources=tuple(source_entry(s) for s in data["sources"] if s.strip()),
            slug=slug,
            origin="api",
            external_id=data["external_id"],
            canonical_url=data["canonical_url"],
        )


class ArticleFilter(django_filters.FilterSet):
    published_after = django_filters.DateFilter(field_name="published_on", lookup_expr="gte")
    published_before = django_filters.DateFilter(field_name="published_on", lookup_expr="lte")
    host = django_filters.CharFilter(method="filter_host", help_text=_("Cites a source on this host."))
    publisher = django_filters.CharFilter(method="filter_publisher", help_text=_("Cites this publisher (by host)."))
    quality = django_filters.ChoiceFilter(
        method="filter_quality",
        choices=[
            ("any", "any"),
            ("no_sources", "no_sources"),
            ("homepage", "homepage"),
            ("duplicate", "duplicate"),
            ("invalid", "invalid"),
        ],
        help_text=_("Articles with this attribution problem."),
    )
    status = django_filters.ChoiceFilter(choices=Article.Status.choices)

    class Meta:
        model = Article
        fields = ["status"]

    QUALITY_FIELDS = {
        "no_sources": "has_no_sources",
        "homepage": "has_homepage_source",
        "duplicate": "has_duplicate_source",
        "invalid": "has_invalid_source",
    }

    def filter_host(self, queryset, name, value):
        ids = Citation.objects.filter(source_url__host=value.strip().lower()).values("article_id")
        return queryset.filter(pk__in=ids)

    def filter_publisher(self, queryset, name, value):
        ids = Citation.objects.filter(source_url__publisher__host=value.strip().lower()).values("article_id")
        return queryset.filter(pk__in=ids)

    def filter_quality(self, queryset, name, value):
        if value == "any":
            condition = Q()
            for field in self.QUALITY_FIELDS.values():
                condition |= Q(**{field: True})
            return queryset.filter(condition)
        return queryset.filter(**{self.QUALITY_FIELDS[value]: True})


@extend_schema_view(
    create=extend_schema(request=ArticleWriteSerializer, responses={201: ArticleSerializer}),
    update=extend_schema(request=ArticleWriteSerializer, responses={200: ArticleSerializer, 201: ArticleSerializer}),
)
class ArticleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Articles with their numbered sources. Writes need the admin's article permissions and go through the import service."""

    serializer_class = ArticleSerializer
    permission_classes = [AdminModelPermissions]
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    # The settings' backends, with django-filter's built only when a filter parameter is sent.
    filter_backends = [UsedFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_class = ArticleFilter
    search_fields = ["headline", "body"]
    ordering_fields = ["published_on", "updated_at", "headline"]
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        # List and detail read plain rows (attribution/api_rows.py): no model instances to prefetch.
        articles = Article.objects.all() if self._plain_rows() else Article.objects.with_sources()
        if not self.request.user.is_staff:
            articles = articles.published()
        return articles

    def _plain_rows(self) -> bool:
        return self.action in ("list", "retrieve") and api_rows.covers(self.get_serializer_class())

    def get_renderers(self):
        renderers = super().get_renderers()
        if not self._plain_rows():
            return renderers
        # Plain rows hold no floats: orjson writes DRF's bytes, 20 times faster (attribution/lib/api_json.py).
        return [PlainJSONRenderer() if type(renderer) is JSONRenderer else renderer for renderer in renderers]

    def list(self, request, *args, **kwargs):
        """Articles, newest first; filters, search and ordering as the parameters say."""
        if not self._plain_rows():
            return super().list(request, *args, **kwargs)
        articles = self.get_queryset()
        filtered = self.filter_queryset(articles)
        if filtered is articles and self.paginator is not None:
            # No filter, search or ordering: the same count and page statements for every staff member (or
            # every reader), compiled once per connection instead of on each request (attribution/lib/api_sql.py).
            key = ("api", "articles", self.request.user.is_staff)
            rows = api_sql.Sliced(key, lambda: articles.values(*api_rows.ARTICLE_COLUMNS), ordered=articles.ordered)
        else:
            rows = filtered.values(*api_rows.ARTICLE_COLUMNS)
        page = self.paginate_queryset(rows)
        data = api_rows.articles_data(rows if page is None else page, request)
        return Response(data) if page is None else self.get_paginated_response(data)

    @extend_schema(
        responses={
            200: ArticleSerializer,
            410: inline_serializer(
                "RemovedArticle",
                {
                    "slug": serializers.CharField(),
                    "status": serializers.ChoiceField(choices=[Article.Status.REMOVED]),
                    "removed_at": serializers.DateTimeField(),
                    "request": serializers.IntegerField(allow_null=True, help_text=_("The request it followed.")),
                    "detail": serializers.CharField(),
                },
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        """One article; a removed one answers 410 Gone with when and following which request, and no content."""
        removed = Article.objects.filter(slug=kwargs["slug"], status=Article.Status.REMOVED).first()
        if removed is None:
            try:
                if not self._plain_rows():
                    return super().retrieve(request, *args, **kwargs)
                return Response(api_rows.articles_data([api_rows.article_row(self.get_object())], request)[0])
            except Http404:
                # An address the article had before an import gave it a new slug: 301 to the new one.
                moved = moved_response(request, kwargs["slug"])
                if moved is None:
                    raise
                return moved
        notice = removed.removal_notice()
        body = {
            "slug": removed.slug,
            "status": removed.status,
            "removed_at": notice["removed_at"],
            "request": notice["request_id"],
            "detail": _("This article was removed following a request."),
        }
        return Response(body, status=status.HTTP_410_GONE)

    def create(self, request, *args, **kwargs):
        write = ArticleWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        data = write.to_article_input(write.validated_data.get("slug", ""))
        duplicate = refuse_duplicate(data)
        if duplicate is not None:
            return duplicate
        try:
            article, _outcome = save_article(data, actor=request.user)
        except ValueError as exc:
            return identity_error(exc)
        return Response(self._read(article), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        """Replace an article and its source list (create it if the slug is new)."""
        slug = kwargs["slug"]
        existing = Article.objects.filter(slug=slug).only("status").first()
        if existing is None and not may_write(request.user, ["attribution.add_article"]):
            # A PUT to a new slug creates an article: the same permission as POST.
            raise exceptions.PermissionDenied(
                _("There is no article %(slug)s; creating one needs the attribution.add_article permission.")
                % {"slug": slug}
            )
        write = ArticleWriteSerializer(data=request.data)
        write.is_valid(raise_exception=True)
        if existing is None:
            # The address names the new article's slug: the rules a slug sent in the body must meet.
            self._check_new_slug(write, slug)
        if existing and existing.status == Article.Status.REMOVED:
            return Response(
                {
                    "detail": _(
                        "This article was removed following a request; reinstate it through the request workflow."
                    )
                },
                status=status.HTTP_409_CONFLICT,
            )
        if existing is None and (moved := moved_response(request, slug, method="PUT")) is not None:
            return moved
        try:
            article, outcome = save_article(write.to_article_input(slug), actor=request.user)
        except ValueError as exc:
            return identity_error(exc)
        if outcome == "held":
            return held_response(article)
        return Response(
            self._read(article), status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        )

    @extend_schema(
        responses={200: HistoryPageSerializer},
        parameters=[OpenApiParameter("page", int, description="A page number within the paginated result set.")],
    )
    @action(detail=True, methods=["get"], permission_classes=[IsAdminUser], filter_backends=[])
    def history(self, request, slug=None):
        """Staff: every recorded change of the article, newest first: when, who, through what, each field before/after."""
        return article_history(self, slug)

    @extend_schema(responses={200: ArticleOverlapSerializer})
    @action(detail=True, methods=["get"], permission_classes=[IsAdminUser], filter_backends=[], pagination_class=None)
    def overlap(self, request, slug=None):
        """Staff: each cited source with how much of the article its snapshots contain (copy overlap)."""
        return article_overlap(slug)

    @staticmethod
    def _check_new_slug(write, slug):
        try:
            write.fields["slug"].run_validation(slug)
        except serializers.ValidationError as invalid:
            raise serializers.ValidationError({"slug": invalid.detail}) from None

    def _read(self, article):
        article = Article.objects.with_sources().get(pk=article.pk)
        return ArticleSerializer(article, context=self.get_serializer_context()).data
