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

# C0/C1 controls but tab and newline, DEL, and the bidirectional overrides/isolates that can
# make text read differently from what it is (the "Trojan Source" characters).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


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
    # lone surrogates (from JSON "\ud800" or surrogateescape'd bytes) become \udXXX escapes
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _INVISIBLE.sub(_visible, text.replace("\r\n", "\n"))
    if len(text) > limit:
        cut = len(text) - limit
        text = f"{text[:limit]}… [{cut} more characters cut]"
    return text


def from_filesystem(name: str) -> str:
    """A file or folder name as text: undecodable bytes (os.fsdecode's surrogates) as `\\xNN`,
    NFC-normalised, so `김민지` typed on macOS (NFD) and on Linux (NFC) is one name."""
    raw = name.encode("utf-8", "surrogateescape")
    return unicodedata.normalize("NFC", raw.decode("utf-8", "backslashreplace"))


def csv_cell(value: object) -> object:
    """A spreadsheet cell that cannot start a formula: text beginning `= + - @` (or a tab or
    carriage return) gets a leading apostrophe, as OWASP advises. Numbers stay numbers."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def fence(text: str, info: str = "") -> str:
    """A Markdown code block that `text` cannot close: the fence is longer than any run of
    backticks inside it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{info}\n{text.rstrip()}\n{marks}"
