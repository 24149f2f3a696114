"""Output files written whole or not at all.

Every file the application writes for a person (a certificate, labels, a report, an
export, a backup) is first written to a temporary file in the target folder and then
moved into place with one rename. A full disk, a missing folder or a target that is a
folder gives one clear refusal and leaves no partial file behind — neither a 0-byte
file at the target nor the temporary one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..i18n import N_
from .errors import DomainError


class OutputFailed(DomainError):
    message = N_("{path} could not be written: {detail}")


class OutputRefused(OutputFailed):
    message = N_("{path} cannot be written: {detail}")


_REASONS = {
    errno.ENOSPC: N_("the disk is full"),
    errno.EDQUOT: N_("the disk is full"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.EROFS: N_("the disk is read-only"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.EISDIR: N_("it is a folder, not a file"),
    errno.ENOTDIR: N_("the folder does not exist"),
}


def reason(err: OSError) -> str:
    """A short, translatable reason for an OS error (the detail of the message)."""
    return _REASONS.get(err.errno or 0) or err.strerror or str(err) or type(err).__name__


def check_writable(path: str | os.PathLike) -> Path:
    """Refuse (OutputRefused) before any work when `path` cannot become a file.

    Called before a commit whose document is then written: a mistyped folder is refused
    while nothing has happened yet.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputRefused(path=str(target), detail=N_("it is a folder, not a file"))
    folder = target.parent
    if not folder.is_dir():
        raise OutputRefused(path=str(target), detail=N_("the folder does not exist"))
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".probe", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise OutputRefused(path=str(target), detail=reason(err)) from err
    return target


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """A temporary path in the target's folder; moved onto `path` when the block succeeds.

    On any failure the temporary file is removed and `path` is left as it was; an OSError
    becomes OutputFailed with a reason a person understands.
    """
    target = check_writable(path)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    # mkstemp makes a private file (0600); the document gets the mode any new file would get
    os.chmod(tmp, _new_file_mode())
    try:
        yield tmp
        _sync(tmp)
        os.replace(tmp, target)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise OutputFailed(path=str(target), detail=reason(err)) from err
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _sync(path: Path) -> None:
    """On disk before the rename, so a crash leaves the old file or the new one, never half.

    A full disk often shows only here (the data sat in the page cache until now).
    """
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))
