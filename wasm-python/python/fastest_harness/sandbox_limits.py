"""What the WebAssembly sandbox cannot do, failing with a message that says so.

Inside either engine's Python (Pyodide, and CPython built for WASI with
``--engine wasi``) there are no threads, no processes and no ``SIGALRM``
timer, and some compiled parts of the standard library are not built. Left
alone, a test that needs one of them fails with whatever the interpreter
happens to raise (``can't start new thread``, ``emscripten does not support
processes``, ``No module named '_multiprocessing'``, ``os.system`` returning
-1, ``module 'os' has no attribute 'fork'``). ``install()`` makes each of
those entry points raise one message that names the limit and the way out,
keeping the exception type a test might catch (``RuntimeError`` for threads,
as CPython raises when it cannot start one; ``OSError`` for processes;
``ModuleNotFoundError`` for missing modules; ``AttributeError`` for the
functions this platform's ``os`` and ``signal`` lack, so that
``hasattr(signal, "alarm")`` and, on WASI, ``hasattr(os, "fork")`` stay
false). Where only the WASI engine lacks something, the message says to run
on the default engine.

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

from . import patch_on_import

WAY_OUT = (
    "Run it outside the sandbox with plain pytest, or pass --sandbox-skip-unsupported "
    "to report such tests as skipped."
)

THREADS = "threads cannot run inside the WebAssembly sandbox"
PROCESSES = "processes cannot be started inside the WebAssembly sandbox (there is no host process to run)"
# sys.executable inside the sandbox: no file, here or on the host (the engines' own
# values named fastest's worker script on the host, or nothing).
SANDBOX_EXECUTABLE = "/fastest-sandbox/bin/python3"
RUNS_EXECUTABLE = (f"this test started a subprocess running sys.executable ({SANDBOX_EXECUTABLE} names the "
                   "sandbox's own Python, which has no program file to start)")
SIGNAL_TIMERS = "the WebAssembly sandbox has no signal timers (signal.alarm, signal.setitimer): use --timeout or @pytest.mark.timeout for time limits"

# Parts of the standard library neither engine builds (checked by test/sandbox-limits.test.ts and
# test/sandbox-limits-wasi.test.ts; _interpreters is 3.14's name, _xxsubinterpreters 3.11's).
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
    "_xxsubinterpreters": "subinterpreters cannot run inside the WebAssembly sandbox",
}


def _not_in_wasi_build(module: str) -> str:
    return f"{module} is not in the WASI engine's build (run on the default engine: leave out --engine wasi)"


# Parts of the standard library the WASI engine's build lacks and Pyodide has
# (wasm-python/wasi/README.md; checked by test/sandbox-limits-wasi.test.ts).
MISSING_ON_WASI = {
    "sqlite3": _not_in_wasi_build("sqlite3"),
    "_sqlite3": _not_in_wasi_build("sqlite3"),
    "_ssl": _not_in_wasi_build("ssl"),
    "ctypes": _not_in_wasi_build("ctypes"),
    "_ctypes": _not_in_wasi_build("ctypes"),
    "_bz2": _not_in_wasi_build("bz2"),
    "_lzma": _not_in_wasi_build("lzma"),
    "mmap": _not_in_wasi_build("mmap"),
    "fcntl": _not_in_wasi_build("fcntl"),
    "termios": _not_in_wasi_build("termios"),
}

# os functions that start a process: refused where they exist (Pyodide); where
# they do not (WASI), they stay missing and an attempt names the limit.
_PROCESS_FUNCTIONS = ("fork", "forkpty", "execv", "execve", "posix_spawn", "posix_spawnp",
                      "spawnv", "spawnve", "spawnvp", "spawnvpe", "spawnl", "spawnle", "spawnlp", "spawnlpe")
# os.py's own exec functions, which call os.execv/os.execve (a NameError where those are missing).
_EXEC_WRAPPERS = ("execl", "execle", "execlp", "execlpe", "execvp", "execvpe")

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
    def __init__(self, what: str = "this test started a thread") -> None:
        super().__init__(message(what, THREADS))
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


class FunctionUnavailable(AttributeError, SandboxLimit):
    """A function this platform's ``module`` lacks (``signal.alarm``; ``os.fork`` on WASI)."""

    def __init__(self, module: Any, name: str, what: str, limit: str) -> None:
        super().__init__(f"module '{module.__name__}' has no attribute '{name}' ({message(what, limit)})",
                         name=name, obj=module)
        self.limit = limit


# The exception classes print as builtins' would, e.g. "RuntimeError: fastest: ...".
for _cls, _base in ((ThreadsUnsupported, "RuntimeError"), (ProcessesUnsupported, "OSError"),
                    (ProcessPoolUnsupported, "NotImplementedError"), (ModuleUnavailable, "ModuleNotFoundError"),
                    (FunctionUnavailable, "AttributeError")):
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

    def __init__(self, missing: dict[str, str]) -> None:
        self.missing = missing

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        limit = self.missing.get(fullname)
        # The caller of importlib's _find_spec: _find_and_load_unlocked for `import` and import_module.
        if limit is not None and sys._getframe(2).f_code.co_name == "_find_and_load_unlocked":
            raise ModuleUnavailable(fullname, limit)
        return None


def _runs_executable(args: Any, executable: Any) -> bool:
    """Whether a ``Popen(args, executable=...)`` would run ``sys.executable``."""
    try:
        if executable is None:
            executable = args if isinstance(args, (str, bytes, os.PathLike)) else next(iter(args), None)
        program = os.fsdecode(executable)
    except TypeError:
        return False
    # A shell command line starts with it: "python -c ...".
    return program == sys.executable or (isinstance(args, str) and program.startswith(sys.executable + " "))


def _patch_subprocess(module: Any) -> None:
    def refuse(self: Any, args: Any = (), *_args: object, **kwargs: object) -> None:
        __tracebackhide__ = True
        runs_python = bool(sys.executable) and _runs_executable(args, kwargs.get("executable"))
        raise ProcessesUnsupported(RUNS_EXECUTABLE if runs_python else "this test started a subprocess")
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


def _patch_futures(module: Any) -> None:
    """Where ``concurrent.futures.process`` cannot be imported (the WASI
    engine's build lacks ``_multiprocessing``), ``ProcessPoolExecutor`` is a
    class whose constructor raises ``ProcessPoolUnsupported``, as on Pyodide."""
    original = module.__getattr__

    def __getattr__(name: str) -> Any:
        if name != "ProcessPoolExecutor":
            return original(name)
        try:
            return original(name)
        except ModuleUnavailable:
            pass

        class ProcessPoolExecutor(module._base.Executor):  # type: ignore[name-defined]
            def __init__(self, *_args: object, **_kwargs: object) -> None:
                __tracebackhide__ = True
                raise ProcessPoolUnsupported()

        ProcessPoolExecutor.__module__ = "concurrent.futures.process"
        module.ProcessPoolExecutor = ProcessPoolExecutor
        return ProcessPoolExecutor

    module.__getattr__ = __getattr__


def _patch_faulthandler(module: Any) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        __tracebackhide__ = True
        raise ThreadsUnsupported("this test started a thread (faulthandler.dump_traceback_later's watchdog)")
    module.dump_traceback_later = refuse


_LAZY_PATCHES: dict[str, Callable[[Any], None]] = {
    "subprocess": _patch_subprocess,
    "multiprocessing.process": _patch_multiprocessing_process,
    "concurrent.futures.process": _patch_process_pool,
    "asyncio.base_events": _patch_asyncio,
    "concurrent.futures": _patch_futures,
    "faulthandler": _patch_faulthandler,
}


def _missing_functions(module: Any, limits: dict[str, tuple[str, str]]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for the functions ``limits`` names (what the test did, the limit)."""
    def __getattr__(name: str) -> Any:
        __tracebackhide__ = True
        found = limits.get(name)
        if found is not None:
            raise FunctionUnavailable(module, name, *found)
        raise AttributeError(f"module '{module.__name__}' has no attribute '{name}'", name=name, obj=module)
    return __getattr__


def install() -> None:
    """Make each unsupported entry point raise its ``SandboxLimit`` (once per interpreter)."""
    global _installed
    if _installed:
        return
    _installed = True
    import _thread
    import threading

    sys.executable = sys._base_executable = SANDBOX_EXECUTABLE  # type: ignore[attr-defined]
    sys.orig_argv = [SANDBOX_EXECUTABLE]
    for name in ("_start_joinable_thread", "_start_new_thread"):  # Python 3.13+, 3.11-3.12
        if hasattr(threading, name):
            setattr(threading, name, _refuse_thread)
    for name in ("start_new_thread", "start_new", "start_joinable_thread"):
        if hasattr(_thread, name):
            setattr(_thread, name, _refuse_thread)
    os.system = _refuse_process("this test ran os.system")
    if hasattr(os, "fork"):  # POSIX: posix.system is os.system by another name
        import posix
        posix.system = os.system
    missing: dict[str, tuple[str, str]] = {}
    for name in _PROCESS_FUNCTIONS:
        if hasattr(os, name):
            setattr(os, name, _refuse_process(f"this test called os.{name}"))
        else:
            missing[name] = (f"this test called os.{name}", PROCESSES)
    if missing:
        os.__getattr__ = _missing_functions(os, missing)  # type: ignore[attr-defined]
    if not hasattr(os, "execv"):
        for name in _EXEC_WRAPPERS:
            setattr(os, name, _refuse_process(f"this test called os.{name}"))
    if not hasattr(signal, "alarm") and not hasattr(signal, "setitimer"):
        signal.__getattr__ = _missing_functions(  # type: ignore[attr-defined]
            signal, {name: (f"this test used signal.{name}", SIGNAL_TIMERS) for name in ("alarm", "setitimer")})
    patch_on_import.install(_LAZY_PATCHES)
    sys.meta_path.append(_MissingStdlibFinder({**MISSING_STDLIB, **(MISSING_ON_WASI if sys.platform == "wasi" else {})}))


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
