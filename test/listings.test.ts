/**
 * `--fixtures`, `--fixtures-per-test` and `--markers`: the listings against
 * real pytest's on the same tree. Built-in fixtures are listed where the
 * harness defines them (pytest points into its own `.../_pytest/` files),
 * so their ` -- location` is left out of the comparison.
 */
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const tree = {
  "pytest.ini": "[pytest]\nmarkers =\n    slow: marks tests as slow\n    db(name): needs a database\n    bare\n",
  "conftest.py": `
    import pytest

    @pytest.fixture(scope="session")
    def shared():
        """Shared by every test.

        A second paragraph, shown with -v."""
  `,
  "tests/test_one.py": `
    import pytest

    @pytest.fixture
    def documented(shared):
        """A fixture with a docstring."""

    @pytest.fixture(scope="module")
    def module_scoped():
        pass

    @pytest.fixture
    def _private():
        pass

    class TestGroup:
        @pytest.fixture
        def inner(self, documented):
            pass

        def test_inner(self, inner, _private, tmp_path):
            pass

    def test_uses(documented, capsys):
        pass

    def test_nothing():
        pass
  `,
};

/** Built-in fixtures' locations differ by design (see the file comment). */
const withoutBuiltinPaths = (text: string) => normalize(text).replace(/ -- \.\.\.\/\S+$/gm, " -- <builtin>");

/** Under -v pytest prints its built-in fixtures' whole docstrings; fastest keeps their summaries. */
const dropBuiltinDocs = (text: string) => text.replace(/( -- <builtin>\n)(    .*\n)+/g, "$1");

function expectSameListing(args: string[], from = (text: string) => text) {
  const dir = inlineFiles(tree);
  const ours = runCli(["-p", "no:cacheprovider", ...args], dir);
  const theirs = runPytest(args, dir);
  expect(ours.stderr).not.toMatch(/Traceback|Error:/);
  expect(from(withoutBuiltinPaths(ours.stdout))).toBe(from(withoutBuiltinPaths(theirs.stdout)));
  expect(ours.status).toBe(theirs.status);
}

describe("--fixtures", () => {
  it("lists built-in, conftest and module fixtures as pytest does", () => {
    expectSameListing(["--fixtures"]);
  });

  it("with -v also lists private fixtures and whole docstrings of the project's fixtures", () => {
    // Built-in fixtures keep their one-paragraph summaries under -v (see docs/COMPATIBILITY.md).
    expectSameListing(["--fixtures", "-v"], dropBuiltinDocs);
  });

  it("runs nothing and selects like a run", () => {
    expectSameListing(["--fixtures", "tests/test_one.py"]);
  });
});

describe("--fixtures-per-test", () => {
  it("lists the fixtures of each test, transitive ones included", () => {
    expectSameListing(["--fixtures-per-test"]);
    expectSameListing(["--fixtures-per-test", "-v"], dropBuiltinDocs);
  });
});

describe("--markers", () => {
  it("lists the ini's markers, then pytest's built-in ones", () => {
    const dir = inlineFiles(tree);
    const ours = runCli(["--markers"], dir);
    expect(ours.stdout).toBe(runPytest(["--markers"], dir).stdout);
    expect(ours.status).toBe(0);
  });
});
