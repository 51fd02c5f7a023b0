"""The run's configuration as user code sees it (``request.config``, ``pytestconfig``)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .stash import Stash
from .outcomes import Skipped

_DEFAULT_INI: dict[str, Any] = {
    "python_files": ["test_*.py", "*_test.py"],
    "python_classes": ["Test"],
    "python_functions": ["test"],
    "xfail_strict": False,
    "markers": [],
    "usefixtures": [],
    "testpaths": [],
    "addopts": [],
    "filterwarnings": [],
    "norecursedirs": [],
    "minversion": "",
    "console_output_style": "progress",
    "empty_parameter_set_mark": "",
    "log_level": "",
}

# The types pytest declares for its own ini options, so that a raw ini string
# reads as pytest reads it ("Describe* *Suite" is two patterns).
_BUILTIN_INI_KINDS: dict[str, str] = {
    "python_files": "args", "python_classes": "args", "python_functions": "args",
    "usefixtures": "args", "testpaths": "args", "addopts": "args", "norecursedirs": "args",
    "markers": "linelist", "filterwarnings": "linelist", "xfail_strict": "bool",
}

_NOTSET = object()

# pytest's own options whose dest is not their spelling.
_BUILTIN_DESTS = {
    "-v": "verbose", "-q": "verbose", "--tb": "tbstyle", "-l": "showlocals", "-s": "capture",
    "-x": "exitfirst", "-k": "keyword", "-m": "markexpr", "-r": "reportchars", "-W": "pythonwarnings",
    "--lf": "lf", "--last-failed": "lf", "--ff": "failedfirst", "--failed-first": "failedfirst",
    "--co": "collectonly", "--collect-only": "collectonly", "--setup-show": "setupshow",
    "--setup-only": "setuponly", "--doctest-modules": "doctestmodules", "--doctest-glob": "doctestglob",
    "--import-mode": "importmode", "-p": "plugins",
}


class InvocationParams:
    def __init__(self, args: list[str], rootdir: str) -> None:
        self.args = tuple(args)
        self.plugins = ()
        self.dir = Path(rootdir)


class PluginManager:
    """Enough of pluggy's manager for conftests that probe it."""

    def __init__(self) -> None:
        self._plugins: dict[str, Any] = {}
        self._collector: Any = None  # set by api.configure: registered plugins' hooks are called

    def hasplugin(self, name: str) -> bool:
        return name in self._plugins

    def get_plugin(self, name: str) -> Any:
        return self._plugins.get(name)

    getplugin = get_plugin

    def register(self, plugin: Any, name: str | None = None) -> str:
        key = name or str(id(plugin))
        self._plugins[key] = plugin
        if self._collector is not None:
            self._collector.register_plugin(plugin, None)
        return key

    def unregister(self, plugin: Any = None, name: str | None = None) -> None:
        for key, value in list(self._plugins.items()):
            if key == name or value is plugin:
                del self._plugins[key]
                if self._collector is not None:
                    self._collector.registry.unregister(value)

    def is_registered(self, plugin: Any) -> bool:
        return any(v is plugin for v in self._plugins.values())

    def list_name_plugin(self) -> list:
        return list(self._plugins.items())


def _option_value(value: Any, attrs: dict[str, Any]) -> Any:
    """A conftest option's value from the command line, as argparse would store it."""
    action = attrs.get("action")
    if action == "store_true":
        return True
    if action == "store_false":
        return False
    if action == "store_const":
        return attrs.get("const")
    convert = attrs.get("type")
    if action == "append":
        values = value if isinstance(value, list) else [value]
        return [convert(v) if callable(convert) else v for v in values]
    return convert(value) if callable(convert) and not isinstance(value, (bool, int)) else value


class Parser:
    """Collects ``pytest_addoption`` declarations so ``getoption`` sees their defaults."""

    def __init__(self, config: "Config") -> None:
        self._config = config

    def getgroup(self, name: str, description: str = "", after: str | None = None) -> "Parser":
        return self

    def addoption(self, *opts: str, **attrs: Any) -> None:
        dest = attrs.get("dest")
        if dest is None:
            longs = [o for o in opts if o.startswith("--")]
            dest = (longs[0] if longs else opts[0]).lstrip("-").replace("-", "_")
        default = attrs.get("default", _NOTSET)
        if default is _NOTSET:
            action = attrs.get("action")
            default = False if action == "store_true" else True if action == "store_false" else [] if action == "append" else None
        if not hasattr(self._config.option, dest):
            setattr(self._config.option, dest, default)
        given = self._config._raw.get("conftestOptions") or {}
        for opt in opts:
            self._config._option_names[opt] = dest
            if opt in given:
                setattr(self._config.option, dest, _option_value(given[opt], attrs))

    _addoption = addoption

    def addini(self, name: str, help: str = "", type: str | None = None, default: Any = _NOTSET, **kw: Any) -> None:
        if default is _NOTSET:
            default = [] if type in ("linelist", "args", "paths", "pathlist") else False if type == "bool" else ""
        self._config._ini_defaults[name] = (type, default)


class Config:
    """``pytest.Config`` as far as tests and conftests commonly use it."""

    __module__ = "_pytest.config"  # reprs read as pytest's

    def __init__(self, harness_config: dict[str, Any]) -> None:
        self._raw = harness_config
        self.rootpath = Path(harness_config["rootdir"])
        self.rootdir = self.rootpath
        inipath = harness_config.get("inipath")
        self.inipath = Path(inipath) if inipath else None
        self.args = list(harness_config.get("args", []))
        self.invocation_params = InvocationParams(self.args, str(harness_config.get("invocationDir") or self.rootpath))
        self.pluginmanager = PluginManager()
        self.stash: Stash = Stash()
        self._store = self.stash
        self._cleanup: list = []
        self._option_names: dict[str, str] = {}
        self._ini_defaults: dict[str, tuple[Any, Any]] = {}
        self._ini = dict(harness_config.get("ini") or {})
        self._ini.setdefault("python_files", harness_config.get("pythonFiles"))
        self._ini.setdefault("python_classes", harness_config.get("pythonClasses"))
        self._ini.setdefault("python_functions", harness_config.get("pythonFunctions"))
        self._ini.setdefault("markers", harness_config.get("markers"))
        verbosity = int(harness_config.get("verbosity", 0))
        capture = harness_config.get("capture", "fd")
        self.option = argparse.Namespace(
            verbose=verbosity, tbstyle=harness_config.get("tbStyle", "auto"),
            showlocals=bool(harness_config.get("showLocals")), capture=capture,
            rootdir=str(self.rootpath), xfail_strict=bool(harness_config.get("xfailStrict")),
            keyword="", markexpr="", runxfail=False, fulltrace=False, color="no",
            basetemp=None, strict_markers=bool(harness_config.get("strictMarkers")), strict=False, reportchars="",
            maxfail=0, exitfirst=False, usepdb=False, collectonly=bool(harness_config.get("collectOnly")),
            assertmode="rewrite", setuponly=False, setupshow=bool(harness_config.get("setupShow")), lf=False,
            last_failed=False, failedfirst=False, cacheclear=False, durations=None,
            file_or_dir=list(self.args), pythonwarnings=None, log_level=None,
            importmode="prepend", noconftest=False, confcutdir=None,
            doctestmodules=bool((harness_config.get("doctest") or {}).get("modules")),
            seed=harness_config.get("seed", 0),
        )
        self.known_args_namespace = self.option
        self.hook = _HookRelay(self)
        self._hook_registry: Any = None  # the collector's HookRegistry, set by api.configure
        self._deselected: list = []

    # -- options
    def getoption(self, name: str, default: Any = _NOTSET, skip: bool = False) -> Any:
        dest = self._option_names.get(name) or _BUILTIN_DESTS.get(name) or (
            name.lstrip("-").replace("-", "_") if name.startswith("-") else name)
        try:
            value = getattr(self.option, dest)
        except AttributeError:
            if default is not _NOTSET:
                return default
            if skip:
                raise Skipped(f"no {name!r} option found") from None
            raise ValueError(f"no option named {name!r}") from None
        if value is None and skip:
            raise Skipped(f"no {name!r} value found")
        return value

    def getvalue(self, name: str, path: Any = None) -> Any:
        return self.getoption(name)

    def getvalueorskip(self, name: str, path: Any = None) -> Any:
        return self.getoption(name, skip=True)

    def get_verbosity(self, verbosity_type: str | None = None) -> int:
        return int(self.option.verbose)

    VERBOSITY_ASSERTIONS = "assertions"
    VERBOSITY_TEST_CASES = "test_cases"

    # -- ini
    def getini(self, name: str) -> Any:
        if name in self._ini and self._ini[name] is not None:
            value = self._ini[name]
            kind = self._ini_defaults.get(name, (_BUILTIN_INI_KINDS.get(name), None))[0]
            if kind == "bool" and isinstance(value, str):
                return value.strip().lower() in ("1", "true", "yes", "on")
            if kind == "int" and isinstance(value, str):
                return int(value)
            if kind == "float" and isinstance(value, str):
                return float(value)
            if kind in ("linelist", "args", "paths", "pathlist") and isinstance(value, str):
                parts = value.splitlines() if kind in ("linelist", "paths", "pathlist") else value.split()
                return [p.strip() for p in parts if p.strip()]
            return value
        if name == "xfail_strict":
            return bool(self._raw.get("xfailStrict"))
        if name in self._ini_defaults:
            return self._ini_defaults[name][1]
        if name in _DEFAULT_INI:
            default = _DEFAULT_INI[name]
            return list(default) if isinstance(default, list) else default
        raise ValueError(f"unknown configuration value: {name!r}")

    def addinivalue_line(self, name: str, line: str) -> None:
        current = self.getini(name)
        if not isinstance(current, list):
            current = [current] if current else []
        self._ini[name] = [*current, line]

    def add_cleanup(self, func: Any) -> None:
        self._cleanup.append(func)

    def issue_config_time_warning(self, warning: Warning, stacklevel: int) -> None:
        import warnings
        warnings.warn(warning, stacklevel=stacklevel)

    @property
    def cache(self) -> Any:
        # -p no:cacheprovider: pytest's config has no cache then.
        if "cacheprovider" in (self._raw.get("disabledPlugins") or []):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute 'cache'")
        from .builtin_fixtures import get_cache
        return get_cache(self)


class _HookRelay:
    """``config.hook``: calls every registered plugin's implementation of a
    hook (none: returns []). Items passed to ``pytest_deselected`` are kept
    for the host, which counts them as deselected."""

    def __init__(self, config: "Config") -> None:
        self._config = config

    def __getattr__(self, name: str) -> Any:
        config = self._config

        def call(**kwargs: Any) -> Any:
            if name == "pytest_deselected":
                config._deselected.extend(kwargs.get("items") or ())
            registry = config._hook_registry
            return [] if registry is None else registry.call(name, None, **kwargs)
        return call


def python_version() -> str:
    return ".".join(str(part) for part in sys.version_info[:3])


def env_flag(name: str) -> bool:
    return os.environ.get(name, "") not in ("", "0")
