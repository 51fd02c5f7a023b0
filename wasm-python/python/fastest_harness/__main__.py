"""Native driver: ``python -m fastest_harness --rootdir DIR [--seed N] [-v] [--tb STYLE] PATH...``.

Runs configure -> collect -> run -> finish in this interpreter and prints one
JSON object per line: the CollectResult, each RunEvent, then the RunFinish.
Directories given as paths are searched for test files like pytest does.
A ``pytest.ini`` in the rootdir is read: its ``addopts`` come first, its other
values reach ``pytestconfig.getini``.
"""

from __future__ import annotations

import argparse
import configparser
import fnmatch
import json
import os
import shlex
import sys

_NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__")


def _find_tests(path: str, patterns: list[str], text_patterns: list[str], all_modules: bool) -> list[str]:
    if os.path.isfile(path):
        return [os.path.abspath(path)]
    found: list[str] = []
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.is_dir():
            if not any(fnmatch.fnmatch(entry.name, pat) for pat in _NORECURSE):
                found.extend(_find_tests(entry.path, patterns, text_patterns, all_modules))
        elif entry.name.endswith(".py"):
            if all_modules or any(fnmatch.fnmatch(entry.name, pat) for pat in patterns):
                found.append(os.path.abspath(entry.path))
        elif any(fnmatch.fnmatch(entry.name, pat) for pat in text_patterns):
            found.append(os.path.abspath(entry.path))
    return found


def _read_ini(rootdir: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.path.join(rootdir, "pytest.ini"))
    return dict(parser["pytest"]) if parser.has_section("pytest") else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fastest_harness")
    parser.add_argument("--rootdir", required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-v", "--verbose", action="count", default=0)
    parser.add_argument("-q", "--quiet", action="count", default=0)
    parser.add_argument("--tb", default="auto", choices=["auto", "long", "short", "line", "native", "no"])
    parser.add_argument("-l", "--showlocals", action="store_true")
    parser.add_argument("-s", dest="capture", action="store_const", const="no", default="fd")
    parser.add_argument("--capture", dest="capture", choices=["fd", "sys", "no"])
    parser.add_argument("--xfail-strict", action="store_true")
    parser.add_argument("--python-files", nargs="*", default=["test_*.py", "*_test.py"])
    parser.add_argument("--doctest-modules", action="store_true")
    parser.add_argument("--doctest-glob", action="append", default=[])
    parser.add_argument("--doctest-report", default="udiff")
    parser.add_argument("--doctest-continue-on-failure", action="store_true")
    parser.add_argument("-W", "--pythonwarnings", action="append", default=[])
    parser.add_argument("paths", nargs="+")
    argv = list(sys.argv[1:] if argv is None else argv)
    rootdir = os.path.abspath(parser.parse_known_args(argv)[0].rootdir)
    ini = _read_ini(rootdir)
    args = parser.parse_args(shlex.split(ini.get("addopts", "")) + argv)

    from . import api

    out = sys.stdout
    initial = [os.path.join(rootdir, p) if not os.path.isabs(p) else p for p in args.paths]
    config = {
        "rootdir": rootdir, "seed": args.seed, "verbosity": args.verbose - args.quiet,
        "tbStyle": args.tb, "showLocals": args.showlocals, "capture": args.capture,
        "pythonFiles": args.python_files, "pythonClasses": ["Test"], "pythonFunctions": ["test"],
        "xfailStrict": args.xfail_strict, "markers": [], "ini": ini, "args": list(args.paths),
        "initialPaths": initial, "pythonWarnings": args.pythonwarnings,
        "doctest": {"modules": args.doctest_modules, "globs": args.doctest_glob, "report": args.doctest_report,
                    "continueOnFailure": args.doctest_continue_on_failure},
    }
    api.configure(json.dumps(config))
    files: list[str] = []
    for path in initial:
        files.extend(_find_tests(path, args.python_files, args.doctest_glob or ["test*.txt"], args.doctest_modules))
    collected = api.collect(json.dumps(files))
    out.write(collected + "\n")
    nodeids = [item["nodeid"] for item in json.loads(collected)["items"]]
    api.run(json.dumps(nodeids), lambda event: out.write(event + "\n"))
    out.write(api.finish() + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
