"""Static files from node_modules: only the files the site links to.

The NL Design System packages ship whole folders of CSS, some of it pointing at
files they do not ship; collecting them wholesale breaks the hashed-manifest
storage. This finder exposes the named files and nothing else.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Warning
from django.core.files.storage import FileSystemStorage


def _entries():
    for prefix, (directory, names) in settings.NPM_STATIC.items():
        for name in names:
            yield prefix, Path(directory), name


class NpmFinder(BaseFinder):
    def check(self, **kwargs):
        missing = [str(d / n) for _p, d, n in _entries() if not (d / n).is_file()]
        if not missing:
            return []
        return [
            Warning(
                "Front-end files from npm are missing: " + ", ".join(missing),
                hint="Run `make install` (npm ci).",
                id="registry.W001",
            )
        ]

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        found = [
            str(directory / name)
            for prefix, directory, name in _entries()
            if path == f"{prefix}/{name}" and (directory / name).is_file()
        ]
        if find_all:
            return found
        return found[0] if found else []

    def list(self, ignore_patterns):
        for prefix, directory, name in _entries():
            if (directory / name).is_file():
                storage = FileSystemStorage(location=directory)
                storage.prefix = prefix
                yield name, storage
