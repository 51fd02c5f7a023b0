"""Collection: import test files (conftests first), build the node tree and
turn test functions into items, parametrized and with their fixture closure
resolved once, here, rather than per run."""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import os
import sys
import warnings
from pathlib import Path
from typing import Any

from . import importhook, sandbox_limits, unittest_support, warning_filters, xunit
from .fixtures import FixtureFunctionDefinition, FixtureManager, closure, get_real_func, getfuncargnames, visible
from .hooks import HookRegistry
from .imports import ImportPathMismatchError, call_hook, import_path
from .items import Function, PytestCollectionWarning
from .longrepr import collect_error
from .marks import Mark, get_unpacked_marks, mark as MARK
from .nodes import Class, Dir, Module, Node, Package, Session
from .outcomes import Skipped, skip_report_text
from .parametrize import Metafunc, direct_parametrize_args

_IGNORED = frozenset(("__class__", "__dict__", "__module__", "__weakref__", "__init__", "__new__"))


def _matches(name: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        if name.startswith(pattern):
            return True
        if any(ch in pattern for ch in "*?[") and fnmatch.fnmatch(name, pattern):
            return True
    return False


class Collector:
    """Owns the node tree, the fixture manager and every collected item of a run."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.config = session.config
        self.manager: FixtureManager = session._fixturemanager
        self.rootdir = Path(self.config.rootpath)
        self.dirs: dict[str, Dir] = {}
        self.conftests: dict[str, Any] = {}  # dir -> module, or the exception it raised
        self.conftest_order: list[tuple[str, Any]] = []  # (baseid, module), root first
        self.items: dict[str, Function] = {}
        self.imported: list[str] = []
        self.warnings: list[dict] = []
        self.skipped: list[dict] = []
        self.class_patterns = list(self.config.getini("python_classes"))
        self.function_patterns = list(self.config.getini("python_functions"))
        self.registry = HookRegistry()
        # Paths the host's own rules (--ignore, norecursedirs, virtualenvs) leave out, sent only
        # when a conftest's pytest_ignore_collect may overrule them.
        self._default_ignored = frozenset(self.config._raw.get("defaultIgnored") or ())
        self._root = str(self.rootdir)
        self._root_absolute = os.path.isabs(self._root)
        self._relpaths: dict[str, str] = {}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._conftests_done: dict[str, BaseException | None] = {}
        self._initial: tuple[tuple[Any, ...], list[tuple[str, int]]] | None = None

    # -- paths and directories
    def relpath(self, path: Path | str) -> str:
        key = str(path)
        rel = self._relpaths.get(key)
        if rel is not None:
            return rel
        rel = os.path.relpath(key, self._root)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        # Asked for every item: an absolute path's answer never changes (a relative one's follows the cwd).
        if self._root_absolute and os.path.isabs(key):
            self._relpaths[key] = rel
        return rel

    def dir_node(self, directory: Path) -> Dir:
        rel = self.relpath(directory)
        node = self.dirs.get(rel)
        if node is not None:
            return node
        if rel == "" or rel.startswith(".."):
            parent: Node = self.session
        else:
            parent = self.dir_node(directory.parent)
        cls = Package if (directory / "__init__.py").is_file() else Dir
        node = cls(directory.name, parent, rel, directory)
        self.dirs[rel] = node
        return node

    def _chain(self, path: Path | str) -> tuple[str, ...]:
        """``str`` of ``path`` and of each of its parents, innermost first.

        Asked for every file and folder: strings compare and hash at a small
        fraction of the cost of ``Path`` objects (posix paths are equal
        exactly when their strings are)."""
        key = str(path)
        chain = self._chains.get(key)
        if chain is None:
            chain = self._chains[key] = (key, *map(str, Path(key).parents))
        return chain

    def load_conftests(self, directory: Path) -> BaseException | None:
        """Import conftest.py files from rootdir down to ``directory``, once each."""
        # Once done for a folder, the answer stays: each conftest's entry is written once.
        key = str(directory)
        if key in self._conftests_done:
            return self._conftests_done[key]
        error = self._load_conftests(directory)
        self._conftests_done[key] = error
        return error

    def _load_conftests(self, directory: Path) -> BaseException | None:
        chain = [directory, *directory.parents]
        chain = [d for d in reversed(chain) if d == self.rootdir or self.rootdir in d.parents]
        for d in chain:
            key = str(d)
            if key in self.conftests:
                found = self.conftests[key]
                if isinstance(found, BaseException):
                    return found
                continue
            path = d / "conftest.py"
            if not path.is_file():
                self.conftests[key] = None
                continue
            try:
                module = import_path(path, is_conftest=True)
            except BaseException as exc:  # noqa: BLE001 - reported as a collection error
                exc._fastest_conftest = str(path)  # type: ignore[attr-defined]
                self.conftests[key] = exc
                return exc
            self.imported.append(module.__name__)
            self.conftests[key] = module
            baseid = self.relpath(d)
            self.conftest_order.append((baseid, module))
            self.manager.parse(module, baseid, config=self.config)
            try:
                self.register_plugin(module, baseid)
                if hasattr(module, "pytest_plugins"):
                    self._check_top_level(module, path, d)
                    for name in _plugin_names(module.pytest_plugins):
                        self.import_plugin(name)
            except BaseException as exc:  # noqa: BLE001 - reported as a collection error
                exc._fastest_conftest = str(path)  # type: ignore[attr-defined]
                self.conftests[key] = exc
                return exc
        return None

    def register_plugin(self, plugin: Any, baseid: str | None) -> None:
        """Register a conftest (``baseid``: its folder) or a plugin module
        (``None``) and call its ``pytest_addoption`` and ``pytest_configure``,
        which pytest calls for a plugin whenever it is registered."""
        from .config import Parser
        self.registry.register(plugin, baseid)
        if hasattr(plugin, "pytest_addoption"):
            call_hook(plugin.pytest_addoption, parser=Parser(self.config), pluginmanager=self.config.pluginmanager)
        if hasattr(plugin, "pytest_configure"):
            call_hook(plugin.pytest_configure, config=self.config)

    def import_plugin(self, name: str) -> None:
        """A module named by ``pytest_plugins``: imported, registered with its fixtures, once."""
        if self.config.pluginmanager.get_plugin(name) is not None:
            return
        importlib.import_module(name)
        module = sys.modules[name]
        self.config.pluginmanager._plugins[name] = module
        self.imported.append(name)
        self.manager.parse(module, "", config=self.config)
        self.register_plugin(module, None)
        for inner in _plugin_names(getattr(module, "pytest_plugins", ())):
            self.import_plugin(inner)

    def _check_top_level(self, module: Any, path: Path, directory: Path) -> None:
        """pytest reads ``pytest_plugins`` only from the conftests it loads before collecting."""
        if directory == self.rootdir:
            return
        initial = [Path(p) for p in self.config._raw.get("initialPaths") or ()]
        if any(p == directory or directory in p.parents for p in initial if not p.suffix):
            return
        from .outcomes import fail
        fail("Defining 'pytest_plugins' in a non-top-level conftest is no longer supported:\n"
             "It affects the entire test suite instead of just below the conftest as expected.\n"
             f"  {path}\nPlease move it to a top level conftest file at the rootdir:\n  {self.rootdir}\n"
             "For more information, visit:\n"
             "  https://docs.pytest.org/en/stable/deprecations.html#pytest-plugins-in-non-top-level-conftest-files",
             pytrace=False)

    def ignored_by_conftest(self, path: Path) -> bool:
        """Whether a conftest's ``collect_ignore`` / ``collect_ignore_glob`` drops ``path``.

        The host walks folders before any conftest is imported, so the check
        happens here: every folder or file between the argument that found
        ``path`` and ``path`` itself is tested against the conftests above it,
        paths being relative to each conftest's folder. Arguments themselves
        are never ignored."""
        raw = tuple(self.config._raw.get("initialPaths") or ())
        if self._initial is None or self._initial[0] != raw:
            self._initial = (raw, [(str(p), len(p.parts)) for p in map(Path, raw)])
        chain = self._chain(path)
        above = chain[1:]
        holders = [(p, depth) for p, depth in self._initial[1] if p == chain[0] or p in above]
        if any(p == chain[0] for p, _depth in holders):
            return False
        top = max(holders, key=lambda holder: holder[1])[0] if holders else self._root
        # The folders below ``top`` (outermost first), then the file itself.
        below = above[:above.index(top)] if top in above else ()
        entries = [*reversed(below), chain[0]]
        for entry in entries:
            parents = self._chain(entry)[1:]
            done = self._conftests_done
            if (done[parents[0]] if parents[0] in done else self.load_conftests(Path(parents[0]))) is not None:
                return False  # reported when the file is collected
            if self.registry.impls("pytest_ignore_collect"):
                # A conftest's answer overrides every ignore rule (True or False), as in pytest.
                verdict = self.registry.call("pytest_ignore_collect", self.relpath(parents[0]),
                                             collection_path=Path(entry), config=self.config)
                if verdict is not None:
                    if verdict:
                        return True
                    continue
            if entry in self._default_ignored:
                return True
            for directory in parents:
                module = self.conftests.get(directory)
                if module is None or isinstance(module, BaseException):
                    continue
                ignore = getattr(module, "collect_ignore", None)
                if ignore and any(Path(entry) == Path(directory) / p for p in ignore):
                    return True
                globs = getattr(module, "collect_ignore_glob", None)
                if globs and any(fnmatch.fnmatch(entry, str(Path(directory) / g)) for g in globs):
                    return True
        return False

    def conftest_error(self, error: BaseException) -> list[dict]:
        """The collection error of a conftest that failed to import: reported
        once, against its folder, as pytest does (nothing for later files)."""
        if getattr(error, "_fastest_reported", False):
            return []
        error._fastest_reported = True  # type: ignore[attr-defined]
        folder = self.relpath(Path(getattr(error, "_fastest_conftest", "")).parent)
        return [collect_error(folder, error, self, conftest=True)]

    def hooks(self, name: str, nodeid: str) -> list[Any]:
        """Implementations of hook ``name`` that apply to ``nodeid``, in call order."""
        if name not in self.registry.defined:
            return []
        impls = self.registry.impls(name)
        return [i.function for i in reversed(impls) if i.baseid is None or visible(i.baseid, nodeid)]

    # -- files
    def collect_file(self, path: Path) -> tuple[list[Function], list[dict]]:
        nodeid = self.relpath(path)
        error = self.load_conftests(path.parent)
        if error is not None:
            return [], self.conftest_error(error)
        parent = self.dir_node(path.parent)
        module_node = Module(path.name, parent, nodeid, path)
        try:
            with warnings.catch_warnings(record=True) as caught:
                self._import_warning_filters()
                module = import_path(path)
            self._record_warnings(caught, "")
        except Skipped as exc:
            if not exc.allow_module_level:
                return [], [{"nodeid": nodeid, "message": "", "longrepr":
                             "Using pytest.skip outside of a test will skip the entire module. If that's "
                             "your intention, pass `allow_module_level=True`. If you want to skip a "
                             "specific test or an entire class, use the @pytest.mark.skip or "
                             "@pytest.mark.skipif decorators."}]
            self._record_module_skip(nodeid, exc)
            return [], []
        except ImportPathMismatchError as exc:
            name, found, wanted = exc.args
            return [], [{"nodeid": nodeid, "message": "", "longrepr":
                         f"import file mismatch:\nimported module '{name}' has this __file__ attribute:\n"
                         f"  {found}\nwhich is not the same as the test file we want to collect:\n  {wanted}\n"
                         "HINT: remove __pycache__ / .pyc files and/or use a unique basename for your test file modules"}]
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            limit = sandbox_limits.skip_reason(exc)
            if limit is not None:  # --sandbox-skip-unsupported: the module is skipped, as by pytest.skip
                self.skipped.append({"nodeid": nodeid, "path": nodeid, "lineno": _line_in(exc, str(path)),
                                     "reason": skip_report_text(limit)})
                return [], []
            return [], [collect_error(nodeid, exc, self, module_path=str(path))]
        self.imported.append(module.__name__)
        module_node.obj = module
        module_node.own_markers.extend(get_unpacked_marks(module))
        for m in module_node.own_markers:
            dict.__setitem__(module_node.keywords, m.name, m)
        try:
            items = self.collect_module(module_node)
        except Skipped as exc:
            self._record_module_skip(nodeid, exc)
            return [], []
        except BaseException as exc:  # noqa: BLE001
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            return [], [collect_error(nodeid, exc, self, module_path=str(path))]
        return items, []

    def _record_module_skip(self, nodeid: str, exc: Skipped) -> None:
        from .longrepr import crash_location
        path, lineno = crash_location(exc)
        self.skipped.append({"nodeid": nodeid, "path": self.relpath(path) if path else nodeid,
                             "lineno": lineno, "reason": skip_report_text(exc.msg)})

    def _import_warning_filters(self) -> None:
        """Inside ``catch_warnings``: every warning is recorded, and the ini's filterwarnings and -W
        hold at import too, as in pytest (under "error" a warning raised at import is a collection error)."""
        warnings.simplefilter("always")
        if warning_filters.enabled(self.config):
            warning_filters.apply_run(warning_filters.from_config(self.config))

    def _record_warnings(self, caught: list, nodeid: str) -> None:
        self.warnings.extend(warning_filters.record(w, nodeid) for w in caught)

    # -- modules and classes
    def collect_module(self, node: Module) -> list[Function]:
        module = node.obj
        if not getattr(module, "__test__", True):
            return []
        xunit.register_module_fixtures(self.manager, node)
        self.manager.parse(module, node.nodeid, config=self.config)
        return self.collect_members(node, [module.__dict__])

    def collect_members(self, parent: Node, namespaces: list[dict]) -> list[Function]:
        seen: set[str] = set()
        per_namespace: list[list[Function]] = []
        for namespace in namespaces:
            found: list[Function] = []
            for name, obj in list(namespace.items()):
                if name in _IGNORED or name in seen:
                    continue
                seen.add(name)
                found.extend(self.make_items(parent, name, obj))
            per_namespace.append(found)
        result: list[Function] = []
        for found in reversed(per_namespace):
            result.extend(found)
        return result

    def make_items(self, parent: Node, name: str, obj: Any) -> list[Function]:
        if inspect.isclass(obj):
            if unittest_support.is_testcase(obj):
                return unittest_support.collect_testcase(self, parent, name, obj)
            if (_matches(name, self.class_patterns) or getattr(obj, "__test__", False) is True) \
                    and not inspect.isabstract(obj):
                return self.collect_class(parent, name, obj)
            return []
        if not (_matches(name, self.function_patterns) or getattr(obj, "__test__", False) is True):
            return []
        raw = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
        if not callable(raw) or isinstance(raw, FixtureFunctionDefinition):
            return []
        if not (inspect.isfunction(raw) or inspect.isfunction(get_real_func(raw))):
            self._warn(parent, f"cannot collect {name!r} because it is not a function.", raw)
            return []
        if not getattr(raw, "__test__", True):
            return []
        if inspect.isgeneratorfunction(raw):
            item = self._make_function(parent, name, raw, None)
            reason = f"yield tests were removed in pytest 4.0 - {name} will be ignored"
            item.add_marker(MARK.xfail(run=False, reason=reason))
            self._warn(parent, reason, raw)
            return [item]
        return self.gen_functions(parent, name, raw)

    def _warn(self, parent: Node, message: str, obj: Any) -> None:
        code = getattr(get_real_func(obj), "__code__", None)
        self.warnings.append({"nodeid": parent.nodeid, "category": "PytestCollectionWarning",
                              "message": message, "filename": code.co_filename if code else str(parent.path),
                              "lineno": code.co_firstlineno if code else 0})

    def collect_class(self, parent: Node, name: str, cls: type) -> list[Function]:
        node = Class(name, parent, f"{parent.nodeid}::{name}", cls)
        if not getattr(cls, "__test__", True):
            return []
        for special in ("__init__", "__new__"):
            if getattr(cls, special, None) is not getattr(object, special):
                what = "__init__" if special == "__init__" else "__new__"
                self._warn_class(node, f"cannot collect test class {cls.__name__!r} because it has a "
                                       f"{what} constructor (from: {node.nodeid})", cls)
                return []
        xunit.register_class_fixtures(self.manager, node)
        if any(isinstance(v, FixtureFunctionDefinition) for k in cls.__mro__ for v in vars(k).values()):
            self.manager.parse(cls, node.nodeid, instance=cls(), config=self.config)
        return self.collect_members(node, [cls.__dict__, *(k.__dict__ for k in cls.__mro__)])

    def _warn_class(self, node: Node, message: str, cls: type) -> None:
        try:
            lineno = inspect.getsourcelines(cls)[1]
            filename = inspect.getsourcefile(cls) or ""
        except (OSError, TypeError):
            lineno, filename = 0, str(node.path)
        self.warnings.append({"nodeid": node.nodeid, "category": "PytestCollectionWarning",
                              "message": message, "filename": filename, "lineno": lineno})

    # -- functions
    def _make_function(self, parent: Node, name: str, func: Any, callspec: Any, originalname: str = "",
                       location: tuple[str, int | None, str] | None = None) -> Function:
        item = Function(name, parent, f"{parent.nodeid}::{name}", func, originalname or name, callspec)
        item.location = self._location(item, func) if location is None else location
        return item

    def _location(self, item: Function, func: Any) -> tuple[str, int | None, str]:
        real = get_real_func(func)
        lineno = getattr(func, "compat_co_firstlineno", None)
        path = str(item.path)
        code = getattr(real, "__code__", None)
        if lineno is None and code is not None:
            lineno = code.co_firstlineno - 1
            path = code.co_filename
        names = [n.name for n in item.listchain() if n.kind in ("class", "function")]
        return self.relpath(path), lineno, ".".join(names)

    def gen_functions(self, parent: Node, name: str, func: Any) -> list[Function]:
        definition = self._make_function(parent, name, func, None)
        cls = parent.obj if parent.kind == "class" else None
        module = definition.module
        marks = list(definition.iter_markers())
        direct = direct_parametrize_args(marks)
        argnames = getfuncargnames(func, name=name, cls=cls)
        chain_ids = list(dict.fromkeys(n.nodeid for n in parent.listchain()))
        usefixtures = [arg for m in marks if m.name == "usefixtures" for arg in m.args]
        initial = [*self.manager.autouse_names(chain_ids), *usefixtures, *argnames]
        names, arg2defs = closure(self.manager, initial, parent.nodeid, direct)
        metafunc = Metafunc(definition, names, self.config, cls, module, arg2defs)
        generate_hooks = []
        if hasattr(module, "pytest_generate_tests"):
            generate_hooks.append(module.pytest_generate_tests)
        if cls is not None and hasattr(cls, "pytest_generate_tests"):
            generate_hooks.append(cls().pytest_generate_tests)
        generate_hooks.extend(self.hooks("pytest_generate_tests", parent.nodeid))
        for hook in generate_hooks:
            call_hook(hook, metafunc=metafunc)
        parametrize_marks = [m for m in marks if m.name == "parametrize"]
        marked_names = {n for m in parametrize_marks for n in _mark_argnames(m)}
        for argname in names:
            defs = arg2defs.get(argname)
            if not defs or argname in marked_names:
                continue
            for fixturedef in reversed(defs):
                if fixturedef.params is not None:
                    metafunc.parametrize(argname, fixturedef.params, indirect=True,
                                         scope=fixturedef.scope, ids=fixturedef.ids)
                    break
                if argname not in fixturedef.argnames:
                    break
        for m in parametrize_marks:
            metafunc.parametrize(*m.args, **m.kwargs, _param_mark=m)
        if metafunc._direct - direct:
            names, arg2defs = closure(self.manager, initial, parent.nodeid, direct | metafunc._direct)
        if not metafunc._calls:
            items = [definition]
        else:
            items = []
            # Every variant has the definition's file and line; only the name at the end differs.
            path, lineno, dotted = definition.location
            prefix = dotted[:len(dotted) - len(name)]
            for spec in metafunc._calls:
                subname = f"{name}[{spec.id}]" if spec._idlist else name
                items.append(self._make_function(parent, subname, func, spec, name, (path, lineno, prefix + subname)))
        for item in items:
            item.fixturenames = list(names)
            item._arg2fixturedefs = dict(arg2defs)
            item._argnames = argnames
        return items


def _plugin_names(spec: Any) -> list[str]:
    """``pytest_plugins``: a module name, or a list of them."""
    return [spec] if isinstance(spec, str) else list(spec or ())


def _mark_argnames(m: Mark) -> list[str]:
    from .parametrize import parse_argnames
    argnames = m.args[0] if m.args else m.kwargs.get("argnames", ())
    return parse_argnames(argnames)[0]


def purge_modules(names: list[str]) -> None:
    """Forget imported test modules so that the next run imports them afresh."""
    for name in names:
        sys.modules.pop(name, None)
    importhook.invalidate_file_finders()


def _line_in(exc: BaseException, filename: str) -> int:
    """The last line of ``filename`` in the traceback of ``exc`` (1 when it has none)."""
    line, tb = 1, exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
