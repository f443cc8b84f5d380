"""Import articles from text files, directories of them, or JSON Lines exports.

    python manage.py import_articles drafts/ extra.txt
    python manage.py import_articles --format jsonl cms-export.jsonl
    python manage.py import_articles --json drafts/     # one JSON object on stdout, for scripts

One bad file or line never stops the others: it is reported with its file and
line, counted as failed, and the command exits non-zero at the end. On a
terminal a bar on stderr counts the articles saved; the summary line goes to
stdout, plain when the output is a file or a pipe.
"""

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attribution.history.context import recording
from attribution.importing.files import import_text_files, list_files, read_text
from attribution.management.progress import progress_bar, write_json
from attribution.parsing import ArticleInput, ParseError, parse_jsonl_record
from attribution.services import ImportSummary, import_articles
from config.apps import checks_without_web

SUFFIXES = {"text": {".txt", ".text"}, "jsonl": {".jsonl", ".ndjson"}}


class Command(BaseCommand):
    help = "Import articles (with their sources) from files or directories. Re-running is safe."
    # Not the checks of the web side (URLs, admin, templates): importing it costs ~0.6 s, unused here.
    requires_system_checks = checks_without_web()

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files, or directories searched recursively.")
        parser.add_argument("--format", choices=sorted(SUFFIXES), default="text", help="Input format (default: text).")
        parser.add_argument("--batch-size", type=int, default=None, help="Articles per database transaction.")
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")
        parser.add_argument("--json", action="store_true", help="Print one JSON object (counts, errors, notes).")

    def handle(self, *args, **options):
        fmt = options["format"]
        if options["batch_size"] is not None and options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        files, errors = self._collect_files(options["paths"], fmt)
        total = sum(_count_records(f) for f in files) if fmt == "jsonl" else len(files)
        batch_size = options["batch_size"] or settings.ATTRIBUTION_IMPORT_BATCH_SIZE
        with progress_bar(self.stderr, total=total, unit="article", show=not options["no_progress"]) as progress:
            # History rows name each article's file; anything else written is "command".
            with recording(via="command"):
                if fmt == "text":  # unchanged files are recognised by their bytes, unparsed (importing/files.py)
                    summary = import_text_files(files, errors, batch_size=batch_size, on_progress=progress.update)
                else:
                    records = self._records(files, errors, progress)
                    summary = import_articles(records, batch_size=batch_size, on_progress=progress.update)
        for message in errors:
            summary.fail(message)
        self._report(summary, as_json=options["json"])

    def _report(self, summary: ImportSummary, *, as_json: bool) -> None:
        """Errors on stderr; notes and one summary line (or the JSON object) on stdout; non-zero exit on failures."""
        for message in summary.errors:
            self.stderr.write(self.style.ERROR(f"error: {message}"))
        if as_json:
            write_json(self.stdout, _as_dict(summary))
        else:
            for message in summary.notes:
                self.stdout.write(f"note: {message}")
            if summary.notes_left_off:
                self.stdout.write(f"note: ... and {summary.notes_left_off} more")
        line = (
            f"{summary.created} created, {summary.updated} updated, {summary.unchanged} unchanged, "
            f"{summary.skipped} skipped (removed), {summary.failed} failed, "
            f"{summary.held} held for an editor (import conflicts)"
        )
        if summary.failed:
            raise CommandError(f"Import finished with errors: {line}", returncode=1)
        if not as_json:
            self.stdout.write(self.style.SUCCESS(f"Import finished: {line}"))

    def _collect_files(self, paths, fmt) -> tuple[list[str], list[str]]:
        files, errors = [], []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                found = list_files(str(path), SUFFIXES[fmt])
                if not found:
                    errors.append(f"{path}: no {' or '.join(sorted(SUFFIXES[fmt]))} files in this directory")
                files += found
            elif path.is_file():
                files.append(str(path))
            else:
                errors.append(f"{path}: no such file or directory")
        return files, errors

    def _records(self, files, errors: list[str], progress) -> Iterator[ArticleInput]:
        """Parse JSON Lines lazily, so memory stays flat however many files there are."""
        for path in files:
            text = read_text(path, errors)
            if text is None:
                progress.update(1)
                continue
            for number, raw in enumerate(text.splitlines(), start=1):
                if not raw.strip():
                    continue
                try:
                    yield parse_jsonl_record(raw, path, number)
                except ParseError as exc:
                    errors.append(str(exc))
                    progress.update(1)


def _as_dict(summary: ImportSummary) -> dict:
    counts = ("created", "updated", "unchanged", "skipped", "held", "failed", "total")
    return {
        **{name: getattr(summary, name) for name in counts},
        "errors": summary.errors,
        "notes": summary.notes,
        "notes_left_off": summary.notes_left_off,
    }


def _count_records(path: str) -> int:
    try:
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 0
