"""What reading a publiccode.yml finds: errors and warnings, each with the key
path and the line and column it is about.

A finding's text is a Message (registry.i18n): English for the API and the
commands (`message`, `as_dict()`, `str()`), the reader's language on the site
(`localised`), and kept as its English template and parameters where it is
stored (`stored()`, `from_stored()`: a harvest source's last errors), so that a
Dutch reader reads it in Dutch later. Key paths, values from the file and
vocabulary words are parameters and stay as they are."""

from dataclasses import dataclass, field

from registry.i18n import Message

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, eq=False)
class Finding:
    severity: str  # "error" or "warning"
    path: str  # key path, e.g. "description.nl.shortDescription" or "categories[0]"
    line: int | None
    column: int | None
    text: Message | str  # what is wrong; a plain str only from rows stored before Messages

    @property
    def message(self) -> str:
        """What is wrong, in English: the API's and the commands' language."""
        return self.text.english() if isinstance(self.text, Message) else str(self.text)

    @property
    def localised(self) -> str:
        """What is wrong, in the active language (the site's reader's)."""
        return str(self.text)

    @property
    def translated(self) -> bool:
        """False for a finding stored as English words only (before Messages)."""
        return isinstance(self.text, Message)

    def __str__(self) -> str:
        where = f"{self.line or 0}:{self.column or 0}"
        key = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity}: {key}{self.message}"

    def _key(self):
        return (self.severity, self.path, self.line, self.column, self.message)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def as_dict(self) -> dict:
        """The finding as the API shows it (in English)."""
        return {
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }

    def stored(self) -> dict:
        """as_dict() and, to be put into the reader's words later, the message's
        English template and parameters (msgid, params)."""
        data = self.as_dict()
        if isinstance(self.text, Message):
            data.update(self.text.as_data())
        return data

    @classmethod
    def from_stored(cls, data) -> "Finding":
        """A finding as stored(), or as stored before msgid and params were kept
        (its English message is then all there is)."""
        text = Message.from_data(data) if data.get("msgid") else data.get("message", "")
        return cls(
            data.get("severity", ERROR),
            data.get("path") or "",
            data.get("line"),
            data.get("column"),
            text,
        )


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
