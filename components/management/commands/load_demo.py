from django.core.management.base import BaseCommand

from components.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo catalogue: Dutch organisations, components, releases, usages and a "
        "UPL sample. Safe to run again; prints the number of rows per model afterwards."
    )

    def handle(self, *args, **options):
        counts = load_demo(stdout=self.stdout if options["verbosity"] >= 2 else None)
        for model, count in counts.items():
            self.stdout.write(f"{model}: {count}")
