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
