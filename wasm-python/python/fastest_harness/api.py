"""The entry points the TypeScript engine calls. Every argument and result is a
JSON string; the shapes are those of ``core/protocol.ts``.

* ``configure(config_json) -> str``: takes a HarnessConfig, resets per-run
  state, returns ``{"python": ..., "pytest_shim": ...}``.
* ``collect(paths_json) -> str``: imports the given test files (conftests
  first) and returns a CollectResult. Extra key ``skipped``: modules skipped
  at import time (``pytest.skip(allow_module_level=True)``/``importorskip``),
  as ``{nodeid, path, lineno, reason}``.
* ``run(nodeids_json, emit) -> None``: runs collected items in the given
  order; ``emit`` receives one JSON RunEvent string at a time. Fixtures below
  session scope are torn down after the last item of each call. Optional
  ``proceed(i, timeout) -> bool`` is asked before the i-th item, with its
  timeout in seconds (0: none); false ends the run there (``RunControl`` in
  ``core/protocol.ts``), leaving teardown to ``finish``. Optional
  ``timed_out() -> bool`` tells a KeyboardInterrupt sent because the running
  item ran out of time (``core/item-progress.ts``) from Ctrl-C.
* ``finish() -> str``: tears down session fixtures, returns a RunFinish.

Importing this module imports everything the harness needs, so a memory
snapshot taken afterwards has no imports left to do.
"""

from __future__ import annotations

import contextlib
import io
import json
import operator
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

from . import assertutil, builtin_fixtures, importhook, itemdata, marks
from . import asyncsupport, doctests, importgraph, listings, setupshow, subtests, timeouts
from . import cov_measure, env_pytest, execution
from . import dependencies, sandbox_limits
from . import session_hooks
from . import imports
from .approx import ApproxBase
from .collect import Collector, purge_modules
from .config import Config, python_version
from .fixtures import FixtureManager
from .imports import call_hook
from .longrepr import exconly, format_exception
from .nodes import Session
from .outcomes import Exit

# CPython (3.11+) runs a Python call made from Python inside the same C-level
# interpreter loop; a call made through C (operator.call) starts a new one.
# Inside WebAssembly that matters: V8 swaps a function's baseline code for
# its optimised code only on the next entry (wasm has no on-stack
# replacement), so a whole run entered once from JavaScript before the loop
# was optimised would stay on the ~5x slower baseline code to its end.
_reenter = operator.call
from .reorder import reorder_items
from .runner import Runner
from .version import __version__
from . import warning_filters

# Imported here so that the snapshot holds them (user tests use them a lot).
import pytest  # noqa: F401  (the shim)
from . import guard

guard.keep_modules("pytest")

# Bound once: a test that replaces json.dumps must not silence every report after it.
_dumps = json.dumps
# Likewise for the clock timing each file's collection (a module may patch time at import).
_perf_counter = time.perf_counter


def _event_encoder() -> Callable[[Any], str]:
    """``json.dumps`` for run events, minus the encoder json builds on every
    call (a third of an event's encoding time in wasm). The events are the
    harness's own plain data, never circular."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _dumps

    def default(o: Any) -> Any:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    encode = make(None, default, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)
    join = "".join
    return lambda event: join(encode(event, 0))


_encode_event = _event_encoder()

_DEFAULT_CONFIG: dict[str, Any] = {
    "seed": 0, "verbosity": 0, "tbStyle": "auto", "showLocals": False, "capture": "fd",
    "pythonFiles": ["test_*.py", "*_test.py"], "pythonClasses": ["Test"], "pythonFunctions": ["test"],
    "xfailStrict": False, "markers": [], "ini": {}, "args": [],
}


class _State:
    config: Config | None = None
    raw: dict[str, Any] = {}
    session: Session | None = None
    collector: Collector | None = None
    doctest: doctests.Options | None = None
    runner: Runner | None = None
    # --pytest-from-env: the environment's pytest runs the tests (env_pytest.py).
    env: env_pytest.EnvPytest | None = None
    # pytest_sessionstart ran (once per configure, before the first collect).
    started: bool = False


_state = _State()


def configure(config_json: str) -> str:
    raw = {**_DEFAULT_CONFIG, **json.loads(config_json)}
    if _state.collector is not None:
        purge_modules(_state.collector.imported)
    if _state.env is not None:
        _state.env.close()
        _state.env = None
    if raw.get("pytestFromEnv"):
        _state.env = env_pytest.EnvPytest(raw)
        return json.dumps({"python": python_version(), "pytest": _state.env.pytest.__version__})
    rootdir = str(Path(raw["rootdir"]))
    raw["rootdir"] = rootdir
    config = Config(raw)
    session = Session(config)
    manager = FixtureManager()
    builtin_fixtures.register(manager, tuple(raw.get("disabledPlugins") or ()))
    session._fixturemanager = manager
    collector = Collector(session)
    session._collector = collector
    config._hook_registry = collector.registry
    config.pluginmanager._collector = collector
    runner = Runner(session, collector, raw)
    session._capture = runner.capture
    session._runner = runner
    session._setupstate = runner.setupstate
    session._tmp_path_factory = builtin_fixtures.TempPathFactory()
    assertutil.state["verbosity"] = int(raw.get("verbosity", 0))
    assertutil.state["approx_base"] = ApproxBase
    importhook.finder.patterns = list(raw.get("pythonFiles") or _DEFAULT_CONFIG["pythonFiles"])
    importhook.install()
    dependencies.install(raw.get("sitePackages"), raw.get("unavailableModules"))
    config.option.importmode = raw.get("importMode") or "prepend"
    imports.configure(config.option.importmode, rootdir, raw.get("ini") or {}, raw.get("inipath"))
    runner.capture.configure_logging(raw.get("logging"))
    if runner.capture.log_settings.live and not raw.get("collectOnly"):
        # pytest turns -v on for the test loop when live logging is on.
        config.option.verbose = max(1, config.option.verbose)
        assertutil.state["verbosity"] = max(1, assertutil.state["verbosity"])
    sandbox_limits.skip_unsupported = bool(raw.get("sandboxSkipUnsupported"))
    # Tests run in the folder the run started in, as under pytest.
    workdir = str(raw.get("invocationDir") or rootdir)
    if os.path.isdir(workdir):
        os.chdir(workdir)
    _state.raw, _state.config, _state.session = raw, config, session
    # pytest.mark checks names against the registered markers (--strict-markers).
    marks.mark._config = config
    _state.collector, _state.runner = collector, runner
    _state.started = False
    _state.doctest = doctests.Options(raw, config)
    asyncsupport.install()
    setupshow.state.enabled = bool(raw.get("setupShow"))
    setupshow.state.pending = []
    # --cov: measuring starts before the first collect, so module bodies count.
    if raw.get("coverage"):
        cov_measure.begin(raw["coverage"], rootdir)
    else:
        cov_measure.end()
    # --changed: which project functions each test runs (execution.py).
    if raw.get("recordExecution"):
        execution.begin(rootdir)
    else:
        execution.end()
    return json.dumps({"python": python_version(), "pytest_shim": __version__})


def _require() -> tuple[Session, Collector, Runner]:
    if _state.session is None or _state.collector is None or _state.runner is None:
        raise RuntimeError("fastest_harness.api.configure() must be called before collect/run/finish")
    return _state.session, _state.collector, _state.runner


def _keywords(item: Any, marks: list[Any]) -> list[str]:
    names: list[str] = []
    for node in item.listchain():
        if node.kind == "session" or node.kind in ("dir", "package") and node.parent.kind == "session":
            continue
        names.append(node.name)
    names.extend(sorted(item.listextrakeywords()))
    try:
        names.extend(vars(item.function))
    except TypeError:
        pass
    names.extend(m.name for m in marks)
    return list(dict.fromkeys(names))


def collect(paths_json: str) -> str:
    if _state.env is not None:
        return json.dumps(_state.env.collect(json.loads(paths_json)))
    session, collector, _runner = _require()
    paths = json.loads(paths_json)
    importhook.invalidate_file_finders()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    items: list[Any] = []
    errors: list[dict] = []
    durations: dict[str, float] = {}
    graph = importgraph.start(str(session.config.rootpath)) if _state.raw.get("recordImports") else None
    header: list[str] | None = None
    deselected: list[Any] = []
    try:
        if not _state.started:
            _state.started = True
            header = session_hooks.start(session, collector)
        hooked = bool(_state.raw.get("collectionHooks"))
        for path in paths:
            if collector.ignored_by_conftest(Path(path)):
                continue
            started = _perf_counter()
            with execution.collecting(path):
                found, failed = session_hooks.collect_path(collector, Path(path), _state.doctest, hooked)
            durations[path] = _perf_counter() - started
            items.extend(found)
            errors.extend(failed)
        defined = collector.registry.defined
        if "pytest_itemcollected" in defined:
            for item in items:
                collector.registry.call("pytest_itemcollected", item.nodeid, item=item)
        if "pytest_collection_modifyitems" in defined:
            session.config._deselected = deselected
            collector.registry.call("pytest_collection_modifyitems", None, session=session,
                                    config=session.config, items=items)
        items = reorder_items(items)
        if "pytest_collection_finish" in defined:
            session.items = items
            collector.registry.call("pytest_collection_finish", None, session=session)
    finally:
        if graph is not None:
            graph.stop()
        sys.stdout, sys.stderr = saved
    result_items = []
    for item in items:
        collector.items[item.nodeid] = item
        result_items.append(_item_data(item))
        if session.config.option.collectonly:
            result_items[-1]["nodes"] = itemdata.nodes(item, session.config.option.verbose >= 1)
    session.items = items
    session.testscollected = len(items)
    warned = collector.warnings if warning_filters.enabled(session.config) else []
    result = {"items": result_items, "errors": errors, "warnings": warned,
              "skipped": collector.skipped, "durations": durations}
    if graph is not None:
        result["imports"] = graph.result()
    # A conftest's pytest_deselected items: counted as deselected by the host, as pytest counts them.
    if deselected:
        result["deselected"] = [_item_data(item) for item in deselected]
    if header:
        result["reportHeader"] = header
    if collector.registry.impls("pytest_terminal_summary"):
        result["terminalSummary"] = True
    if collector.registry.unsupported:
        result["notices"] = session_hooks.unsupported_notices(collector)
    collector.warnings = []
    collector.skipped = []
    listing, verbose = _state.raw.get("listing"), int(_state.raw.get("verbosity", 0))
    workdir = str(_state.raw.get("invocationDir") or session.config.rootpath)
    if listing == "fixtures":
        result["listing"] = listings.fixtures(session._fixturemanager, workdir, verbose)
    elif listing == "fixtures-per-test":
        result["listing"] = listings.fixtures_per_test(items, workdir, verbose)
    return json.dumps(result)


def _item_data(item: Any) -> dict:
    marks = list(item.iter_markers())  # read once for the three fields below
    return {
        "nodeid": item.nodeid,
        "location": list(item.location),
        "markers": list(dict.fromkeys(m.name for m in marks)),
        "keywords": _keywords(item, marks),
        "marks": itemdata.marks(item, marks),
    }


def run(nodeids_json: str, emit: Callable[[str], Any], proceed: Callable[[int, float], Any] | None = None,
        timed_out: Callable[[], Any] | None = None) -> None:
    if _state.env is not None:
        return _state.env.run(json.loads(nodeids_json), emit, proceed, timed_out)
    session, collector, runner = _require()
    nodeids = json.loads(nodeids_json)
    items = []
    for nodeid in nodeids:
        item = collector.items.get(nodeid)
        if item is None:
            raise KeyError(f"unknown node id {nodeid!r}: run() only takes ids returned by collect()")
        items.append(item)
    send = lambda event: emit(_encode_event(event))  # noqa: E731
    if setupshow.state.enabled:
        setupshow.state.sink = lambda text: send({"type": "output", "stream": "stdout", "text": text})
    filters = warning_filters.from_config(session.config)
    catching = warning_filters.enabled(session.config)
    default_timeout = timeouts.parse(_state.raw.get("timeout") or 0, "--timeout")
    runner.timed_out = timed_out if timed_out is not None else (lambda: False)
    if items:
        # A run the host cut short (its later files went to another worker)
        # may have left their package set up: tear down what this run's
        # first item does not share, as pytest would between the two.
        try:
            runner.setupstate.teardown_exact(items[0].listchain())
        except BaseException as exc:  # noqa: BLE001 - reported with the session's teardown errors
            runner.deferred_errors.append(_teardown_error(runner, exc))
    # The run's own filters are the same for every item: set once (when the first
    # item starts, as before) under an outer catch_warnings; each item's copy of
    # them gets its marks. Only harness code runs between items.
    run_filters = contextlib.ExitStack()
    try:
        for i, item in enumerate(items):
            runner.item_timeout = timeouts.of_item(item, default_timeout)
            # -x/--maxfail: the host may stop the run before any item (RunControl);
            # it also starts the item's clock here.
            if proceed is not None and not proceed(i, runner.item_timeout):
                break
            nextitem = items[i + 1] if i + 1 < len(items) else None
            if catching and i == 0:
                run_filters.enter_context(warnings.catch_warnings())
                warning_filters.apply_run(filters)
            with warnings.catch_warnings(record=catching) as caught:
                if catching:
                    warning_filters.apply_item(item)
                try:
                    # Called through C, so each item enters the interpreter loop afresh (see _reenter).
                    with execution.test(item.nodeid):
                        _reenter(runner.run_item, item, nextitem, send)
                except Exit as exc:
                    # pytest.exit(): nothing more runs; finish() tears down what is set up.
                    send({"type": "exit", "nodeid": item.nodeid, "returncode": exc.returncode,
                          "message": f"_pytest.outcomes.Exit: {exc.msg}"})
                    break
            # --cov on 3.11: a test that set its own sys.settrace gets ours back after it.
            cov_measure.resume()
            for w in caught or ():
                send({"type": "warning", "warning": warning_filters.record(w, item.nodeid)})
    finally:
        run_filters.close()
    setupshow.state.sink = None


def finish(summary_json: str | None = None) -> str:
    if _state.env is not None:
        return json.dumps(_state.env.finish())
    session, collector, runner = _require()
    errors: list[dict] = runner.deferred_errors
    runner.deferred_errors = []
    summary = json.loads(summary_json) if summary_json else None
    try:
        session_hooks.session_finish(session, collector, summary)
    except BaseException as exc:  # noqa: BLE001 - reported as data
        errors.append(_teardown_error(runner, exc))
    try:
        runner.setupstate.teardown_exact([])
    except BaseException as exc:  # noqa: BLE001 - reported as data
        errors.append(_teardown_error(runner, exc))
    for cleanup in reversed(session.config._cleanup):
        try:
            cleanup()
        except Exception:  # noqa: BLE001
            pass
    session.config._cleanup.clear()
    result: dict[str, Any] = {"errors": errors, "warnings": []}
    cache = session.config.stash.get("cache")
    if cache is not None and cache.written:
        result["cacheWrites"] = dict(cache.written)
    if setupshow.state.enabled:
        result["output"] = setupshow.take_pending()
    suite_properties = session.stash.get("testsuite_properties", None)
    if suite_properties:
        result["suiteProperties"] = [[name, value] for name, value in suite_properties]
        del session.stash["testsuite_properties"]
    written = session_hooks.terminal_summary(session, collector, summary)
    try:
        session_hooks.unconfigure(session, collector)
    except BaseException as exc:  # noqa: BLE001 - reported as data
        errors.append(_teardown_error(runner, exc))
    if written:
        result["terminalSummary"] = written
    measured = cov_measure.take()
    if measured is not None:
        result["coverage"] = [measured]
    executed = execution.take()
    if executed is not None:
        result["execution"] = [executed]
    return json.dumps(result)


def _teardown_error(runner: Runner, exc: BaseException) -> dict:
    """A teardown failure outside any item's phases, as a session-level error of the last item run."""
    last = runner.last_item
    text = format_exception(exc, "long" if runner.tbstyle in ("auto", "no", "line") else runner.tbstyle,
                            rootdir=runner.display_dir, code=None, auto=runner.tbstyle == "auto",
                            path=str(last.path) if last is not None else None)
    return {"nodeid": last.nodeid if last is not None else "", "longrepr": text,
            "message": exconly(exc).split("\n")[0]}


def code_cache_load(blobs: Any) -> None:
    """Preload rewritten test code kept by the host (a list of byte strings,
    or a JS array of Uint8Array when called from the engine)."""
    importhook.preload([bytes(b.to_bytes()) if hasattr(b, "to_bytes") else bytes(b) for b in blobs])


def code_cache_export() -> list:
    """Rewritten code compiled since the last export, for the host to keep:
    ``[(path, source sha1, marshalled entry), ...]``."""
    return importhook.export_new()
