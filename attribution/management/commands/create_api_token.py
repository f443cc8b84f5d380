"""Make an API token for a user, for operators: ``manage.py create_api_token edna --name "CMS import" --days 30``.

The token goes alone on standard output (``TOKEN=$(manage.py create_api_token …)`` works); what it is and
that it will not be shown again go to standard error. Only its digest is stored.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from attribution.tokens.models import DEFAULT_DAYS, MAX_DAYS
from attribution.tokens.services import issue_api_token


class Command(BaseCommand):
    help = "Make an API token for a user and print it (once; only its digest is kept)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="The token acts as this user, with this user's permissions.")
        parser.add_argument("--name", required=True, help="What the token is for, e.g. 'nightly CMS import'.")
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"Days until it expires, 1 to {MAX_DAYS} (default {DEFAULT_DAYS}).",
        )

    def handle(self, *args, **options):
        User = get_user_model()
        try:
            owner = User.objects.get_by_natural_key(options["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {options['username']!r}.") from None
        try:
            record, token = issue_api_token(owner=owner, name=options["name"], days=options["days"], actor=None)
        except ValidationError as invalid:
            # Name each problem by the argument that carries it.
            arguments = {"owner": "username", "name": "--name", "days": "--days"}
            problems = (
                f"{arguments.get(field, field)}: {' '.join(msgs)}" for field, msgs in invalid.message_dict.items()
            )
            raise CommandError(" ".join(problems)) from None
        expires = timezone.localtime(record.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stderr.write(
            f"API token {record.shown_prefix} “{record.name}” for {owner.get_username()}, valid until {expires}.\n"
            "Copy it now: it is not shown again. Send it as 'Authorization: Bearer <token>'."
        )
        self.stdout.write(token)
