"""Where the app finds its shipped resources and keeps its user data."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "CircuIT Depot"
APP_SLUG = "circuit-depot"
ORG = "Provincie"

RESOURCES = Path(__file__).resolve().parent.parent / "resources"


def data_dir() -> Path:
    """The user's data folder (the SQLite database lives here). DEPOT_DATA_DIR overrides it."""
    override = os.environ.get("DEPOT_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_SLUG, ORG))


def config_dir() -> Path:
    override = os.environ.get("DEPOT_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP_SLUG, ORG))
