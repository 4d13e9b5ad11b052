"""The web workspace (``orglens serve``): accounts, workspaces with members in roles, and every
page with a JSON twin. Needs the ``web`` extra: ``pip install 'orglens[web]'``.

:func:`create_app` builds the Starlette application from a :class:`WebConfig`; :func:`prepare`
readies the data folder and the database (migrations to head, leftovers removed). They are
imported when first used, so that the package's pure modules do not load the server.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from orglens.web.app import create_app, prepare
    from orglens.web.config import WebConfig

__all__ = ["WebConfig", "create_app", "prepare"]

_HOMES = {
    "WebConfig": "orglens.web.config",
    "create_app": "orglens.web.app",
    "prepare": "orglens.web.app",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
