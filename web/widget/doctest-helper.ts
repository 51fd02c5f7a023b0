/**
 * The Python module a doctest widget runs (`docs_doctest.py` in the example's
 * workspace). It checks a block with the standard library's doctest: its
 * parser, its output checker and the option directives an example carries
 * (`# doctest: +ELLIPSIS`, `+NORMALIZE_WHITESPACE`, `+SKIP`, ...). Every
 * example is checked, also after a failure, and recorded; the records are
 * printed as one JSON line that starts with a marker holding a random nonce
 * (so nothing a test prints can pass for it), and the test fails, with
 * doctest's "Expected / Got" text, when an example failed.
 */

/** The module's file name in the workspace, and the name examples import it by. */
export const doctestHelperFile = "docs_doctest.py";

/** `docs_doctest.py` for one run; `marker` starts the JSON line the widget reads back. */
export function doctestHelperSource(marker: string): string {
  return `"""Checks one documentation example with doctest, as the docs widget does.

Each example of the text is run and compared by the standard library's
doctest; the outcome of every example is printed on one line (for the
widget), and the test fails when an example failed.
"""
import doctest
import json
import traceback

import pytest

REPORT_MARKER = ${JSON.stringify(marker)}


class RecordingRunner(doctest.DocTestRunner):
    """A doctest runner that keeps each example's outcome instead of printing it."""

    def __init__(self, optionflags=0):
        super().__init__(verbose=False, optionflags=optionflags)
        self.records = {}

    def report_start(self, out, test, example):
        pass

    def report_success(self, out, test, example, got):
        self._record(test, example, "passed", got)

    def report_failure(self, out, test, example, got):
        self._record(test, example, "failed", got)

    def report_unexpected_exception(self, out, test, example, exc_info):
        exc_type, exc, tb = exc_info
        # The first frame is doctest's own exec() call.
        got = "".join(traceback.format_exception(exc_type, exc, tb.tb_next if tb else None))
        self._record(test, example, "failed", got)

    def _record(self, test, example, state, got):
        self.records[id(example)] = {"state": state, "got": got}


def _setup_globals(setup):
    """The names \`from setup import *\` would bring in."""
    if setup is None:
        return {}
    names = getattr(setup, "__all__", None)
    if names is None:
        names = [name for name in vars(setup) if not name.startswith("_")]
    return {name: getattr(setup, name) for name in names}


def _prompted(source):
    lines = source.rstrip("\\n").split("\\n")
    return "\\n".join((">>> " if i == 0 else "... ") + line for i, line in enumerate(lines))


def run_doctest(text, setup=None, name="example", optionflags=0):
    """Run the doctest examples in \`text\` in a fresh namespace holding the setup module's names."""
    text = text.lstrip("\\n")
    globs = {"__name__": "__main__", **_setup_globals(setup)}
    test = doctest.DocTestParser().get_doctest(text, globs, name, f"<{name}>", 0)
    if not test.examples:
        pytest.skip("no >>> examples in this block")
    runner = RecordingRunner(optionflags)
    runner.run(test, out=lambda _text: None, clear_globs=True)
    examples = []
    for example in test.examples:
        record = runner.records.get(id(example), {"state": "skipped", "got": ""})
        examples.append({
            "line": example.lineno + 1,
            "source": _prompted(example.source),
            "want": example.want,
            "got": record["got"],
            "state": record["state"],
        })
    print(REPORT_MARKER + json.dumps({"examples": examples}))
    failed = [example for example in examples if example["state"] == "failed"]
    if failed:
        lines = [f"{len(failed)} of {len(examples)} examples failed"]
        for example in failed:
            lines.append(f"line {example['line']}:")
            lines.append(example["source"])
            lines.append("Expected:")
            lines.append(_indent(example["want"]) if example["want"] else "    Nothing")
            lines.append("Got:")
            lines.append(_indent(example["got"]) if example["got"] else "    Nothing")
        pytest.fail("\\n".join(lines), pytrace=False)


def _indent(text):
    return "\\n".join("    " + line for line in text.rstrip("\\n").split("\\n"))
`;
}
