"""Write the WASI engine's standard library archive (run by build.sh).

Usage: stdlib-zip.py LIB_DIR SYSCONFIGDATA_PY OUT_ZIP

The archive is mounted at ``ARCHIVE_PATH`` in the sandbox; compiled code names
its files there, as zipimport names ``__file__``, so tracebacks find the source.

Keeps every pure-Python module that can work without the modules this build
lacks, as .py (tracebacks and ``inspect`` read it) plus an unchecked-hash .pyc
(zipimport loads it without compiling). Entries are sorted and dated
1980-01-01, so the same sources give the same bytes.
"""

from __future__ import annotations

import os
import py_compile
import sys
import tempfile
import zipfile

# Top-level names left out: tests, GUIs, installers, and wrappers around C
# modules this build does not have (_ctypes, _sqlite3, _curses, _tkinter...).
EXCLUDED_TOP = {
    "test", "idlelib", "tkinter", "turtledemo", "turtle.py", "ensurepip",
    "lib2to3", "pydoc_data", "venv", "msilib", "ctypes", "sqlite3", "curses",
    "dbm", "site-packages", "__phello__", "__hello__.py", "antigravity.py",
    "this.py", "_aix_support.py", "_osx_support.py", "_bootsubprocess.py",
}
# Sub-folders left out wherever they are (packages' own test suites).
EXCLUDED_DIRS = {"test", "tests", "idle_test", "__pycache__"}
ARCHIVE_PATH = "/lib/python311.zip"


def wanted(rel: str) -> bool:
    parts = rel.split("/")
    if parts[0] in EXCLUDED_TOP:
        return False
    if any(p in EXCLUDED_DIRS for p in parts[:-1]):
        return False
    return rel.endswith(".py")


def main(lib: str, sysconfigdata: str, out: str) -> None:
    sources: dict[str, str] = {}
    for root, dirs, files in os.walk(lib):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, lib).replace(os.sep, "/")
            if wanted(rel):
                sources[rel] = path
    sources[os.path.basename(sysconfigdata)] = sysconfigdata

    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(out, "w") as zf:
        for rel in sorted(sources):
            path = sources[rel]
            add(zf, rel, open(path, "rb").read())
            pyc = os.path.join(tmp, "m.pyc")
            try:
                py_compile.compile(
                    path, cfile=pyc, dfile=f"{ARCHIVE_PATH}/{rel}", doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
            except py_compile.PyCompileError:
                continue  # a module with syntax for another Python: keep the .py only
            add(zf, rel[:-3] + ".pyc", open(pyc, "rb").read())
    print(f"{out}: {len(sources)} modules, {os.path.getsize(out)} bytes")


def add(zf: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, data, compresslevel=9)


if __name__ == "__main__":
    main(*sys.argv[1:])
