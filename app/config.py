"""Settings of this desk: database URL, site name, language, printers.

Kept as a small JSON file in the user's config folder. The database URL is
chosen in this order: the `--database` option, the `DEPOT_DATABASE_URL`
environment variable, the settings file, and finally the default SQLite file
in the user's data folder — so a new machine needs nothing configured.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .paths import config_dir, data_dir

DEFAULT_DB_FILENAME = "depot.sqlite"


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
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

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
