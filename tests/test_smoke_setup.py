import pytest
from django.core.management import call_command

from attribution.models import Article


@pytest.mark.django_db
def test_setup_demo_imports_the_demo_articles_and_is_idempotent(capsys):
    call_command("setup_demo")
    first = Article.objects.count()
    call_command("setup_demo")
    assert first == 5
    assert Article.objects.count() == first
    assert "Admin login: admin" in capsys.readouterr().out
