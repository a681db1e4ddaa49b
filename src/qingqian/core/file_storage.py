"""Writing an uploaded file whole or not at all, and a full disk said plainly.

Uploads (evidence files, ledger returns) go to the uploads volume
(MEDIA_ROOT). When it is full, the write fails with ENOSPC part way through:
the part written is removed and `StorageFull` raised, which rolls back the
service's transaction, so neither a partial file nor a row pointing at one is
left; the web pages and the API answer 503 with the message below.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable
from pathlib import Path

from django.utils.translation import gettext_lazy as _

RETRY_AFTER_SECONDS = 300
MESSAGE = _("The server's file storage is full: nothing was saved. Please try again later.")
# No space on the device, and a user's or group's quota spent: the same to the user.
_FULL = (errno.ENOSPC, errno.EDQUOT)


class StorageFull(Exception):
    """The uploads volume has no room for the file (nothing of it was kept)."""

    def __init__(self, path: Path):
        super().__init__(f"no space left to write {path}")
        self.path = path


def write_whole(path: Path, chunks: Iterable[bytes]) -> None:
    """Write the chunks to a new file at `path`; on any failure (a full disk,
    or an exception raised by the chunks' source) remove what was written."""
    try:
        with open(path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
    except BaseException as error:
        path.unlink(missing_ok=True)
        if isinstance(error, OSError) and error.errno in _FULL:
            raise StorageFull(path) from error
        raise
