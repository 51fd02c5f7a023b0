"""Native driver: ``python -m fastest_harness --rootdir DIR [--seed N] [-v] [--tb STYLE] PATH...``.

Runs configure -> collect -> run -> finish in this interpreter and prints one
JSON object per line: the CollectResult, each RunEvent, then the RunFinish.
Directories given as paths are searched for test files like pytest does.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import sys

_NORECURSE = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}", "__pycache__")


def _find_tests(path: str, patterns: list[str]) -> list[str]:
    if os.path.isfile(path):
        return [os.path.abspath(path)]
    found: list[str] = []
    for entry in sorted(os.scandir(path), key=lambda e: e.name):
        if entry.is_dir():
            if not any(fnmatch.fnmatch(entry.name, pat) for pat in _NORECURSE):
                found.extend(_find_tests(entry.path, patterns))
        elif any(fnmatch.fnmatch(entry.name, pat) for pat in patterns):
            found.append(os.path.abspath(entry.path))
    return found


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
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)

    from . import api

    out = sys.stdout
    rootdir = os.path.abspath(args.rootdir)
    config = {
        "rootdir": rootdir, "seed": args.seed, "verbosity": args.verbose - args.quiet,
        "tbStyle": args.tb, "showLocals": args.showlocals, "capture": args.capture,
        "pythonFiles": args.python_files, "pythonClasses": ["Test"], "pythonFunctions": ["test"],
        "xfailStrict": args.xfail_strict, "markers": [], "ini": {}, "args": list(args.paths),
    }
    api.configure(json.dumps(config))
    files: list[str] = []
    for path in args.paths:
        files.extend(_find_tests(os.path.join(rootdir, path) if not os.path.isabs(path) else path,
                                 args.python_files))
    collected = api.collect(json.dumps(files))
    out.write(collected + "\n")
    nodeids = [item["nodeid"] for item in json.loads(collected)["items"]]
    api.run(json.dumps(nodeids), lambda event: out.write(event + "\n"))
    out.write(api.finish() + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
