import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management.base import CommandError
from tqdm import tqdm

from audit.commands import AuditedCommand
from components import don, harvest


class Command(AuditedCommand):
    help = (
        "Import API descriptions in developer.overheid.nl's JSON format: a file, a "
        "directory of them (the file name is the API id), or the URL of one file. Each "
        "becomes an API component of its organisation (matched by OIN; created, "
        "unverified, when unknown). Importing the same again changes nothing. A broken "
        "file is refused with the key path of the problem; the exit status is then 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "sources",
            nargs="+",
            metavar="DIR_OR_FILE_OR_URL",
            help="A .json file, a directory of them, or an http(s) URL; several may be given.",
        )

    def handle(self, *args, sources, **options):
        paths, downloaded = [], []
        for source in sources:
            if urlsplit(source).scheme in ("http", "https"):
                found = self._download(source)
                downloaded += found
            else:
                path = Path(source)
                if not path.exists():
                    raise CommandError(f"{source}: no such file or directory")
                found = don.files_in(path)
                if not found:
                    raise CommandError(f"{source}: no .json files in it")
            paths += found
        try:
            with tqdm(
                total=len(paths), desc="import", unit=" files", file=self.stderr._out, leave=False
            ) as bar:
                results, refusals = don.import_paths(paths, progress=bar.update)
        finally:
            for path in downloaded:
                path.unlink(missing_ok=True)
        for result in results:
            self.stdout.write(f"{result.api_id}: {result.outcome} ({result.component.slug})")
            for warning in result.warnings:
                self.stderr.write(f"{result.api_id}: warning: {warning}")
        for refusal in refusals:
            self.stderr.write(f"{refusal.where}: refused: {refusal.reason}")
        self.stdout.write(don.summary(results, refusals))
        if refusals:
            raise CommandError(f"{len(refusals)} description(s) refused")

    def _download(self, url):
        """One file by URL, under the harvest's rules (public addresses only unless
        HARVEST_ALLOW_PRIVATE, a time limit, HARVEST_MAX_BYTES)."""
        try:
            fetched = harvest.fetch(url)
        except harvest.FetchError as exc:
            raise CommandError(str(exc)) from None
        if fetched.status != 200:
            raise CommandError(f"{url}: HTTP {fetched.status}")
        name = Path(urlsplit(fetched.url).path).name.removesuffix(".json") or "api"
        directory = Path(tempfile.mkdtemp(prefix="import-don-"))
        path = directory / f"{name}.json"
        path.write_bytes(fetched.content)
        return [path]
