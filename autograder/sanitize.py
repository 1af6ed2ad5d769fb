"""Text that a submission controls, made safe where the trusted side keeps or shows it.

Everything that comes back from a worker (values' text, exception messages, tracebacks,
printed output, warnings) and everything read from a submission folder (its name, notebook
metadata) may be any string a student can make: lone surrogates that no encoder accepts,
undecodable file-name bytes, terminal escapes, megabytes. These helpers turn such text into
valid, visible, bounded text, once, at the boundary; later stages may then treat it as
ordinary text. Korean and every other printable script pass through unchanged.
"""

from __future__ import annotations

import re
import unicodedata

# Per item (a message, a traceback, a value's text) and per test's feedback: a few KB.
ITEM_LIMIT = 2000
FEEDBACK_LIMIT = 4000
# One results file (OUT/<student>/<slug>.json), whatever the submission does.
RESULTS_LIMIT = 1_000_000

# C0/C1 controls but tab and newline, DEL, and the bidirectional overrides/isolates that can
# make text read differently from what it is (the "Trojan Source" characters).
# U+FFFE/U+FFFF are noncharacters (and invalid in XML 1.0, like the C0 controls).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                        r"\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_text(text: object, limit: int = ITEM_LIMIT) -> str:
    """Valid UTF-8, controls made visible (`\\x1b`), cut to `limit` characters with a note.

    Never raises: an object whose `str()` fails becomes a placeholder.
    """
    if not isinstance(text, str):
        try:
            text = str(text)
        except Exception:  # noqa: BLE001 - a hostile __str__
            return "<unprintable>"
    size = len(text)
    text = text[:limit]  # first: cleaning megabytes only to cut them would cost their memory
    # lone surrogates (from JSON "\ud800" or surrogateescape'd bytes) become \udXXX escapes
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _INVISIBLE.sub(_visible, text.replace("\r\n", "\n"))
    if size > limit or len(text) > limit:  # (escapes are longer than what they stand for)
        text = f"{text[:limit]}… [{max(size, len(text)) - limit} more characters cut]"
    return text


def from_filesystem(name: str) -> str:
    """A file or folder name as text: undecodable bytes (os.fsdecode's surrogates) as `\\xNN`,
    NFC-normalised, so `김민지` typed on macOS (NFD) and on Linux (NFC) is one name."""
    raw = name.encode("utf-8", "surrogateescape")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "backslashreplace"))


def csv_cell(value: object) -> object:
    """A spreadsheet cell that cannot start a formula: text beginning `= + - @` (or a tab or
    carriage return) gets a leading apostrophe, as OWASP advises. Numbers stay numbers.
    Text that begins with an apostrophe gets one more, so `from_csv_cell` undoes it exactly."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "'"):
        return "'" + value
    return value


def from_csv_cell(cell: str) -> str:
    """The text `csv_cell` was given (for the programs that read our CSV files back)."""
    return cell[1:] if cell.startswith("'") else cell


def fence(text: str, info: str = "") -> str:
    """A Markdown code block that `text` cannot close: the fence is longer than any run of
    backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{info}\n{text.rstrip()}\n{marks}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def markdown_text(text: str) -> str:
    """Text shown as itself in Markdown (a student id in a heading): every character that
    Markdown or inline HTML would read as markup is backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", text)
