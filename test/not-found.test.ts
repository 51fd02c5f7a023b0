import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

/**
 * Node ids on the command line that name no test: pytest reports each as
 * `ERROR: not found: ...` (with the deepest collector that exists) and exits
 * 4 without running anything, even the tests other arguments name.
 */
describe("node ids that match nothing", () => {
  const project = inlineFiles({
    "test_x.py": "def test_a():\n    pass\n",
    "test_y.py": [
      "import pytest",
      "class TestA:",
      "    def test_m(self):",
      "        pass",
      "@pytest.mark.parametrize('x', [1, 2])",
      "def test_p(x):",
      "    pass",
      "",
    ].join("\n"),
    "test_broken.py": "def test_b(:\n",
  });
  /** The summary line without its timing. */
  const summary = (stdout: string) => stdout.trim().split("\n").at(-1)!.replace(/ in [\d.]+s/, "").replace(/=/g, "").trim();

  it.each([
    [["test_x.py::nope"]],
    [["test_y.py::TestA::nope"]],
    [["test_y.py::test_p[3]"]],
    [["test_y.py::TestA::test_m::x"]],
    [["test_y.py::nope", "test_x.py::test_a", "test_x.py::missing"]],
    [["test_y.py::nope", "--collect-only", "-q"]],
    [["test_y.py::TestA::test_m", "test_y.py::test_p[2]", "test_x.py"]],
    [["test_broken.py::test_b"]],
  ])("%j: the same errors, summary and exit code as pytest", (args) => {
    const ours = runCli(["-p", "no:cacheprovider", ...args], project);
    const theirs = runPytest(args, project);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(summary(ours.stdout)).toBe(summary(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
  });
});
