"""Setting up ``--pytest-from-env`` (``env_pytest.py``): the environment's
pytest in the place of the harness's ``pytest`` shim, and its command line."""

from __future__ import annotations

import importlib
import sys
from typing import Any

from . import asyncsupport, dependencies, guard, importhook


def error_line(text: str) -> str:
    """The line of a usage error that says what is wrong (argparse's ``error: ...``)."""
    lines = text.splitlines() or [""]
    return next((line.split("error: ", 1)[1] for line in lines if "error: " in line), lines[-1])


def pytest_args(raw: dict[str, Any]) -> list[str]:
    """pytest's command line for this run: fastest's settings as pytest options,
    then what the user gave for pytest (``pytestFromEnv.args``). The config
    file's ``addopts`` are left out here: the host has read them already and
    hands over the options that concern pytest."""
    args = ["-p", "no:cacheprovider", "-o", "addopts=", "--rootdir", str(raw["rootdir"])]
    if raw.get("inipath"):
        args += ["-c", str(raw["inipath"])]
    verbosity = int(raw.get("verbosity", 0))
    args += ["-v"] * verbosity if verbosity > 0 else ["-q"] * -verbosity
    args += [f"--tb={raw.get('tbStyle') or 'auto'}", "--capture=no" if raw.get("capture") == "no" else "--capture=sys"]
    if raw.get("showLocals"):
        args.append("--showlocals")
    if raw.get("strictMarkers"):
        args.append("--strict-markers")
    if raw.get("junitFamily"):
        # The host writes the JUnit XML; pytest's own (in the sandbox's memory, never read)
        # makes record_property and friends warn about junit_family as pytest's do.
        args.append("--junitxml=/tmp/.fastest-pytest-from-env-junit.xml")
    for spec in raw.get("pythonWarnings") or ():
        args += ["-W", spec]
    return args + list((raw.get("pytestFromEnv") or {}).get("args") or ())


def preimport(site_dir: str) -> list[str]:
    """Import the environment's pytest and its built-in plugins before a
    snapshot is taken (``dependencySnapshot`` in node-host/dependencies.ts),
    so that a worker restored from it does not import them again: pytest is
    most of this mode's start-up cost inside WebAssembly. The shim leaves
    ``sys.modules`` here already, as ``configure`` would do. ``.pth`` files
    are not read (they may point into the project, written only after the
    restore); ``configure`` reads them. Returns the plugin modules imported."""
    _release_shim(site_dir)
    import _pytest.config

    imported = []
    for name in _pytest.config.default_plugins:
        try:
            importlib.import_module(f"_pytest.{name}")
            imported.append(name)
        except Exception:  # noqa: BLE001 - a plugin that cannot import here is imported (and reported) by the run
            pass
    # Folders that did not exist yet must be looked at again after the restore.
    for key in [k for k, v in sys.path_importer_cache.items() if v is None]:
        del sys.path_importer_cache[key]
    return imported


def _release_shim(site_dir: str) -> None:
    """The harness's shim leaves ``sys.modules`` (and the guard stops putting
    it back), its assertion-rewriting import hook steps aside for pytest's
    own, and the environment's folder goes first on ``sys.path``."""
    importhook.uninstall()
    guard.release_module("pytest")
    for name in [n for n in sys.modules if n.split(".")[0] in ("pytest", "_pytest", "py")]:
        if not str(getattr(sys.modules[name], "__file__", "") or "").startswith(site_dir.rstrip("/") + "/"):
            del sys.modules[name]
    if site_dir in sys.path:
        sys.path.remove(site_dir)
    sys.path.insert(0, site_dir)
    importhook.invalidate_file_finders()


def environment_pytest(site_dir: str | None, unavailable: dict[str, str] | None) -> Any:
    """Put the environment's pytest in the place of the harness's shim
    (``_release_shim``), its site folder read as Python's ``site`` reads one."""
    if not site_dir:
        raise RuntimeError("--pytest-from-env needs an environment holding pytest (--site-packages, .venv or --wheels)")
    dependencies.install(site_dir, unavailable)
    _release_shim(site_dir)
    import pytest

    if not str(pytest.__file__).startswith(site_dir.rstrip("/") + "/"):
        raise RuntimeError(f"--pytest-from-env: pytest was not found in {site_dir}")
    asyncsupport.install()
    return pytest


def forget_project_modules(rootdir: str, site_dir: str) -> None:
    """A new session imports the project's modules afresh (watch mode reconfigures the same interpreter)."""
    inside, site = rootdir.rstrip("/") + "/", site_dir.rstrip("/") + "/"
    for name, module in list(sys.modules.items()):
        file = str(getattr(module, "__file__", None) or "")
        if file.startswith(inside) and not file.startswith(site):
            del sys.modules[name]
