"""The log file: one place that sets it up, for the window and the command line alike.

`depot.log` in the user's data folder (app.paths.data_dir, `logs/`), rotated at 1 MB with
five old files kept. What a person sees is one clear line; the details (tracebacks) go here,
so whoever supports the desk can read them.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .paths import data_dir

LOG_NAME = "depot.log"
MAX_BYTES = 1_000_000
BACKUPS = 5

_state: dict[str, Path | None] = {"path": None}


def log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


def setup_logging() -> Path | None:
    """Attach the rotating log file to the root logger (once); its path, or None if it cannot be written."""
    path = log_path()
    if _state["path"] == path:
        return path
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_depot_log", False):
            root.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None  # no log file is no reason to refuse work
    handler._depot_log = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root.addHandler(handler)  # the root's level (WARNING unless someone chose another) is left alone
    _state["path"] = path
    return path
