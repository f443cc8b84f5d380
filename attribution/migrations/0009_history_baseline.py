"""Give every article and publisher that exists before history began (and every source with an editor's
override) a first history row holding its state now, so its first recorded change has a "before"."""

from django.db import migrations
from django.utils import timezone

BASELINE = "state before the first recorded change"
CHUNK = 2000


def _copy(original, historical, now, extra=None):
    names = [
        f.attname
        for f in historical._meta.concrete_fields
        if not f.name.startswith("history_") and f.name != "sources" and hasattr(original, f.attname)
    ]
    return historical(
        history_date=now,
        history_type="+",
        history_via="baseline",
        history_change_reason=BASELINE,
        **{name: getattr(original, name) for name in names},
        **(extra or {}),
    )


def baseline(apps, schema_editor):
    now = timezone.now()
    Article, Citation = apps.get_model("attribution", "Article"), apps.get_model("attribution", "Citation")
    Publisher, SourceURL = apps.get_model("attribution", "Publisher"), apps.get_model("attribution", "SourceURL")
    for model, queryset in (
        (Publisher, Publisher.objects.all()),
        (SourceURL, SourceURL.objects.exclude(override="")),
        (Article, Article.objects.all()),
    ):
        historical = apps.get_model("attribution", "Historical" + model.__name__)
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            chunk = list(model.objects.filter(pk__in=ids[start : start + CHUNK]))
            sources = {}
            if model is Article:
                cited = Citation.objects.filter(article__in=chunk).order_by("article_id", "position")
                for article_id, text in cited.values_list("article_id", "text_as_written"):
                    sources.setdefault(article_id, []).append(text)
            historical.objects.bulk_create(
                [
                    _copy(obj, historical, now, {"sources": sources.get(obj.pk, [])} if model is Article else None)
                    for obj in chunk
                ]
            )


class Migration(migrations.Migration):
    dependencies = [("attribution", "0008_history")]

    operations = [migrations.RunPython(baseline, migrations.RunPython.noop)]
