"""The harness's calls as the WASI engine makes them (``wasm-python/wasi/engine.ts``).

A CPython built for WASI has no JavaScript FFI: the engine runs one line of
Python per call (``call("collect", "<json>")``) and reads back what this
module writes to the channel file descriptor, whose writes reach the engine
synchronously and whose reads the engine answers. One ``os.write`` is one
message; its first byte says what it is:

* ``R`` + JSON: the call's result (a JSON string, as ``api`` returns it; empty for none);
* ``E`` + JSON: one run event (``api.run``'s ``emit``);
* ``C`` + path NUL sha1 NUL data: one rewritten-code entry (``code_cache_export``);
* ``X`` + text: the call raised; the text is the traceback;
* ``Q`` + JSON ``[index, timeout]``: may the run start this item? The engine
  answers with one byte read back, ``1`` or ``0`` (``RunControl``);
* ``T``: was the interrupt just received a timeout? Answered like ``Q``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from typing import Any

from . import api

# The engine's channel descriptor (set when the snapshot is made: the fd table is rebuilt identically at restore).
FD = -1
# The exit status that tells the engine a test closed the channel (nothing can be reported then).
CHANNEL_LOST = 70
_os_write, _read, _dumps, _exit = os.write, os.read, json.dumps, os._exit


def _write(fd: int, data: bytes) -> None:
    try:
        _os_write(fd, data)
    except OSError:
        _exit(CHANNEL_LOST)


def _ask(message: bytes) -> bool:
    # Drop answers to questions a test may have written to the channel itself.
    while _read(FD, 64):
        pass
    _write(FD, message)
    return _read(FD, 1) == b"1"


def _emit(event: str) -> None:
    _write(FD, b"E" + event.encode("utf-8", "surrogatepass"))


def _proceed(index: int, timeout: float) -> bool:
    return _ask(b"Q" + _dumps([index, timeout]).encode())


def _timed_out() -> bool:
    return _ask(b"T")


def configure(config_json: str) -> str:
    config = json.loads(config_json)
    # Tests run where fastest was started, as under pytest (the Pyodide engine makes the folder from JavaScript).
    workdir = config.get("invocationDir")
    if workdir:
        os.makedirs(workdir, exist_ok=True)
        os.chdir(workdir)
    # The folder fastest was started in is importable, as under `python -m pytest`
    # (the oracle) and on the Pyodide engine, whose sys.path starts with "".
    if "" not in sys.path:
        sys.path.insert(0, "")
    return api.configure(config_json)


def run(nodeids_json: str, control: bool) -> None:
    api.run(nodeids_json, _emit, _proceed if control else None, _timed_out if control else None)


def load_code_cache(folder: str) -> None:
    """Preload the rewritten code the engine wrote as files into ``folder`` (removed afterwards)."""
    blobs = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        with open(path, "rb") as fh:
            blobs.append(fh.read())
        os.remove(path)
    os.rmdir(folder)
    api.code_cache_load(blobs)


def export_code_cache() -> None:
    for path, digest, data in api.code_cache_export():
        _write(FD, b"C" + path.encode("utf-8", "surrogatepass") + b"\0" + digest.encode() + b"\0" + bytes(data))


def boot(environment_json: str) -> str:
    """After a restore: lock the interpreter down (``lockdown``) and say what it is."""
    import sys

    from . import lockdown

    imported = lockdown.apply(json.loads(environment_json))
    return _dumps({"python": sys.version.split()[0], "imports": imported})


_CALLS: dict[str, Any] = {
    "boot": boot,
    "configure": configure, "collect": api.collect, "run": run, "finish": api.finish,
    "load_code_cache": load_code_cache, "export_code_cache": export_code_cache,
}


def call(name: str, *args: Any) -> None:
    """Run one harness call; its result (``R`` alone for none), or the traceback it
    raised, goes to the channel last: the engine takes the last ``R``/``X``, so
    one a test wrote to the channel itself is overridden."""
    try:
        result = _CALLS[name](*args)
    except BaseException as exc:  # noqa: BLE001 - reported to the engine, which raises it as a PythonError
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        _write(FD, b"X" + text.encode("utf-8", "surrogatepass"))
        return
    _write(FD, b"R" + (result or "").encode("utf-8", "surrogatepass"))
