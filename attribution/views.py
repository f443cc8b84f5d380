"""Public pages: the article list and each article with its numbered sources."""

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render

from attribution.models import Article, ArticleSlugRedirect

MAX_QUERY_LENGTH = 200


def article_list(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    articles = Article.objects.published().only("slug", "headline", "published_on", "body")
    if query:
        articles = articles.filter(Q(headline__icontains=query) | Q(body__icontains=query))
    page = Paginator(articles, settings.ATTRIBUTION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "attribution/article_list.html", {"page": page, "query": query})


def article_detail(request, slug):
    article = Article.objects.with_sources().filter(slug=slug).first()
    if article is None:
        # An address the article had before an import gave it a new slug answers 301 to the new one.
        moved = ArticleSlugRedirect.objects.filter(old_slug=slug).select_related("article").first()
        if moved is None:
            raise Http404
        return redirect(moved.article.get_absolute_url(), permanent=True)
    if article.status == Article.Status.REMOVED:
        notice = article.removal_notice()
        return render(request, "attribution/article_removed.html", {"article": article, **notice}, status=410)
    if article.status != Article.Status.PUBLISHED and not request.user.is_staff:
        # Unpublished articles are invisible to the public but previewable by staff.
        return render(request, "404.html", status=404)
    corrections = article.correction_notes.filter(retracted_at__isnull=True).order_by("created_at", "id")
    return render(request, "attribution/article_detail.html", {"article": article, "corrections": list(corrections)})
