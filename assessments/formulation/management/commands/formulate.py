import json
import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.formulation.services import PreviewInputError, formulation_preview


class Command(BaseCommand):
    help = 'Formulate one answer set: reads {"answers": {...}} from PATH (or - for stdin), prints JSON.'

    def add_arguments(self, parser):
        parser.add_argument("path", help="a JSON file, or - for standard input")

    def handle(self, *args, path, **options):
        try:
            text = sys.stdin.read() if path == "-" else _read(path)
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", returncode=2
            )
        try:
            result = formulation_preview(payload)
        except PreviewInputError as exc:
            # One line, naming the item code: the first of possibly several errors.
            raise CommandError(exc.message.replace("\n", " "), returncode=2) from exc
        self.stdout.write(json.dumps(result, ensure_ascii=False))


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}", returncode=2) from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"malformed JSON: {path} is not UTF-8 text", returncode=2) from exc
