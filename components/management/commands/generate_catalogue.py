import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from components.demo import generator
from components.models import Component


class Command(BaseCommand):
    help = "Fill PostgreSQL with a synthetic catalogue for benchmarks (deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--organisations", type=int, default=2000)
        parser.add_argument("--components", type=int, default=50000)
        parser.add_argument("--usages", type=int, default=500000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Empty the catalogue first (organisations, components, usages, tokens).",
        )

    def handle(self, *args, organisations, components, usages, seed, replace, **options):
        for name, value in (("organisations", organisations), ("components", components)):
            if value < 1:
                raise CommandError(f"--{name} must be at least 1")
        if usages < 0:
            raise CommandError("--usages must not be negative")
        if Component.objects.exists() and not replace:
            raise CommandError(
                "the database already has components; use --replace to start from empty"
            )
        bars = {}

        def progress(stage, done, total):
            bar = bars.get(stage)
            if bar is None:
                bar = bars[stage] = tqdm(
                    total=total, desc=f"{stage:>18}", unit=" rows", file=self.stderr._out
                )
            bar.update(done - bar.n)
            if done >= total:
                bar.close()

        started = time.monotonic()
        try:
            if replace:
                generator.wipe()
            counts = generator.generate(
                organisations, components, usages, seed=seed, progress=progress
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        seconds = time.monotonic() - started
        for name, value in counts.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(f"seconds: {seconds:.1f}")
