"""``manage.py screenshots [--out docs/screenshots]``: the README's screenshots, made from the demo in chromium.

It never touches the configured data: a throwaway database (same engine) is migrated, seeded with the
demo and requests in several states, served in-process on 127.0.0.1, photographed, then dropped.
"""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from takedowns.screenshots import server, shots
from takedowns.screenshots.seed import seed


class Command(BaseCommand):
    help = "Save PNG screenshots of the main public and admin pages, made from demo data in chromium."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"))

    def handle(self, *args, **options):
        if not (shutil.which(shots.CHROMIUM) or Path(shots.CHROMIUM).exists()):
            raise CommandError(f"chromium not found at {shots.CHROMIUM}: install Debian's chromium package.")
        out = Path(options["out"])
        with server.throwaway_database(), server.live_site() as base_url:
            demo = seed()
            saved = shots.take_all(base_url, out, demo, server.LOCAL["AXES_FAILURE_LIMIT"])
        for path in saved:
            self.stdout.write(f"{path} ({path.stat().st_size // 1024} KiB)")
        self.stdout.write(self.style.SUCCESS(f"{len(saved)} screenshots in {out}"))
