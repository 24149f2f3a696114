"""Settings of this desk: database URL, site name, language, printers.

Kept as a small JSON file in the user's config folder. The database URL is
chosen in this order: the `--database` option, the `DEPOT_DATABASE_URL`
environment variable, the settings file, and finally the default SQLite file
in the user's data folder — so a new machine needs nothing configured.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .paths import config_dir, data_dir

DEFAULT_DB_FILENAME = "depot.sqlite"
_log = logging.getLogger(__name__)


@dataclass
class Settings:
    database_url: str | None = None
    language: str = "nl"
    site_name: str = "Centraal ICT-magazijn"
    label_printer: str | None = None
    extra: dict = field(default_factory=dict)
    ldap: dict = field(default_factory=dict)  # directory sign-in (services/ldap_auth.DirectoryConfig); empty: off

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as err:
            _log.warning("settings file %s cannot be read, defaults used: %s", cls.path(), err)
            return cls()
        if not isinstance(raw, dict):
            _log.warning("settings file %s is not a JSON object, defaults used", cls.path())
            return cls()
        defaults = cls()
        values = {}
        for f in fields(cls):
            if f.name not in raw:
                continue
            value, default = raw[f.name], getattr(defaults, f.name)
            # A value of the wrong type (a hand-edited file) falls back to the default instead
            # of breaking every command, even --help.
            wanted = (str,) if f.name == "database_url" or f.name == "label_printer" else (type(default),)
            if value is None and default is None or isinstance(value, wanted):
                values[f.name] = value
            else:
                _log.warning("settings file %s: %s is not valid, default used", cls.path(), f.name)
        return cls(**values)

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(path)  # never leave a half-written settings file


def default_database_url() -> str:
    return f"sqlite:///{data_dir() / DEFAULT_DB_FILENAME}"


def resolve_database_url(cli_url: str | None = None, settings: Settings | None = None) -> str:
    if cli_url:
        return cli_url
    env = os.environ.get("DEPOT_DATABASE_URL")
    if env:
        return env
    settings = settings or Settings.load()
    return settings.database_url or default_database_url()


def resolve_language(settings: Settings | None = None) -> str:
    env = os.environ.get("DEPOT_LANG")
    if env:
        return env
    return (settings or Settings.load()).language
