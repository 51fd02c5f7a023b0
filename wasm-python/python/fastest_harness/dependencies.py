"""The run's third-party packages (``--site-packages``, ``--wheels``).

The host copies their files into one sandbox folder; ``install`` puts it on
``sys.path`` the way Python's ``site`` module adds a site-packages folder
(``.pth`` files included, so editable installs pointing into the project
work). Modules the host left out because they are compiled for another
platform (``markupsafe._speedups`` built for x86_64 Linux) fail to import
with a message that names their package and how to provide a Pyodide build,
instead of a bare ``ModuleNotFoundError``. Packages that fall back to pure
Python when such a module is missing keep working: the error is a
``ModuleNotFoundError`` as before.
"""

from __future__ import annotations

import importlib.abc
import site
import sys
from typing import Any


class UnavailableFinder(importlib.abc.MetaPathFinder):
    """Refuses the modules in ``messages`` with their message."""

    def __init__(self) -> None:
        self.messages: dict[str, str] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        message = self.messages.get(fullname)
        if message is not None:
            raise ModuleNotFoundError(message, name=fullname)
        return None


finder = UnavailableFinder()


def install(site_dir: str | None, unavailable: dict[str, str] | None) -> None:
    if site_dir and site_dir not in sys.path:
        site.addsitedir(site_dir)
    finder.messages = dict(unavailable or {})
    if finder.messages and finder not in sys.meta_path:
        sys.meta_path.insert(0, finder)
