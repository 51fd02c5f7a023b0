"""The ``pytest`` module as tests running under fastest see it.

It re-exports fastest_harness's implementation of pytest's public API; names
not provided raise AttributeError like any missing attribute.
"""

from fastest_harness.approx import approx
from fastest_harness.capture import CaptureFixture, CaptureResult, LogCaptureFixture
from fastest_harness.config import Config, Parser, PluginManager as PytestPluginManager
from fastest_harness.fixtures import FixtureDef, fixture
from fastest_harness.requests import FixtureLookupError, FixtureRequest
from fastest_harness.builtin_fixtures import Cache, TempPathFactory
from fastest_harness.items import Function, PytestCollectionWarning, PytestReturnNotNoneWarning
from fastest_harness.marks import HIDDEN_PARAM, Mark, MarkDecorator, MarkGenerator, mark, param
from fastest_harness.monkeypatch import MonkeyPatch
from fastest_harness.nodes import Class, Dir, Module, Node as Collector, Package, Session
from fastest_harness.plugin_nodes import CallInfo, File, Item, TestReport
from fastest_harness.outcomes import Exit, exit, fail, importorskip, skip, xfail
from fastest_harness.parametrize import Metafunc
from fastest_harness.raises import ExceptionInfo, WarningsRecorder, deprecated_call, raises, warns
from fastest_harness.raises_group import RaisesExc, RaisesGroup
from fastest_harness.stash import ExitCode, Pytester, Stash, StashKey
from fastest_harness.importhook import register_assert_rewrite
from fastest_harness.version import __version__, version_tuple
from fastest_harness.warnings_types import (
    PytestAssertRewriteWarning,
    PytestCacheWarning,
    PytestConfigWarning,
    PytestDeprecationWarning,
    PytestExperimentalApiWarning,
    PytestRemovedIn9Warning,
    PytestRemovedIn10Warning,
    PytestUnhandledThreadExceptionWarning,
    PytestUnknownMarkWarning,
    PytestUnraisableExceptionWarning,
    PytestWarning,
)

set_trace = None
Directory = Dir
FixtureRequest = FixtureRequest
RecordedHookCall = None
UsageError = type("UsageError", (Exception,), {"__module__": "pytest"})


def hookimpl(*args, **kwargs):
    """pluggy's hookimpl marker: keeps its options (``hookwrapper``, ``wrapper``,
    ``tryfirst``, ``trylast``) on the function, where the harness reads them."""
    def mark(func):
        func.pytest_impl = dict(kwargs)
        return func
    if args and callable(args[0]) and not kwargs:
        return mark(args[0])
    return mark


hookspec = hookimpl


def main(args=None, plugins=None):
    raise RuntimeError("pytest.main() is not available inside fastest")


__all__ = [name for name in dir() if not name.startswith("_")]
