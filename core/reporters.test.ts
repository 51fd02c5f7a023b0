/**
 * Reporter behaviour that the pytest parity suite (test/reporters.test.ts)
 * cannot reach: fastest's own header lines, interrupts, injected time.
 */
import { describe, expect, it } from "vitest";
import { binXmlEscape, isoTimestamp, JUnitReporter, mangleTestAddress } from "./reporters/junit.js";
import { TerminalReporter, type ItemEndEvent } from "./reporters/terminal.js";
import { displayWidth, wrapText } from "./reporters/terminal-writer.js";

function item(nodeid: string, outcome: "passed" | "failed"): ItemEndEvent {
  const [path = "", name = ""] = nodeid.split("::");
  const base = { duration: 0, longrepr: null, message: null, skip: null, wasxfail: null, sections: [] as Array<[string, string]> };
  return {
    type: "itemEnd",
    nodeid,
    location: [path, 0, name],
    properties: [],
    reports: [
      { ...base, when: "setup", outcome: "passed" },
      outcome === "passed" ? { ...base, when: "call", outcome } : { ...base, when: "call", outcome, longrepr: "E   boom\n", message: "boom" },
      { ...base, when: "teardown", outcome: "passed" },
    ],
  };
}

function session(run: (reporter: TerminalReporter) => void, options = {}): string {
  let text = "";
  run(new TerminalReporter({ ...options, write: (chunk) => (text += chunk) }));
  return text;
}

describe("TerminalReporter", () => {
  it("prints fastest's header lines", () => {
    const text = session((r) => {
      r.sessionStart({
        platform: "emscripten", pythonVersion: "3.13.2", engineVersion: "314.0.7", runnerVersion: "0.1.0",
        rootdir: "/project", configfile: "pyproject.toml", seed: 1234, workers: "2 (pyodide, warm snapshot)",
      });
      r.collectionFinish({ collected: 1 });
      r.itemEnd(item("test_a.py::test_x", "passed"));
      r.sessionFinish({ duration: 0.5 });
    });
    expect(text).toBe(
      [
        "============================= test session starts ==============================",
        "platform emscripten -- Python 3.13.2, pyodide-314.0.7, fastest-0.1.0",
        "rootdir: /project",
        "configfile: pyproject.toml",
        "seed: 1234",
        "workers: 2 (pyodide, warm snapshot)",
        "collected 1 item",
        "",
        "test_a.py .                                                              [100%]",
        "",
        `${"=".repeat(30)} 1 passed in 0.50s ${"=".repeat(31)}`,
        "",
      ].join("\n"),
    );
  });

  it("reports a KeyboardInterrupt and returns exit code 2", () => {
    let code = -1;
    const text = session((r) => {
      r.sessionStart({ platform: "emscripten", pythonVersion: "3.13.2", rootdir: "/p" });
      r.collectionFinish({ collected: 2 });
      r.itemEnd(item("test_a.py::test_x", "failed"));
      code = r.sessionFinish({ duration: 1, interrupted: { message: "KeyboardInterrupt", location: "/p/test_a.py:9" } });
    });
    expect(code).toBe(2);
    expect(text).toContain("test_a.py F\n");
    expect(text).toContain(
      `${"!".repeat(30)} KeyboardInterrupt ${"!".repeat(31)}\n` +
        "/p/test_a.py:9: KeyboardInterrupt\n(to show a full traceback on KeyboardInterrupt use --full-trace)\n",
    );
    expect(text.trimEnd().split("\n").pop()).toBe(`${"=".repeat(30)} 1 failed in 1.00s ${"=".repeat(31)}`);
  });

  it("counts session-level errors", () => {
    const text = session((r) => {
      r.collectionFinish({ collected: 1 });
      r.itemEnd(item("test_a.py::test_x", "passed"));
      const code = r.sessionFinish({ duration: 0, errors: [{ nodeid: "", longrepr: "E   teardown of session fixture\n", message: "" }] });
      expect(code).toBe(1);
    }, { verbosity: -1 });
    expect(text).toContain(`\n${"_".repeat(24)} ERROR collecting test session ${"_".repeat(25)}\nE   teardown of session fixture\n`);
    expect(text).toContain("\nERROR test session\n");
    expect(text.trimEnd().split("\n").pop()).toBe("1 passed, 1 error in 0.00s");
  });
});

describe("terminal helpers", () => {
  it("measures display width like pytest's wcswidth", () => {
    expect(displayWidth("abc")).toBe(3);
    expect(displayWidth("宽字")).toBe(4);
    expect(displayWidth("e\u0301")).toBe(1);
    expect(displayWidth("a\x07b")).toBe(-1);
  });

  it("wraps like textwrap", () => {
    expect(wrapText("    aaa bbb ccc", 10)).toEqual(["    aaa", "bbb ccc"]);
    expect(wrapText("abcdefghijkl", 5)).toEqual(["abcde", "fghij", "kl"]);
  });
});

describe("JUnit helpers", () => {
  it("escapes like pytest's bin_xml_escape", () => {
    expect(binXmlEscape("a\x07b\x7f\u{1F600}\ud800ok\t\n")).toBe("a#x07b#x7F#x1F600#xD800ok\t\n");
  });

  it("mangles node ids", () => {
    expect(mangleTestAddress("tests/sub/test_a.py::TestX::test_y[a/b.py-1]")).toEqual(["tests.sub.test_a", "TestX", "test_y[a/b.py-1]"]);
  });

  it("formats injected timestamps like Python's isoformat", () => {
    const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678));
    expect(isoTimestamp(date, 0)).toBe("2026-01-02T03:04:05.678000+00:00");
    expect(isoTimestamp(date, -90)).toBe("2026-01-02T01:34:05.678000-01:30");
  });

  it("writes an empty suite", () => {
    const xml = new JUnitReporter().toXml({ duration: 0.01, timestamp: "T", hostname: "h" });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" errors="0" failures="0" skipped="0" tests="0" time="0.010" timestamp="T" hostname="h" /></testsuites>',
    );
  });
});
