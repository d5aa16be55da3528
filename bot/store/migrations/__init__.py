"""The schema's history as Alembic migrations, configured in code (no alembic.ini).

``versions/`` holds one file per revision; ``env.py`` runs them on the connection that
``bot.store.engine.upgrade_schema`` hands over in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

HERE = Path(__file__).parent


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for our migrations; ``connection`` is the one to run them on."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("version_locations", str(HERE / "versions"))
    config.set_main_option("path_separator", "os")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision: what ``upgrade_schema`` brings every database to."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("bot/store/migrations/versions has no revision")
    return head
