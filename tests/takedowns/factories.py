"""Factories for requests, one per meaningful state."""

import factory

from takedowns.models import TakedownRequest
from tests.attribution.factories import ArticleFactory

Status = TakedownRequest.Status


class TakedownRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TakedownRequest
        skip_postgeneration_save = True

    request_type = TakedownRequest.RequestType.ATTRIBUTION
    relationship = TakedownRequest.Relationship.RIGHTS_HOLDER
    organisation = "Harbour Gazette"
    requester_name = "Rita Rights"
    requester_email = factory.Sequence(lambda n: f"rita{n}@harbourgazette.example")
    requester_country = "Ireland"
    remedy = TakedownRequest.Remedy.FIX_ATTRIBUTION
    original_work_url = "https://harbourgazette.example/cranes"
    statement_good_faith = True
    statement_accuracy = True
    signature = "Rita Rights"
    status = Status.PENDING_VERIFICATION
    ip_hash = "0" * 64

    class Params:
        submitted = factory.Trait(status=Status.SUBMITTED)
        in_review = factory.Trait(status=Status.IN_REVIEW)
        withdrawn = factory.Trait(status=Status.WITHDRAWN)

    @factory.post_generation
    def articles(self, create, extracted, **kwargs):
        if not create:
            return
        for article in extracted or [ArticleFactory()]:
            self.articles.add(article)


def form_data(article, **overrides) -> dict:
    """A valid attribution request for ``article`` as the browser posts it; overrides replace or (None) drop fields."""
    data = {
        "request_type": "attribution",
        "articles": article.slug,
        "original_work_url": "https://harbourgazette.example/cranes",
        "relationship": "rights_holder",
        "organisation": "Harbour Gazette",
        "requester_name": "Rita Rights",
        "requester_email": "rita@harbourgazette.example",
        "requester_country": "Ireland",
        "remedy": "fix_attribution",
        "details": "Our reporter's story was rewritten without credit.",
        "statement_good_faith": "on",
        "statement_accuracy": "on",
        "signature": "Rita Rights",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


def copyright_data(article, **overrides) -> dict:
    copyright_fields = {
        "request_type": "copyright",
        "remedy": "remove_article",
        "original_work_description": "Our photo essay on the harbour cranes.",
        "statement_perjury": "on",
        "requester_phone": "+353 1 555 0100",
    }
    return form_data(article, **{**copyright_fields, **overrides})
