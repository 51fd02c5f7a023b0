"""pytest's built-in fixtures: tmp_path, monkeypatch, capsys & co, caplog,
recwarn, pytestconfig, record_property, cache, doctest_namespace, subtests."""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from .capture import CaptureFixture, LogCaptureFixture
from .fixtures import FixtureDef, FixtureManager
from .monkeypatch import MonkeyPatch
from .raises import WarningsRecorder
from .subtests import SubTests


class TempPathFactory:
    """``tmp_path_factory``: numbered temporary directories under one base."""

    __module__ = "_pytest.tmpdir"  # reprs read as pytest's

    def __init__(self, basetemp: Path | None = None) -> None:
        self._given = basetemp
        self._basetemp: Path | None = None

    def getbasetemp(self) -> Path:
        if self._basetemp is not None:
            return self._basetemp
        if self._given is not None:
            self._given.mkdir(parents=True, exist_ok=True)
            self._basetemp = self._given.resolve()
            return self._basetemp
        root = Path(os.environ.get("PYTEST_DEBUG_TEMPROOT") or tempfile.gettempdir()).resolve()
        try:
            import getpass
            user = getpass.getuser() or "unknown"
        except Exception:  # noqa: BLE001 - no user database in the sandbox
            user = "unknown"
        user = re.sub(r"[\W]", "_", user)
        parent = root / f"pytest-of-{user}"
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._basetemp = _numbered_dir(parent, "pytest-")
        return self._basetemp

    def mktemp(self, basename: str, numbered: bool = True) -> Path:
        basename = os.path.normpath(basename)
        if os.path.isabs(basename) or basename.startswith(".."):
            raise ValueError(f"{basename} is not a normalized and relative path")
        if not numbered:
            path = self.getbasetemp() / basename
            path.mkdir(mode=0o700)
            return path
        return _numbered_dir(self.getbasetemp(), basename)


def _numbered_dir(root: Path, prefix: str) -> Path:
    highest = -1
    for entry in root.iterdir() if root.exists() else ():
        name = entry.name
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            highest = max(highest, int(name[len(prefix):]))
    for n in range(highest + 1, highest + 100):
        path = root / f"{prefix}{n}"
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return path
    raise OSError(f"could not create a numbered directory with prefix {prefix!r} in {root}")


class LocalPath(os.PathLike):
    """What ``tmpdir`` returns: a small stand-in for pytest's ``LocalPath``
    (``py.path.local``) with its common methods; ``tmp_path`` is the full API."""

    __module__ = "_pytest._py.path"  # reprs read as pytest's

    def __init__(self, path: Any) -> None:
        self._path = Path(path)

    strpath = property(lambda self: str(self._path))
    basename = property(lambda self: self._path.name)
    dirname = property(lambda self: str(self._path.parent))
    ext = property(lambda self: self._path.suffix)
    purebasename = property(lambda self: self._path.stem)

    def __fspath__(self) -> str:
        return str(self._path)

    def __str__(self) -> str:
        return str(self._path)

    def __repr__(self) -> str:
        return f"local({str(self._path)!r})"

    def __eq__(self, other: object) -> bool:
        return os.fspath(self) == os.fspath(other) if isinstance(other, (str, os.PathLike)) else False

    def __hash__(self) -> int:
        return hash(str(self._path))

    def __truediv__(self, other: str) -> "LocalPath":
        return LocalPath(self._path / other)

    def join(self, *parts: str) -> "LocalPath":
        return LocalPath(self._path.joinpath(*parts))

    def dirpath(self) -> "LocalPath":
        return LocalPath(self._path.parent)

    def mkdir(self, *parts: str) -> "LocalPath":
        target = self._path.joinpath(*parts)
        target.mkdir()
        return LocalPath(target)

    def ensure(self, *parts: str, dir: bool = False) -> "LocalPath":
        target = self._path.joinpath(*parts)
        if dir:
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch()
        return LocalPath(target)

    def write(self, data: Any, mode: str = "w") -> None:
        with open(self._path, "wb" if isinstance(data, bytes) else mode) as fh:
            fh.write(data)

    def write_text(self, data: str, encoding: str = "utf-8") -> None:
        self._path.write_text(data, encoding=encoding)

    def read(self, mode: str = "r") -> Any:
        with open(self._path, mode) as fh:
            return fh.read()

    def read_text(self, encoding: str = "utf-8") -> str:
        return self._path.read_text(encoding=encoding)

    def exists(self) -> bool:
        return self._path.exists()

    def check(self, file: bool = False, dir: bool = False, exists: bool = True) -> bool:
        if file:
            return self._path.is_file()
        if dir:
            return self._path.is_dir()
        return self._path.exists() == exists

    def isdir(self) -> bool:
        return self._path.is_dir()

    def isfile(self) -> bool:
        return self._path.is_file()

    def listdir(self) -> list["LocalPath"]:
        return sorted((LocalPath(p) for p in self._path.iterdir()), key=str)

    def remove(self) -> None:
        import shutil
        shutil.rmtree(self._path) if self._path.is_dir() else self._path.unlink()

    def read_binary(self) -> bytes:
        return self._path.read_bytes()

    def write_binary(self, data: bytes) -> None:
        self._path.write_bytes(data)

    def relto(self, other: Any) -> str:
        try:
            return str(self._path.relative_to(os.fspath(other)))
        except ValueError:
            return ""

    def chdir(self) -> "LocalPath":
        old = LocalPath(os.getcwd())
        os.chdir(self._path)
        return old

    def size(self) -> int:
        return self._path.stat().st_size

    def __lt__(self, other: Any) -> bool:
        return os.fspath(self) < os.fspath(other)


LegacyPath = LocalPath


class Cache:
    """``cache``/``config.cache``: JSON values by key. The host hands in what
    ``<rootdir>/.fastest_cache/v/`` holds and writes back ``written`` after the run."""

    __module__ = "_pytest.cacheprovider"  # reprs read as pytest's

    def __init__(self, values: dict[str, str] | None = None) -> None:
        self._values: dict[str, str] = dict(values or {})
        self.written: dict[str, str] = {}
        self._dirs: Path | None = None

    def get(self, key: str, default: Any) -> Any:
        raw = self._values.get(key)
        if raw is None:
            return default
        try:
            return json.loads(raw)
        except ValueError:
            return default

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        self._values[key] = self.written[key] = text

    def mkdir(self, name: str) -> Path:
        if self._dirs is None:
            self._dirs = Path(tempfile.mkdtemp(prefix="pytest-cache-"))
        path = self._dirs / name
        path.mkdir(exist_ok=True)
        return path

    makedir = mkdir


def get_cache(config: Any) -> Cache:
    cache = config.stash.get("cache")
    if cache is None:
        cache = config.stash["cache"] = Cache(config._raw.get("cacheValues"))
    return cache


# -- fixture functions -------------------------------------------------------------

def _capture_fixture(binary: bool = False, tee: bool = False) -> Any:
    def fixture_func(request: Any) -> Any:
        fix = CaptureFixture(request.session._capture, binary=binary, tee=tee)
        fix._start()
        yield fix
        fix._stop()
    return fixture_func


def tmp_path_factory(request: Any) -> Any:
    return request.session._tmp_path_factory


def tmp_path(request: Any, tmp_path_factory: TempPathFactory) -> Path:
    name = re.sub(r"[\W]", "_", request.node.name)[:30]
    return tmp_path_factory.mktemp(name, numbered=True)


def tmpdir_factory(tmp_path_factory: TempPathFactory) -> Any:
    return tmp_path_factory


def tmpdir(tmp_path: Path) -> LocalPath:
    return LocalPath(tmp_path)


def monkeypatch() -> Any:
    patch = MonkeyPatch()
    yield patch
    patch.undo()


def caplog(request: Any) -> Any:
    fix = LogCaptureFixture(request.node, request.session._capture)
    yield fix
    fix._finalize()


def recwarn() -> Any:
    import warnings
    recorder = WarningsRecorder()
    with recorder:
        warnings.simplefilter("default")
        yield recorder


def pytestconfig(request: Any) -> Any:
    return request.config


def _junit_family(request: Any) -> str | None:
    """`junit_family` when the run writes JUnit XML (`--junitxml`), else None."""
    return request.config._raw.get("junitFamily")


def _warn_incompatibility_with_xunit2(request: Any, fixture_name: str) -> None:
    from .warnings_types import PytestWarning
    family = _junit_family(request)
    if family is not None and family not in ("xunit1", "legacy"):
        request.node.warn(PytestWarning(
            f"{fixture_name} is incompatible with junit_family '{family}' (use 'legacy' or 'xunit1')"))


def _check_record_param_type(param: str, value: Any) -> None:
    __tracebackhide__ = True
    if not isinstance(value, str):
        raise TypeError(f"{param} parameter needs to be a string, but {type(value).__name__} given")


def record_property(request: Any) -> Any:
    _warn_incompatibility_with_xunit2(request, "record_property")

    def append_property(name: str, value: Any) -> None:
        request.node.user_properties.append((name, value))
    return append_property


def record_xml_attribute(request: Any) -> Any:
    from .warnings_types import PytestExperimentalApiWarning
    request.node.warn(PytestExperimentalApiWarning("record_xml_attribute is an experimental feature"))
    _warn_incompatibility_with_xunit2(request, "record_xml_attribute")

    def record(name: str, value: Any) -> None:
        # Sent with the item's result; the host's JUnit writer sets them on its <testcase>.
        if _junit_family(request) is not None:
            request.node.stash.setdefault("xml_attributes", []).append((str(name), str(value)))
    return record


def record_testsuite_property(request: Any) -> Any:
    __tracebackhide__ = True

    def record(name: str, value: Any) -> None:
        __tracebackhide__ = True
        _check_record_param_type("name", name)
        # Sent when the worker finishes (RunFinish.suiteProperties): each worker's session has its own.
        if _junit_family(request) is not None:
            request.session.stash.setdefault("testsuite_properties", []).append((name, str(value)))
    return record


def doctest_namespace() -> dict:
    return {}


def cache(request: Any) -> Cache:
    return get_cache(request.config)


def subtests(request: Any) -> SubTests:
    return SubTests(request)


_BUILTINS: list[tuple[str, Any, str]] = [
    ("cache", cache, "function"),
    ("capfd", _capture_fixture(), "function"),
    ("capfdbinary", _capture_fixture(binary=True), "function"),
    ("caplog", caplog, "function"),
    ("capsys", _capture_fixture(), "function"),
    ("capsysbinary", _capture_fixture(binary=True), "function"),
    ("capteesys", _capture_fixture(tee=True), "function"),
    ("doctest_namespace", doctest_namespace, "session"),
    ("monkeypatch", monkeypatch, "function"),
    ("pytestconfig", pytestconfig, "session"),
    ("record_property", record_property, "function"),
    ("record_testsuite_property", record_testsuite_property, "session"),
    ("record_xml_attribute", record_xml_attribute, "function"),
    ("recwarn", recwarn, "function"),
    ("subtests", subtests, "function"),
    ("tmp_path", tmp_path, "function"),
    ("tmp_path_factory", tmp_path_factory, "session"),
    ("tmpdir", tmpdir, "function"),
    ("tmpdir_factory", tmpdir_factory, "session"),
]


def register(manager: FixtureManager, disabled: tuple[str, ...] = ()) -> None:
    for name, func, scope in _BUILTINS:
        if name == "cache" and "cacheprovider" in disabled:
            continue
        manager.add(FixtureDef(name, func, scope, None, None, False, "", has_location=False))
