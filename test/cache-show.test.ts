/**
 * `--cache-show` and the layout of `.fastest_cache/`, against real pytest's
 * `--cache-show` and `.pytest_cache/`; the value formatting against
 * Python's own `pprint.pformat`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePyJson, pformat } from "../core/pformat.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli } from "./helpers/run-cli.js";

/** Python's `pprint.pformat(json.loads(text))` for each text. */
function pythonPformat(texts: string[]): string[] {
  const script = "import json, pprint, sys\nprint(json.dumps([pprint.pformat(json.loads(t)) for t in json.load(sys.stdin)]))";
  const result = spawnSync("python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as string[];
}

describe("pformat", () => {
  it("formats JSON values as Python's pprint does", () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "::", " ", "/", "é", "'", '"', "\\", "\n", "\t", "\u0001", "😀", "[", "x".repeat(30)), maxLength: 12 });
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        word,
        fc.integer(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie("value"), { maxLength: 8 }),
        fc.dictionary(word, tie("value"), { maxKeys: 8 }),
      ),
    })).value;
    const samples = fc.sample(json, { numRuns: 300, seed: 7 }).map((value) => JSON.stringify(value));
    const handmade = [
      '{"x": 1.0, "y": 1e-07, "z": 1e16, "w": 123456789012345678901234567890, "n": NaN, "i": -Infinity, "m": -0.0}',
      JSON.stringify({ "tests/test_very_long_module_name.py::TestSomething::test_with_a_long_name[param-1]": true, "b.py::t": true }),
      JSON.stringify("word ".repeat(40)),
      JSON.stringify({ key: "line one\nline two is longer than the rest of it " + "and then some ".repeat(6) }),
      JSON.stringify([["nested", ["deeper", ["deepest", "x".repeat(70)]]]]),
      '{"dup": 1, "dup": 2}',
    ];
    const texts = [...samples, ...handmade];
    const expected = pythonPformat(texts);
    texts.forEach((text, i) => expect(pformat(parsePyJson(text)), text).toBe(expected[i]));
  });

  it("refuses text that is not JSON", () => {
    for (const text of ["", "{", "[1,]", "'x'", "01", "1 2", '{"a" 1}']) expect(() => parsePyJson(text), text).toThrow(SyntaxError);
  });
});

const project = {
  "test_cache.py": `
    def test_store(cache):
        cache.set("example/numbers", [1, 2.5, 1.0, {"deep": {"deeper": "x" * 90}}])
        cache.set("example/text", "a fairly long sentence " * 5)
        cache.set("other", {"b": None, "a": True})

    def test_fail():
        assert 0
  `,
};

/** Real pytest with its cache plugin on (the helper's runPytest turns it off). */
function pytestWithCache(args: string[], cwd: string): { status: number; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1" };
  delete env["CI"];
  const result = spawnSync("python3", ["-m", "pytest", ...args], { cwd, encoding: "utf8", env });
  return { status: result.status ?? -1, stdout: result.stdout };
}

/** The output from the `cachedir:` line on, with the folder's name and the timing made comparable, and fastest's own keys left out. */
function fromCachedir(stdout: string): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.startsWith("cachedir: "));
  const kept: string[] = [];
  let skipping = false;
  for (const line of lines.slice(start)) {
    if (/^\S+ contains/.test(line)) skipping = line.startsWith("fastest/");
    else if (!line.startsWith("  ")) skipping = false;
    if (!skipping) kept.push(line);
  }
  return kept
    .join("\n")
    .replace(/^cachedir: .*$/m, "cachedir: DIR")
    .replace(/ in \d+\.\d+s/g, " in Ns");
}

describe("--cache-show", () => {
  it("prints the cache as pytest's --cache-show does, with and without a glob", () => {
    const dir = inlineFiles(project);
    expect(runCli(["-q"], dir).status).toBe(1);
    // Real pytest with its cache on, in its own copy of the project.
    const pytestDir = inlineFiles(project);
    const pytest = (args: string[]) => pytestWithCache(args, pytestDir);
    pytest(["-q"]);
    for (const args of [["--cache-show"], ["--cache-show", "example/*"], ["--cache-show=other"], ["-q", "--cache-show", "*/text"], ["--cache-show", "-q"]]) {
      const ours = runCli(args, dir);
      const theirs = pytest(args);
      expect(ours.status, args.join(" ")).toBe(theirs.status);
      expect(fromCachedir(ours.stdout), args.join(" ")).toBe(fromCachedir(theirs.stdout));
    }
    expect(runCli(["--cache-show"], dir).stdout).toContain("example/text contains:\n  ('a fairly long sentence a fairly long sentence a fairly long sentence a '\n   'fairly");
    // fastest's own value is shown too: the per-file durations planning uses.
    expect(runCli(["--cache-show", "fastest/*"], dir).stdout).toMatch(/^fastest\/durations contains:\n {2}\{'test_cache.py': \d\.\d+\}$/m);
  });

  it("says when there is no cache, as pytest does", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const ours = runCli(["--cache-show"], dir);
    expect(ours.status).toBe(0);
    expect(ours.stdout).toContain(`cachedir: ${path.join(dir, ".fastest_cache")}\ncache is empty\n`);
    const theirs = pytestWithCache(["--cache-show"], inlineFiles({ "test_a.py": "def test_a():\n    pass\n" }));
    expect(fromCachedir(ours.stdout)).toBe(fromCachedir(theirs.stdout));
  });

  it("lays .fastest_cache/ out as pytest lays out .pytest_cache/", () => {
    const files = {
      "test_z.py": "def test_z():\n    assert 0\n\ndef test_a():\n    assert 0\n",
      "sub/test_b.py": "def test_b():\n    assert 0\n\ndef test_ok():\n    pass\n",
    };
    const dir = inlineFiles(files);
    runCli(["-q"], dir);
    const pytestDir = inlineFiles(files);
    pytestWithCache(["-q"], pytestDir);
    const ours = (name: string) => readFileSync(path.join(dir, ".fastest_cache", name), "utf8");
    const theirs = (name: string) => readFileSync(path.join(pytestDir, ".pytest_cache", name), "utf8").replace(/pytest/g, "fastest");
    expect(ours(".gitignore")).toBe(theirs(".gitignore"));
    expect(ours("CACHEDIR.TAG")).toBe(theirs("CACHEDIR.TAG"));
    expect(ours("README.md")).toMatch(/^# fastest cache directory #\n/);
    expect(ours("README.md")).toContain("**Do not** commit this to version control.");
    // The values byte for byte: same keys, order and indentation.
    for (const key of ["v/cache/lastfailed", "v/cache/nodeids"]) {
      expect(ours(key), key).toBe(readFileSync(path.join(pytestDir, ".pytest_cache", key), "utf8"));
    }
    expect(Object.keys(JSON.parse(ours("v/cache/lastfailed")) as object)).toHaveLength(3);
  });
});
