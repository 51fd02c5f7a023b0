/**
 * `--shard K/N`, `--store-durations` and `fastest merge-reports`, end to
 * end through the CLI: the shards of a suite together run every test once,
 * with pytest's outcomes, and their merged reports equal one run's.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { outcomesById, readJUnit } from "./helpers/junit.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const suite = {
  "conftest.py": `
    import pytest

    @pytest.fixture(scope="module")
    def table():
        return {"a": 1}
  `,
  "tests/test_math.py": `
    import pytest

    @pytest.mark.parametrize("n", range(6))
    def test_square(n, table):
        assert n * n >= n

    def test_wrong():
        assert 1 + 1 == 3

    @pytest.mark.xfail(reason="known")
    def test_known():
        assert False
  `,
  "tests/test_text.py": `
    import pytest

    class TestWords:
        @pytest.mark.parametrize("word", ["a", "bb", "ccc", "dddd"])
        def test_len(self, word):
            print("checking", word)
            assert len(word) < 4

    def test_skipped():
        pytest.skip("not here")
  `,
  "tests/sub/test_deep.py": `
    import warnings

    def test_one():
        warnings.warn("careful", UserWarning)

    def test_two():
        pass

    def test_three(capsys):
        print("out")
  `,
};

interface Report {
  exitCode: number;
  summary: Record<string, number>;
  tests: Array<{ nodeid: string; outcome: string }>;
  shard?: { index: number; count: number; tests: number; selected: string[] };
}

const readReport = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Report;

/** A report with what differs between runs (timings, worker names, start time, object addresses) taken out. */
function comparable(file: string): unknown {
  const text = readFileSync(file, "utf8").replace(/0x[0-9a-f]+/g, "0xADDR").replace(/"duration": [-0-9.e]+/g, '"duration": 0').replace(/"worker": "gw\d+"/g, '"worker": "gw"');
  const report = JSON.parse(text) as Record<string, unknown>;
  delete report["created"];
  return report;
}

/** The HTML report without timings, start time and addresses. */
const comparableHtml = (file: string) =>
  readFileSync(file, "utf8")
    .replace(/0x[0-9a-f]+/g, "0xADDR")
    .replace(/data-duration="[^"]*"/g, "")
    .replace(/\d+(\.\d+)? (µs|ms|s)\b/g, "T")
    .replace(/started \S+/g, "started")
    .replace(/worker gw\d+/g, "worker");

const comparableXml = (file: string) =>
  readFileSync(file, "utf8").replace(/0x[0-9a-f]+/g, "0xADDR").replace(/ time="[0-9.]+"/g, "").replace(/ timestamp="[^"]+"/g, "").replace(/ hostname="[^"]+"/g, "");

describe("--shard across three machines", () => {
  let dir: string;
  const shards = [1, 2, 3];

  beforeAll(() => {
    dir = inlineFiles(suite);
    for (const k of shards) {
      const result = runCli(["--seed", "7", "--shard", `${k}/3`, "--json", `out/s${k}/report.json`, "--junitxml", `out/s${k}/junit.xml`], dir);
      expect(result.stderr).not.toMatch(/Error|Traceback/);
      expect([0, 1]).toContain(result.status);
      writeFileSync(path.join(dir, `out/s${k}/stdout.txt`), result.stdout);
    }
    runCli(["--seed", "7", "--json", "out/full.json", "--junitxml", "out/full.xml", "--html", "out/full.html"], dir);
    runPytest(["--junitxml", "out/pytest.xml"], dir);
  });

  it("runs every selected test in exactly one shard, and says which shard got how many", () => {
    const reports = shards.map((k) => readReport(path.join(dir, `out/s${k}/report.json`)));
    const full = readReport(path.join(dir, "out/full.json"));
    const ran = reports.flatMap((r) => r.tests.map((t) => t.nodeid));
    expect(new Set(ran).size).toBe(ran.length);
    expect([...ran].sort()).toEqual(full.tests.map((t) => t.nodeid).sort());
    expect(full.tests).toHaveLength(16);
    for (const [i, report] of reports.entries()) {
      const stdout = readFileSync(path.join(dir, `out/s${i + 1}/stdout.txt`), "utf8");
      expect(stdout).toContain(`shard ${i + 1}/3: running ${report.tests.length} of 16 tests`);
      expect(stdout).toMatch(new RegExp(`collected 16 items / ${16 - report.tests.length} deselected / ${report.tests.length} selected`));
      expect(report.summary["deselected"]).toBe(16 - report.tests.length);
      expect(report.shard).toMatchObject({ index: i + 1, count: 3, tests: report.tests.length });
      expect(report.shard!.selected).toEqual(full.tests.map((t) => t.nodeid));
      // Without stored durations the split is by count: 16 tests in 3 shards.
      expect(report.tests.length).toBeGreaterThanOrEqual(5);
    }
  });

  it("gives each test the outcome a full run and real pytest give it", () => {
    const union = Object.assign({}, ...shards.map((k) => outcomesById(readJUnit(path.join(dir, `out/s${k}/junit.xml`))))) as Record<string, string>;
    expect(union).toEqual(outcomesById(readJUnit(path.join(dir, "out/full.xml"))));
    expect(union).toEqual(outcomesById(readJUnit(path.join(dir, "out/pytest.xml"))));
  });

  it("merges the shards' reports into the full run's JSON and JUnit XML, but for timings", () => {
    const merged = runCli(["merge-reports", "out/s1", "out/s2", "out/s3", "--json", "out/merged.json", "--junitxml", "out/merged.xml", "--html", "out/merged.html"], dir);
    expect(merged.stderr).toBe("");
    expect(merged.status).toBe(1);
    expect(merged.stdout).toContain("merged shards 1, 2, 3 of 3: 16 tests");
    expect(merged.stdout).toContain("FAILED tests/test_math.py::test_wrong - assert (1 + 1) == 3");
    expect(merged.stdout).toMatch(/^2 failed, 12 passed, 1 skipped, 1 xfailed, 1 warning in [0-9.]+s$/m);
    expect(comparable(path.join(dir, "out/merged.json"))).toEqual(comparable(path.join(dir, "out/full.json")));
    expect(comparableXml(path.join(dir, "out/merged.xml"))).toBe(comparableXml(path.join(dir, "out/full.xml")));
    expect(comparableHtml(path.join(dir, "out/merged.html"))).toBe(comparableHtml(path.join(dir, "out/full.html")));
    expect(readFileSync(path.join(dir, "out/merged.html"), "utf8")).toContain("tests/test_text.py::TestWords::test_len[dddd]");
  });

  it("refreshes the durations file from the shards' reports", () => {
    const result = runCli(["merge-reports", "out/s1", "out/s2", "out/s3", "--store-durations"], dir);
    expect(result.stderr).toBe("");
    const durations = JSON.parse(readFileSync(path.join(dir, ".fastest-durations.json"), "utf8")) as Record<string, number>;
    expect(Object.keys(durations)).toEqual(readReport(path.join(dir, "out/full.json")).tests.map((t) => t.nodeid).sort());
  });

  it("says when a shard's report is missing, and refuses one given twice", () => {
    const partial = runCli(["merge-reports", "out/s1/report.json", "out/s3/report.json", "--json", "out/partial.json"], dir);
    expect(partial.status).toBe(2);
    expect(partial.stderr).toContain("no report for shard 2/3: its tests are missing from the merged report");
    const twice = runCli(["merge-reports", "out/s1/report.json", "out/s1"], dir);
    expect(twice.status).toBe(4);
    expect(twice.stderr).toBe("ERROR: out/s1/report.json and out/s1/report.json are both shard 1/3\n");
    const notAReport = runCli(["merge-reports", "conftest.py"], dir);
    expect(notAReport.status).toBe(4);
    expect(notAReport.stderr).toContain("conftest.py is not JSON");
  });
});

describe("merging shards that each report the same collection error and import warning", () => {
  it("keeps them once, as a single run reports them", () => {
    const dir = inlineFiles({
      "test_ok.py": "import pytest\n\n@pytest.mark.parametrize('n', range(5))\ndef test_ok(n):\n    assert n < 4\n",
      "test_broken.py": "import not_a_module\n\ndef test_never():\n    pass\n",
      "test_warns.py": "import warnings\nwarnings.warn('deprecated at import', DeprecationWarning)\n\ndef test_a():\n    pass\n\ndef test_b():\n    pass\n",
    });
    const options = ["--seed", "3", "--continue-on-collection-errors"];
    for (const k of [1, 2]) runCli([...options, "--shard", `${k}/2`, "--json", `out/s${k}.json`, "--junitxml", `out/s${k}.xml`], dir);
    const full = runCli([...options, "--json", "out/full.json", "--junitxml", "out/full.xml"], dir);
    expect(full.stdout).toMatch(/1 failed, 6 passed, 1 warning, 1 error in/);
    for (const k of [1, 2]) expect(readReport(path.join(dir, `out/s${k}.json`)).summary["error"]).toBe(1);
    const merged = runCli(["merge-reports", "out/s1.json", "out/s2.json", "--json", "out/merged.json", "--junitxml", "out/merged.xml"], dir);
    expect(merged.status).toBe(full.status);
    expect(merged.stdout).toContain("ERROR test_broken.py\n");
    expect(comparable(path.join(dir, "out/merged.json"))).toEqual(comparable(path.join(dir, "out/full.json")));
    expect(comparableXml(path.join(dir, "out/merged.xml"))).toBe(comparableXml(path.join(dir, "out/full.xml")));
  });
});

describe("--store-durations", () => {
  it("writes a sorted file of each test's seconds that --shard then balances by", () => {
    const dir = inlineFiles({
      "test_slow.py": `
        import time
        import pytest

        def test_slow():
            time.sleep(0.4)

        @pytest.mark.parametrize("n", range(8))
        def test_quick(n):
            pass
      `,
    });
    const stored = runCli(["-q", "--store-durations"], dir);
    expect(stored.status).toBe(0);
    const durations = JSON.parse(readFileSync(path.join(dir, ".fastest-durations.json"), "utf8")) as Record<string, number>;
    expect(Object.keys(durations)).toEqual([...Object.keys(durations)].sort());
    expect(Object.keys(durations)).toHaveLength(9);
    expect(durations["test_slow.py::test_slow"]).toBeGreaterThanOrEqual(0.4);

    // The slow test fills a shard of its own: the other gets all the quick ones.
    const first = runCli(["--shard", "1/2", "--json", "s1.json"], dir);
    const second = runCli(["--shard", "2/2", "--json", "s2.json"], dir);
    expect(first.stdout).toMatch(/shard 1\/2: running 1 of 9 tests \(expected 0\.\d\ds of 0\.\d\ds, durations from \.fastest-durations\.json\)/);
    expect(second.stdout).toContain("shard 2/2: running 8 of 9 tests");
    expect(readReport(path.join(dir, "s1.json")).tests.map((t) => t.nodeid)).toEqual(["test_slow.py::test_slow"]);

    // A test not in the file is counted as the median of the known ones.
    writeFileSync(path.join(dir, "test_new.py"), "def test_new():\n    pass\n");
    const withNew = runCli(["--shard", "2/2", "--durations-path", ".fastest-durations.json"], dir);
    expect(withNew.stdout).toMatch(/shard 2\/2: running 9 of 10 tests \(.*1 without a stored duration counted as 0\.\d{3}s each\)/);
  });

  it("lets a shard left without tests pass (exit 0), and one of an empty selection end as pytest does (5)", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const empty = runCli(["--shard", "2/2"], dir);
    expect(empty.stdout).toContain("shard 2/2: running 0 of 1 test ");
    expect(empty.stdout).toMatch(/=+ 1 deselected in [0-9.]+s =+/);
    expect(empty.status).toBe(0);
    expect(runCli(["--shard", "1/2"], dir).status).toBe(0);
    expect(runCli(["--shard", "1/2", "-k", "nothing"], dir).status).toBe(5);
  });

  it("refuses a bad --shard before running anything", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const result = runCli(["--shard", "4/3"], dir);
    expect(result.status).toBe(4);
    expect(result.stderr).toContain("argument --shard: invalid value: '4/3' (expected K/N with 1 <= K <= N");
    const watch = runCli(["--shard", "1/2", "--watch"], dir);
    expect(watch.status).toBe(4);
    expect(watch.stderr).toContain("--shard splits one run across machines; it cannot be combined with --watch");
    writeFileSync(path.join(dir, ".fastest-durations.json"), "{ not json");
    const broken = runCli(["--shard", "1/2"], dir);
    expect(broken.status).toBe(4);
    expect(broken.stderr).toMatch(/the durations file .*\.fastest-durations\.json is not valid JSON/);
  });
});
