/**
 * JUnit XML end to end: the CLI's `--junitxml` against real pytest's on the
 * same files, for every `junit_*` ini option, `--junit-prefix` and the
 * `record_property` / `record_xml_attribute` / `record_testsuite_property`
 * fixtures (whose warnings must match pytest's too). Only timings, the
 * timestamp and the host name may differ.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const tests = `
  import sys
  import pytest

  def test_pass(record_property):
      record_property("k", "v<&>")
      print("out pass")

  def test_attr(record_xml_attribute):
      record_xml_attribute("assertions", "REQ-1")
      record_xml_attribute("classname", "custom")

  def test_suite_prop(record_testsuite_property):
      record_testsuite_property("ARCH", "PPC")
      record_testsuite_property("n", 3)

  def test_fail():
      print("out fail")
      sys.stderr.write("err fail\\n")
      assert 1 == 2

  @pytest.mark.skip(reason="nope")
  def test_skip():
      pass

  @pytest.mark.xfail(reason="bug")
  def test_xfail():
      assert 0

  @pytest.fixture
  def broken():
      raise RuntimeError("boom")

  def test_error(broken):
      pass

  @pytest.fixture
  def bad_teardown():
      yield
      raise ValueError("teardown broke")

  def test_fail_and_teardown(bad_teardown, record_property):
      record_property("owner", "me")
      assert False
`;

/** The XML with what must differ (timings, timestamp, host) blanked. */
const comparable = (xml: string): string =>
  xml
    .replace(/ time="[\d.]+"/g, ' time="T"')
    .replace(/ timestamp="[^"]*"/, "")
    .replace(/ hostname="[^"]*"/, "")
    .replace(/ at 0x[0-9a-f]+/g, " at 0xADDR");

function bothXml(ini: string, args: string[] = []): { ours: string; theirs: string; oursOut: string; theirsOut: string } {
  const dir = inlineFiles({ "pytest.ini": `[pytest]\n${ini}\n`, "tests/test_j.py": tests });
  // The same file name for both, so that the terminal's "generated xml file" lines are equal too.
  const read = () => comparable(readFileSync(path.join(dir, "out", "report.xml"), "utf8"));
  const ours = runCli(["-n", "1", "--junitxml", "out/report.xml", ...args], dir);
  const oursXml = read();
  const theirs = runPytest(["--junitxml", "out/report.xml", ...args], dir);
  expect(ours.stderr).not.toMatch(/Traceback|Error:/);
  expect(ours.status).toBe(theirs.status);
  return { ours: oursXml, theirs: read(), oursOut: ours.stdout, theirsOut: theirs.stdout };
}

describe("--junitxml matches pytest's file", () => {
  it("xunit2 (the default): record_xml_attribute only keeps classname/name; suite properties; the fixtures' warnings", () => {
    const { ours, theirs, oursOut, theirsOut } = bothXml("");
    expect(ours).toBe(theirs);
    // The checks that would pass on an empty report: the recorded values are there.
    expect(ours).toContain('<properties><property name="ARCH" value="PPC" /><property name="n" value="3" /></properties>');
    expect(ours).toContain('<testcase classname="custom" name="test_attr" time="T" />');
    expect(normalize(oursOut)).toBe(normalize(theirsOut));
    expect(oursOut).toContain("PytestWarning: record_property is incompatible with junit_family 'xunit2' (use 'legacy' or 'xunit1')");
    expect(oursOut).toContain("PytestExperimentalApiWarning: record_xml_attribute is an experimental feature");
  });

  it.each(["xunit1", "legacy"])("junit_family=%s: file, line and the recorded attributes", (family) => {
    const { ours, theirs, oursOut } = bothXml(`junit_family = ${family}`);
    expect(ours).toBe(theirs);
    expect(ours).toContain('<testcase classname="custom" name="test_attr" file="tests/test_j.py" line="7" assertions="REQ-1" time="T" />');
    expect(oursOut).not.toContain("incompatible with junit_family");
  });

  it("junit_logging=all with junit_suite_name and --junit-prefix", () => {
    const { ours, theirs } = bothXml("junit_logging = all\njunit_suite_name = mine", ["--junit-prefix", "pre"]);
    expect(ours).toBe(theirs);
    expect(ours).toContain('<testsuite name="mine"');
    expect(ours).toContain("out fail");
  });

  it("junit_logging=out-err, junit_log_passing_tests=false, junit_duration_report=call", () => {
    const { ours, theirs } = bothXml("junit_logging = out-err\njunit_log_passing_tests = false\njunit_duration_report = call");
    expect(ours).toBe(theirs);
    expect(ours).not.toContain("out pass");
    expect(ours).toContain("err fail");
  });

  it("record_testsuite_property from tests on several workers all reach the one <testsuite>", () => {
    const dir = inlineFiles({
      "test_a.py": "def test_a(record_testsuite_property):\n    record_testsuite_property('from_a', 1)\n",
      "test_b.py": "def test_b(record_testsuite_property):\n    record_testsuite_property('from_b', 2)\n",
    });
    const ours = runCli(["-n", "2", "--junitxml", "ours.xml", "--json", "ours.json"], dir);
    expect(ours.status).toBe(0);
    const xml = readFileSync(path.join(dir, "ours.xml"), "utf8");
    const properties = /<testsuite [^>]*><properties>(.*?)<\/properties>/.exec(xml)?.[1] ?? "";
    expect(properties).toContain('<property name="from_a" value="1" />');
    expect(properties).toContain('<property name="from_b" value="2" />');
    // The JSON report keeps them too (fastest merge-reports rebuilds the XML from it).
    const json = JSON.parse(readFileSync(path.join(dir, "ours.json"), "utf8")) as { suiteProperties?: string[][] };
    expect(new Set(json.suiteProperties?.map((pair) => pair.join("=")))).toEqual(new Set(["from_a=1", "from_b=2"]));
  });

  it("fastest merge-reports puts every shard's record_testsuite_property and record_xml_attribute values back into one JUnit XML", () => {
    const dir = inlineFiles({
      "pytest.ini": "[pytest]\njunit_family = xunit1\n",
      "test_a.py": "def test_a(record_testsuite_property, record_xml_attribute):\n    record_testsuite_property('from_a', 1)\n    record_xml_attribute('owner', 'a')\n",
      "test_b.py": "def test_b(record_testsuite_property):\n    record_testsuite_property('from_b', 2)\n",
    });
    for (const k of [1, 2]) runCli(["-n", "1", "--shard", `${k}/2`, "--junitxml", `shard${k}.xml`, "--json", `parts/${k}.json`], dir);
    const merged = runCli(["merge-reports", "parts", "--junitxml", "merged.xml"], dir);
    expect(merged.status).toBe(0);
    const xml = readFileSync(path.join(dir, "merged.xml"), "utf8");
    const properties = /<testsuite [^>]*><properties>(.*?)<\/properties>/.exec(xml)?.[1] ?? "";
    expect(properties).toContain('<property name="from_a" value="1" />');
    expect(properties).toContain('<property name="from_b" value="2" />');
    expect(xml).toMatch(/<testcase classname="test_a" name="test_a" file="test_a.py" line="0" owner="a" time=/);
  });

  it("the JSON report keeps record_xml_attribute's values, only when JUnit XML is written", () => {
    const dir = inlineFiles({ "test_x.py": "def test_x(record_xml_attribute):\n    record_xml_attribute('owner', 'me')\n" });
    runCli(["-n", "1", "--junitxml", "r.xml", "--json", "with.json"], dir);
    runCli(["-n", "1", "--json", "without.json"], dir);
    const test = (file: string) => (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { tests: Array<{ xmlAttributes?: string[][] }> }).tests[0];
    expect(test("with.json")?.xmlAttributes).toEqual([["owner", "me"]]);
    expect(test("without.json")).not.toHaveProperty("xmlAttributes");
  });

  it("without --junitxml the record_* fixtures neither warn nor fail, as in pytest", () => {
    const dir = inlineFiles({ "tests/test_j.py": tests });
    const ours = runCli(["-n", "1", "-q", "tests/test_j.py::test_attr", "tests/test_j.py::test_pass"], dir);
    const theirs = runPytest(["-q", "tests/test_j.py::test_attr", "tests/test_j.py::test_pass"], dir);
    expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
    expect(ours.stdout).not.toContain("incompatible");
  });

  it("-q leaves out the 'generated xml file' line, as pytest does", () => {
    const dir = inlineFiles({ "test_one.py": "def test_one():\n    pass\n" });
    const ours = runCli(["-n", "1", "-q", "--junitxml", "r.xml"], dir);
    const theirs = runPytest(["-q", "--junitxml", "r.xml"], dir);
    expect(normalize(ours.stdout)).toBe(normalize(theirs.stdout));
    expect(ours.stdout).not.toContain("generated xml file");
  });
});
