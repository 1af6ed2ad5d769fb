"""The one zip writer of the project: the same files give the same bytes.

Used by the student bundle (autograder.release.bundle) and the Gradescope autograder zip
(autograder.export.gradescope). Every entry gets the same date (zip's earliest), the mode its
caller gives, and deflate; entries are written in path order. So rebuilding an unchanged
course changes no byte, and a zip can be compared with the one built before.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold


def zip_bytes(files: dict[str, bytes], mode: Callable[[str], int], prefix: str = "") -> bytes:
    """A zip of `files` (relative path -> content), each stored under `prefix` + its path with
    the Unix mode `mode(path)` (its permission bits, and the file-type bits when included)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, content in sorted(files.items()):
            info = zipfile.ZipInfo(prefix + rel, date_time=ZIP_DATE)
            info.external_attr = mode(rel) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()
