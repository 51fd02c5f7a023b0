/**
 * Static discovery against real pytest's collection on the parity corpus:
 * for every test file static discovery calls complete, the items (node ids
 * in order, locations, marks, `-k` keywords, collector chain) must be the
 * ones pytest collects. Files it cannot resolve are left to the runtime and
 * counted; most of the corpus must be complete.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { itemCounts } from "../core/discovery/index.js";
import { findTestFiles } from "../node-host/project.js";
import { resolveRunConfig } from "../node-host/run-config.js";
import { discoverStatically } from "../node-host/static-discovery.js";
import { loadCorpus } from "./parity/corpus.js";
import { compareFolder, type FolderComparison } from "./discovery/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";

// Groups that only rerun another group's files under other flags add nothing here.
const groups = loadCorpus().filter((g) => !g.config.casesFrom);
const results = new Map<string, FolderComparison>();

afterAll(() => {
  const files = [...results.values()].reduce((n, r) => n + r.files.length, 0);
  const complete = [...results.values()].reduce((n, r) => n + r.complete.length, 0);
  const items = [...results.values()].reduce((n, r) => n + Object.values(r.pairs).reduce((m, p) => m + p.theirs.length, 0), 0);
  console.log(`static discovery: ${complete}/${files} test files of the parity corpus complete (${items} items equal to pytest's); the rest resolve at run time`);
  for (const [name, r] of results) for (const [file, why] of Object.entries(r.dynamic)) console.log(`  dynamic: ${name}/${file}: ${why}`);
});

describe.each(groups)("static discovery on parity group $name", (group) => {
  it("lists exactly pytest's items for every file it calls complete", async () => {
    // A group's own args and paths only narrow what runs; collection is compared over its whole folder.
    const result = await compareFolder(group.dir);
    results.set(group.name, result);
    for (const [file, pair] of Object.entries(result.pairs)) expect(pair.ours, file).toEqual(pair.theirs);
  });
});

describe("the parity corpus as a whole", () => {
  it("is mostly resolved statically", () => {
    const files = [...results.values()].reduce((n, r) => n + r.files.length, 0);
    const complete = [...results.values()].reduce((n, r) => n + r.complete.length, 0);
    expect(files).toBeGreaterThan(200);
    expect(complete / files).toBeGreaterThan(0.75);
  });
});

/** Parametrize values whose ids are easy to get wrong, all literal: static discovery must resolve and match them. */
const trickyIds = String.raw`
import pytest

CASES = [1, "two", 3.0]
MORE = CASES + [None]

def helper():
    pass

class Thing:
    pass

pytestmark = [pytest.mark.parametrize("mod", ["m"]), pytest.mark.level(n=2, name="x", ok=True, ratio=0.5, nothing=None)]


@pytest.mark.parametrize("s", ["", "a\nb", "tab\there", "\x00\x1b\x7f", "back\\slash", "é", "€", "😀", r"raw\n", "con" "cat", "a" * 3, 'quote"s', "-", "[x]"])
def test_strings(s, mod):
    pass


@pytest.mark.parametrize("b", [b"", b"\x00\xff", b"abc\n", rb"\x00"])
def test_bytes(b, mod):
    pass


@pytest.mark.parametrize("n", [0, -5, 0x1F, 0o17, 0b101, 1_000, 1180591620717411303424, 0.1, 1e16, 1.5e-5, -0.0, float("inf"), float("-inf"), float("nan"), 2.5, 1 + 2, True, False, None])
def test_numbers(n, mod):
    pass


@pytest.mark.parametrize("v", [int, ValueError, helper, Thing, lambda: 1, {"a": 1}, {1, 2}, object(), (1, 2), [3], ..., print])
def test_objects(v, mod):
    pass


@pytest.mark.parametrize("a, b", [(1, 2), pytest.param(3, 4, id="custom"), pytest.param("x", "y", marks=pytest.mark.slow), pytest.param(5, 6, id="é\n", marks=[pytest.mark.skip(reason="r"), pytest.mark.xfail])])
def test_params(a, b, mod):
    pass


@pytest.mark.parametrize("x", [1, 2, 3], ids=["one", None, "three"])
@pytest.mark.parametrize(["y"], [("p",), ("q",)])
def test_stacked(x, y, mod):
    pass


@pytest.mark.parametrize("d", ["a", "a", "a0", 1, 1, "1"])
def test_duplicates(d, mod):
    pass


@pytest.mark.parametrize("c", CASES)
@pytest.mark.parametrize("m", MORE)
def test_constants(c, m, mod):
    pass


@pytest.mark.parametrize("r", range(3))
@pytest.mark.parametrize("t", tuple([7, 8]))
def test_ranges(r, t, mod):
    pass


@pytest.mark.parametrize("k", ["k1", "k2"])
class TestClassLevel:
    @pytest.mark.parametrize("j", [True, None])
    def test_method(self, j, k, mod):
        pass

    def test_plain(self, k, mod):
        pass

    class TestNested:
        def test_inner(self, k, mod):
            pass
`;

describe("static discovery on tricky parametrize values", () => {
  it("resolves every literal and matches pytest's ids, marks and keywords", async () => {
    const dir = inlineFiles({ "test_tricky.py": trickyIds, "pytest.ini": "[pytest]\nmarkers =\n    level: a level\n    slow: slow\n" });
    const result = await compareFolder(dir);
    expect(result.dynamic).toEqual({});
    const pair = result.pairs["test_tricky.py"]!;
    expect(pair.theirs.length).toBeGreaterThan(80);
    expect(pair.ours).toEqual(pair.theirs);
  });
});

describe("the static discovery cache", () => {
  /** Discover a folder in-process, as `fastest` run there would, with a cache folder of its own. */
  async function discoverIn(dir: string) {
    const config = resolveRunConfig([], dir, {}, false);
    const files = findTestFiles(config.paths, config.harness.pythonFiles, undefined, config.control.ignore);
    return discoverStatically(config, files);
  }

  it("answers from the cache, re-reads changed settings, and re-checks conftests every time", async () => {
    const saved = process.env["FASTEST_CACHE_DIR"];
    process.env["FASTEST_CACHE_DIR"] = mkdtempSync(join(tmpdir(), "fastest-discovery-cache-"));
    onTestFinished(() => {
      if (saved === undefined) delete process.env["FASTEST_CACHE_DIR"];
      else process.env["FASTEST_CACHE_DIR"] = saved;
    });
    const dir = inlineFiles({ "test_a.py": "def test_one():\n    pass\n\ndef check_two():\n    pass\n", "conftest.py": "" });
    const first = await discoverIn(dir);
    expect([first.parsed, first.cached]).toEqual([2, 0]);
    expect(first.files[0]!.items.map((i) => i.nodeid)).toEqual(["test_a.py::test_one"]);
    const again = await discoverIn(dir);
    expect([again.parsed, again.cached]).toEqual([0, 2]);
    // python_functions is part of the key: the same content is analysed again.
    writeFileSync(join(dir, "pytest.ini"), "[pytest]\npython_functions = check\n");
    const renamed = await discoverIn(dir);
    expect(renamed.parsed).toBe(2);
    expect(renamed.files[0]!.items.map((i) => i.nodeid)).toEqual(["test_a.py::check_two"]);
    // A conftest that starts parametrizing a fixture makes the (cached) test file dynamic.
    writeFileSync(join(dir, "conftest.py"), "import pytest\n\n@pytest.fixture(params=[1, 2])\ndef n(request):\n    return request.param\n");
    const parametrized = await discoverIn(dir);
    expect(parametrized.files[0]).toMatchObject({ complete: false, reason: expect.stringContaining("fixture n has params") });
    expect(itemCounts(parametrized).get("test_a.py")).toBeNull();
    expect(itemCounts(renamed).get("test_a.py")).toBe(1);
  });
});

describe("fixtures imported from a project module", () => {
  it("leave a test module to the runtime when the module defines a parametrized fixture", async () => {
    const dir = inlineFiles({
      "fx.py": "import pytest\n\n@pytest.fixture(params=[1, 2])\ndef num(request):\n    return request.param\n",
      "test_imp.py": "from fx import num\n\ndef test_n(num):\n    assert num\n",
      "test_plain.py": "import fx\n\ndef test_p():\n    pass\n",
    });
    const result = await compareFolder(dir);
    expect(result.dynamic["test_imp.py"]).toMatch(/fixture num with params/);
    // `import fx` registers no fixture in the test module: that file stays static, and equal to pytest.
    expect(result.complete).toEqual(["test_plain.py"]);
    expect(result.pairs["test_plain.py"]!.ours).toEqual(result.pairs["test_plain.py"]!.theirs);
  });
});
