from django.core.management.base import BaseCommand

from assessments.reviews import summary


class Command(BaseCommand):
    help = "Rebuild the supervisor dashboard's summary of reviews (after a bulk import, say)."

    def handle(self, *args, **options):
        rows = summary.rebuild()
        self.stdout.write(f"{rows} summary rows")
