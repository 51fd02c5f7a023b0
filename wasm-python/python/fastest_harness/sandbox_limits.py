"""What the WebAssembly sandbox cannot do, failing with a message that says so.

Inside Pyodide there are no threads, no processes and no ``SIGALRM`` timer,
and some compiled parts of the standard library are not built. Left alone,
a test that needs one of them fails with whatever the interpreter happens to
raise (``can't start new thread``, ``emscripten does not support
processes``, ``No module named '_multiprocessing'``, ``os.system`` returning
-1). ``install()`` makes each of those entry points raise one message that
names the limit and the way out, keeping the exception type a test might
catch (``RuntimeError`` for threads, as CPython raises when it cannot start
one; ``OSError`` for processes; ``ModuleNotFoundError`` for missing modules;
``AttributeError`` for the missing ``signal`` functions, so that
``hasattr(signal, "alarm")`` stays false).

Every such exception is a ``SandboxLimit``. With ``--sandbox-skip-unsupported``
(``skip_reason``), a test (or a test module, at import) that ends on one
is reported skipped with the limit as its reason instead of failed.
"""

from __future__ import annotations

import errno
import importlib.abc
import os
import signal
import sys
from typing import Any, Callable

WAY_OUT = (
    "Run it outside the sandbox with plain pytest, or pass --sandbox-skip-unsupported "
    "to report such tests as skipped."
)

THREADS = "threads cannot run inside the WebAssembly sandbox"
PROCESSES = "processes cannot be started inside the WebAssembly sandbox (there is no host process to run)"
SIGNAL_TIMERS = "the WebAssembly sandbox has no signal timers (signal.alarm, signal.setitimer): use --timeout or @pytest.mark.timeout for time limits"

# Parts of the standard library Pyodide does not build (checked by test/sandbox-limits.test.ts).
MISSING_STDLIB = {
    "_multiprocessing": "multiprocessing cannot start processes or share locks inside the WebAssembly sandbox",
    "_posixshmem": "multiprocessing's shared memory does not exist inside the WebAssembly sandbox",
    "_interpreters": "subinterpreters cannot run inside the WebAssembly sandbox",
    "_curses": "the WebAssembly sandbox's Python has no curses module (it needs a terminal library)",
    "curses": "the WebAssembly sandbox's Python has no curses module (it needs a terminal library)",
    "readline": "the WebAssembly sandbox's Python has no readline module",
    "_tkinter": "the WebAssembly sandbox's Python has no tkinter (there is no display)",
    "tkinter": "the WebAssembly sandbox's Python has no tkinter (there is no display)",
    "dbm": "the WebAssembly sandbox's Python has no dbm module",
    "_dbm": "the WebAssembly sandbox's Python has no dbm module",
    "_gdbm": "the WebAssembly sandbox's Python has no dbm module",
    "resource": "the WebAssembly sandbox's Python has no resource module (there are no process limits to read)",
    "pwd": "the WebAssembly sandbox's Python has no pwd module (there is no user database)",
    "grp": "the WebAssembly sandbox's Python has no grp module (there is no group database)",
    "syslog": "the WebAssembly sandbox's Python has no syslog module",
}

# Set by api.configure from the run's --sandbox-skip-unsupported.
skip_unsupported = False
_installed = False


class SandboxLimit:
    """Mixed into every exception raised because the sandbox cannot do something.

    ``limit`` is the short statement of what cannot be done (a skip's reason).
    """

    limit: str = ""


def message(what: str, limit: str) -> str:
    """The full text: what the test did, the limit, and the way out."""
    return f"fastest: {what}; {limit}. {WAY_OUT}"


class ThreadsUnsupported(RuntimeError, SandboxLimit):
    def __init__(self) -> None:
        super().__init__(message("this test started a thread", THREADS))
        self.limit = THREADS


class ProcessesUnsupported(OSError, SandboxLimit):
    def __init__(self, what: str) -> None:
        super().__init__(errno.ENOTSUP, message(what, PROCESSES))
        self.limit = PROCESSES


class ProcessPoolUnsupported(NotImplementedError, SandboxLimit):
    def __init__(self) -> None:
        super().__init__(message("this test started a ProcessPoolExecutor", PROCESSES))
        self.limit = PROCESSES


class ModuleUnavailable(ModuleNotFoundError, SandboxLimit):
    def __init__(self, name: str, limit: str) -> None:
        super().__init__(message(f"no module named '{name}' here", limit), name=name)
        self.limit = limit


class SignalTimerUnavailable(AttributeError, SandboxLimit):
    def __init__(self, name: str) -> None:
        super().__init__(f"module 'signal' has no attribute '{name}' ({message('this test used signal.' + name, SIGNAL_TIMERS)})",
                         name=name, obj=signal)
        self.limit = SIGNAL_TIMERS


# The exception classes print as builtins' would, e.g. "RuntimeError: fastest: ...".
for _cls, _base in ((ThreadsUnsupported, "RuntimeError"), (ProcessesUnsupported, "OSError"),
                    (ProcessPoolUnsupported, "NotImplementedError"), (ModuleUnavailable, "ModuleNotFoundError"),
                    (SignalTimerUnavailable, "AttributeError")):
    _cls.__module__ = "builtins"
    _cls.__name__ = _cls.__qualname__ = _base


def _refuse_thread(*_args: object, **_kwargs: object) -> Any:
    __tracebackhide__ = True
    raise ThreadsUnsupported()


def _refuse_process(what: str) -> Callable[..., Any]:
    def refuse(*_args: object, **_kwargs: object) -> Any:
        __tracebackhide__ = True
        raise ProcessesUnsupported(what)
    return refuse


class _MissingStdlibFinder(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: answers only for modules no other finder
    found (a project's own ``resource.py`` still wins). Only an import
    raises: a probe such as ``importlib.util.find_spec("readline")`` still
    gets None, so code checking for an optional module goes on as before."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        limit = MISSING_STDLIB.get(fullname)
        # The caller of importlib's _find_spec: _find_and_load_unlocked for `import` and import_module.
        if limit is not None and sys._getframe(2).f_code.co_name == "_find_and_load_unlocked":
            raise ModuleUnavailable(fullname, limit)
        return None


class _PatchOnImport(importlib.abc.MetaPathFinder):
    """Applies a patch to a module right after its first import, for the
    modules the snapshot does not hold already."""

    def __init__(self) -> None:
        self.patches: dict[str, Callable[[Any], None]] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        patch = self.patches.get(fullname)
        if patch is None:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None and spec.loader is not None:
                spec.loader = _PatchingLoader(spec.loader, patch)
                return spec
        return None


class _PatchingLoader(importlib.abc.Loader):
    def __init__(self, loader: Any, patch: Callable[[Any], None]) -> None:
        self._loader, self._patch = loader, patch

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        self._patch(module)

    def __getattr__(self, name: str) -> Any:  # get_source, get_filename...: the real loader's
        return getattr(self._loader, name)


def _patch_subprocess(module: Any) -> None:
    def refuse(self: Any, *_args: object, **_kwargs: object) -> None:
        __tracebackhide__ = True
        raise ProcessesUnsupported("this test started a subprocess")
    module.Popen.__init__ = refuse


def _patch_multiprocessing_process(module: Any) -> None:
    def refuse(self: Any) -> None:
        __tracebackhide__ = True
        raise ProcessesUnsupported("this test started a multiprocessing.Process")
    module.BaseProcess.start = refuse


def _patch_process_pool(module: Any) -> None:
    def refuse() -> None:
        __tracebackhide__ = True
        raise ProcessPoolUnsupported()
    module._check_system_limits = refuse


def _patch_asyncio(module: Any) -> None:
    async def refuse(self: Any, *_args: object, **_kwargs: object) -> None:
        __tracebackhide__ = True
        raise ProcessesUnsupported("this test started an asyncio subprocess")
    module.BaseEventLoop._make_subprocess_transport = refuse


_LAZY_PATCHES: dict[str, Callable[[Any], None]] = {
    "subprocess": _patch_subprocess,
    "multiprocessing.process": _patch_multiprocessing_process,
    "concurrent.futures.process": _patch_process_pool,
    "asyncio.base_events": _patch_asyncio,
}


def _signal_getattr(name: str) -> Any:
    if name in ("alarm", "setitimer"):
        raise SignalTimerUnavailable(name)
    raise AttributeError(f"module 'signal' has no attribute '{name}'", name=name, obj=signal)


def install() -> None:
    """Make each unsupported entry point raise its ``SandboxLimit`` (once per interpreter)."""
    global _installed
    if _installed:
        return
    _installed = True
    import _thread
    import threading

    threading._start_joinable_thread = _refuse_thread  # type: ignore[attr-defined]
    for name in ("start_new_thread", "start_new", "start_joinable_thread"):
        if hasattr(_thread, name):
            setattr(_thread, name, _refuse_thread)
    os.system = _refuse_process("this test ran os.system")
    if hasattr(os, "fork"):  # POSIX: posix.system is os.system by another name
        import posix
        posix.system = os.system
    for name in ("fork", "forkpty", "execv", "execve", "posix_spawn", "posix_spawnp"):
        if hasattr(os, name):
            setattr(os, name, _refuse_process(f"this test called os.{name}"))
    if not hasattr(signal, "alarm") and not hasattr(signal, "setitimer"):
        signal.__getattr__ = _signal_getattr  # type: ignore[attr-defined]
    lazy = _PatchOnImport()
    for name, patch in _LAZY_PATCHES.items():
        if name in sys.modules:
            patch(sys.modules[name])
        else:
            lazy.patches[name] = patch
    if lazy.patches:
        sys.meta_path.insert(0, lazy)
    sys.meta_path.append(_MissingStdlibFinder())


def limit_of(error: BaseException | None) -> str | None:
    """The sandbox limit ``error`` came from (itself or an exception it was
    raised from or while handling), or None."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, SandboxLimit):
            return error.limit
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


def skip_reason(error: BaseException | None) -> str | None:
    """With ``--sandbox-skip-unsupported``: the skip reason for a test that
    ended on ``error``, when the sandbox's limits are to blame."""
    if not skip_unsupported:
        return None
    limit = limit_of(error)
    return None if limit is None else f"fastest sandbox: {limit}"
