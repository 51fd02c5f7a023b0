/**
 * GitHub Actions annotations through the CLI: with `GITHUB_ACTIONS=true`
 * every failure, error and collection error becomes one `::error` workflow
 * command on stderr, naming the file from the repository root and the line
 * of the test's failing frame; stdout (pytest's report) stays as it was.
 * Decoding the commands back (as the Actions runner does) must give the
 * original text, whatever `%`, `:`, `,` or newlines it holds.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { escapeData, escapeProperty, failureLine } from "../core/reporters/github.js";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

interface Annotation {
  file: string;
  line: number;
  title: string;
  message: string;
}

/** The runner's unescaping (actions/runner's ActionCommand): `%25` last, so `%253A` stays `%3A`. */
const unescape = (text: string) => text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%3A/g, ":").replace(/%2C/g, ",").replace(/%25/g, "%");

function annotations(stderr: string): Annotation[] {
  return stderr
    .split("\n")
    .filter((line) => line.startsWith("::"))
    .map((line) => {
      const match = /^::error ([^:]*)::(.*)$/.exec(line);
      if (!match) throw new Error(`not an ::error command: ${line}`);
      const props = Object.fromEntries(match[1]!.split(",").map((pair) => pair.split("=", 2).map(unescape) as [string, string]));
      return { file: props["file"]!, line: Number(props["line"]), title: props["title"]!, message: unescape(match[2]!) };
    });
}

const files = {
  "tests/helpers.py": `
    def check(x):
        assert x == 1, "helper says no"
  `,
  "tests/test_gh.py": `
    import pytest
    from helpers import check

    def test_ok():
        pass

    def test_in_helper():
        x = 2
        check(x)

    def test_tricky_text():
        pytest.fail("50% done, a:b\\n::warning::not a command", pytrace=False)

    @pytest.fixture
    def bad():
        raise ValueError("fixture broke")

    def test_setup_error(bad):
        pass

    @pytest.mark.xfail(reason="known", strict=True)
    def test_strict_xpass():
        pass
  `,
  "tests/test_broken.py": "def oops(:\n",
};

describe("GitHub Actions annotations", () => {
  it("one ::error per failure, at the test's own frame, decodable to the original text", () => {
    const dir = inlineFiles(files);
    const run = runCli(["-n", "1", "--continue-on-collection-errors"], dir, { GITHUB_ACTIONS: "true" });
    expect(run.status).toBe(1);
    const found = annotations(run.stderr);
    expect(found.map(({ file, line, title }) => ({ file, line, title }))).toEqual([
      { file: "tests/test_broken.py", line: 1, title: "ERROR collecting tests/test_broken.py" },
      // The test's frame (line 9), not the helper's assert in helpers.py.
      { file: "tests/test_gh.py", line: 9, title: "FAILED tests/test_gh.py::test_in_helper" },
      // No traceback (pytrace=False): where the test is defined.
      { file: "tests/test_gh.py", line: 11, title: "FAILED tests/test_gh.py::test_tricky_text" },
      { file: "tests/test_gh.py", line: 16, title: "ERROR at setup of tests/test_gh.py::test_setup_error" },
      { file: "tests/test_gh.py", line: 21, title: "FAILED tests/test_gh.py::test_strict_xpass" },
    ]);
    expect(found[1]!.message).toMatch(/^AssertionError: helper says no/);
    expect(found[2]!.message).toContain("50% done, a:b\n::warning::not a command");
    // The message's newline is escaped: no second command starts in the output.
    expect(run.stderr.split("\n").filter((line) => line.startsWith("::warning"))).toEqual([]);
    expect(found[3]!.message).toContain("ValueError: fixture broke");
  });

  it("names files from GITHUB_WORKSPACE when the project is in a subfolder of the repository", () => {
    const repo = inlineFiles(Object.fromEntries(Object.entries(files).map(([name, text]) => [`project/${name}`, text])));
    const run = runCli(["-n", "1", "tests/test_gh.py"], path.join(repo, "project"), { GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: repo });
    expect(new Set(annotations(run.stderr).map((a) => a.file))).toEqual(new Set(["project/tests/test_gh.py"]));
  });

  it("prints nothing extra off GitHub Actions or with FASTEST_GITHUB_ANNOTATIONS=0, and never changes stdout", () => {
    const dir = inlineFiles(files);
    const args = ["-n", "1", "--seed", "1", "tests/test_gh.py"];
    const plain = runCli(args, dir);
    const onActions = runCli(args, dir, { GITHUB_ACTIONS: "true" });
    const off = runCli(args, dir, { GITHUB_ACTIONS: "true", FASTEST_GITHUB_ANNOTATIONS: "0" });
    expect(annotations(onActions.stderr)).toHaveLength(4);
    expect(plain.stderr).not.toContain("::error");
    expect(off.stderr).not.toContain("::error");
    expect(normalize(onActions.stdout)).toBe(normalize(plain.stdout));
  });
});

describe("workflow command escaping", () => {
  it("escapes as @actions/core does", () => {
    expect(escapeData("100%\r\nnext")).toBe("100%25%0D%0Anext");
    expect(escapeProperty("a::b,c%\n")).toBe("a%3A%3Ab%2Cc%25%0A");
    for (const text of ["%0A", "::error::x", "a,b:c\r\n%25"]) expect(unescape(escapeProperty(text))).toBe(text);
  });

  it("finds the failing line in long, short and native tracebacks", () => {
    expect(failureLine("\n    def test():\n>       f()\n\ntests/test_a.py:7: \n_ _ _\n\n    def f():\n>       assert 0\nE   assert 0\n\ntests/util.py:2: AssertionError", "tests/test_a.py")).toBe(7);
    expect(failureLine("tests/test_a.py:3: in test\n    f()\ntests/util.py:2: in f\n    assert 0\nE   assert 0", "tests/test_a.py")).toBe(3);
    expect(failureLine('Traceback (most recent call last):\n  File "/work/p/tests/test_a.py", line 12, in test\n    f()\nAssertionError', "tests/test_a.py")).toBe(12);
    expect(failureLine("tests/other.py:3: AssertionError", "tests/test_a.py")).toBeNull();
  });
});
