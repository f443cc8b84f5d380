"""Load the demo articles and make sure an admin account exists. Safe to run again: it loses nothing."""

import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from attribution.models import Publisher

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PUBLISHERS = {
    "example-wire.com": "Example Wire",
    "example-harbour.org": "Example Harbour Authority",
    "news.example-council.gov": "Example City Council",
    "example-student-paper.net": "The Example Student",
    "example-agri-news.com": "Example Agri News",
    "example-rail.co.uk": "Example Rail",
}


class Command(BaseCommand):
    help = "Import the demo articles and create the demo admin account if it is missing."

    def handle(self, *args, **options):
        call_command("import_articles", str(DEMO_DIR), no_progress=True, stdout=self.stdout, stderr=self.stderr)
        for host, name in DEMO_PUBLISHERS.items():
            # Only rename auto-created publishers, never one an editor has named.
            Publisher.objects.filter(host=host, name=host).update(name=name)

        username = os.environ.get("DEMO_ADMIN_USER", "admin")
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "citewatch-demo")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            note = "(existing account; password unchanged)"
        else:
            User.objects.create_superuser(username, f"{username}@localhost", password)
            note = "(created)"
        self.stdout.write(
            self.style.SUCCESS(
                f"Admin login: {username} / {password} {note} (at /admin/ on the address serve prints next)"
            )
        )
