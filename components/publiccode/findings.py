"""What reading a publiccode.yml finds: errors and warnings, each with the key
path and the line and column it is about."""

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    path: str  # key path, e.g. "description.nl.shortDescription" or "categories[0]"
    line: int | None
    column: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.line or 0}:{self.column or 0}"
        key = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity}: {key}{self.message}"

    def as_dict(self) -> dict:
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ValidationResult:
    findings: list[Finding] = field(default_factory=list)
    data: dict | None = None
    version: str | None = None
    # Where each key is in the file, by key path: (line, column).
    positions: dict = field(default_factory=dict, repr=False)

    def position(self, path) -> tuple[int | None, int | None]:
        """(line, column) of a key path, or of its nearest ancestor in the file."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path.rpartition(".")[0] if "." in path else path.partition("[")[0]
            if path in self.positions:
                return self.positions[path]
            if "." not in path and "[" not in path:
                break
        return None, None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


class _Refused(Exception):
    def __init__(self, finding):
        super().__init__(finding.message)
        self.finding = finding
