/**
 * JUnit XML as pytest's `--junitxml` writes it (`junit_family=xunit2` by
 * default): the same elements, attributes, messages, counts and quirks,
 * such as a second `<testcase>` for a test whose call and teardown both
 * failed. Feed it collection errors and `itemEnd` events, then call
 * {@link JUnitReporter.toXml}.
 */
import type { CollectError, CollectSkip, PhaseReport } from "../protocol.js";
import type { ItemEndEvent } from "./terminal.js";

/** Options mirroring pytest's `junit_*` ini settings. */
export interface JUnitOptions {
  /** `junit_suite_name`. Default `pytest`. */
  suiteName?: string;
  /** `junit_family`: xunit1 (or its old name `legacy`) adds `file` and `line` attributes. Default `xunit2`. */
  family?: "xunit1" | "xunit2" | "legacy";
  /** `junit_logging`: which captured output goes into the XML. Default `no`. */
  logging?: "no" | "log" | "system-out" | "system-err" | "out-err" | "all";
  /** `junit_log_passing_tests`. Default true. */
  logPassingTests?: boolean;
  /** `junit_duration_report`: sum of all phases or the call only. Default `total`. */
  durationReport?: "total" | "call";
  /** `--junit-prefix`, prepended to every classname. */
  prefix?: string;
  /**
   * The rootdir, to write skip locations as the absolute paths pytest writes
   * (fastest's reports hold them relative to it). Default: as reported.
   */
  rootdir?: string;
}

/** Session facts for the `<testsuite>` element (injected: core reads no clock or OS). */
export interface JUnitSuiteInfo {
  /** Session duration in seconds. */
  duration: number;
  /** When the session started; a string is used verbatim. */
  timestamp: Date | string;
  /** Offset of local time from UTC in minutes (east positive). Default: the Date's own zone. */
  utcOffsetMinutes?: number;
  hostname: string;
  /** `record_testsuite_property` pairs. */
  properties?: Array<[string, string]>;
}

/**
 * pytest's `bin_xml_escape`: characters XML cannot hold become visible
 * `#xNN` text (not entities). Like pytest, code points above U+FFFF are
 * escaped too.
 */
export function binXmlEscape(text: string): string {
  return text.replace(/[^\t\n\r\x20-\x7e\x80-\ud7ff\ue000-\ufffd]/gu, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return `#x${code.toString(16).toUpperCase().padStart(code <= 0xff ? 2 : 4, "0")}`;
  });
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, "&quot;").replace(/\r/g, "&#13;").replace(/\n/g, "&#10;").replace(/\t/g, "&#09;");
}

/** Serialise one element the way Python's ElementTree does. */
function element(tag: string, attrs: Array<[string, string]>, body: string | null = null): string {
  const attributes = attrs.map(([name, value]) => ` ${name}="${escapeAttribute(binXmlEscape(value))}"`).join("");
  return body === null || body === "" ? `<${tag}${attributes} />` : `<${tag}${attributes}>${body}</${tag}>`;
}

function textBody(text: string): string {
  return escapeText(binXmlEscape(text));
}

/** pytest's `mangle_test_address`: node id to `[...classname parts, name]`. */
export function mangleTestAddress(nodeid: string): string[] {
  const bracket = nodeid.indexOf("[");
  const path = bracket >= 0 ? nodeid.slice(0, bracket) : nodeid;
  const params = bracket >= 0 ? nodeid.slice(bracket) : "";
  const names = path.split("::");
  names[0] = (names[0] ?? "").replace(/\//g, ".").replace(/\.py$/, "");
  names[names.length - 1] += params;
  return names;
}

/** Python's `str.center` with `-`. */
function center(text: string, width: number): string {
  const margin = width - text.length;
  if (margin <= 0) return text;
  const left = Math.floor(margin / 2) + (margin & width & 1);
  return "-".repeat(left) + text + "-".repeat(margin - left);
}

interface TestCase {
  /** Attribute order is Python dict order: a value set again keeps its place. */
  attrs: Map<string, string>;
  duration: number;
  children: string[];
  properties: Array<[string, string]>;
}

type StatKey = "error" | "passed" | "failure" | "skipped";

/** Collects a session and renders pytest's JUnit XML. */
export class JUnitReporter {
  private readonly options: Required<Omit<JUnitOptions, "prefix" | "rootdir" | "family">> & {
    prefix: string;
    rootdir: string;
    family: "xunit1" | "xunit2";
  };
  private readonly cases: TestCase[] = [];
  private readonly stats: Record<StatKey, number> = { error: 0, passed: 0, failure: 0, skipped: 0 };
  private doubleFailures = 0;

  constructor(options: JUnitOptions = {}) {
    this.options = {
      suiteName: options.suiteName ?? "pytest",
      family: options.family === "xunit1" || options.family === "legacy" ? "xunit1" : "xunit2",
      logging: options.logging ?? "no",
      logPassingTests: options.logPassingTests ?? true,
      durationReport: options.durationReport ?? "total",
      prefix: options.prefix ?? "",
      rootdir: options.rootdir ?? "",
    };
  }

  /** Record collection errors (each becomes a `<testcase>` with `<error message="collection failure">`). */
  collectionFinish(errors: readonly CollectError[]): void {
    for (const error of errors) this.sessionError(error);
  }

  /** Record modules skipped at collection, as pytest's "collection skipped" cases. */
  collectionSkipped(skips: readonly CollectSkip[]): void {
    for (const skip of skips) {
      const testcase = this.openCase(skip.nodeid, [skip.path, null]);
      // pytest prints the skip's Python tuple repr as the element's text.
      const details = `(${pyRepr(this.absolute(skip.path))}, ${skip.lineno}, ${pyRepr(skip.reason)})`;
      this.append(testcase, "skipped", element("skipped", [["message", "collection skipped"]], textBody(details)));
    }
  }

  /** Record an error not tied to an item, like a collection error. */
  sessionError(error: CollectError): void {
    const path = error.nodeid.split("::")[0] ?? error.nodeid;
    const testcase = this.openCase(error.nodeid, [path, null]);
    this.append(testcase, "error", element("error", [["message", "collection failure"]], textBody(error.longrepr.trim())));
  }

  /** Record one finished item. */
  itemEnd(event: ItemEndEvent): void {
    const location: [string, number | null] = [event.location[0], event.location[1]];
    let testcase: TestCase | null = null;
    let failedCall = false;
    // record_xml_attribute's values go on the item's first <testcase> only, as in pytest.
    let xmlAttributes = event.xmlAttributes ?? [];
    const open = (): TestCase => {
      if (testcase) return testcase;
      testcase = this.openCase(event.nodeid, location, xmlAttributes);
      xmlAttributes = [];
      return testcase;
    };
    for (const report of event.reports) {
      if (report.outcome === "passed") {
        if (report.when === "call") {
          open();
          this.stats.passed += 1;
        }
      } else if (report.outcome === "failed") {
        if (report.when === "teardown" && failedCall) {
          // A failed call and a failed teardown: pytest closes the first testcase and opens another.
          open().properties = event.properties;
          testcase = null;
          this.doubleFailures += 1;
        }
        const current = open();
        if (report.when === "call") {
          this.appendFailure(current, report);
          failedCall = true;
          if (!this.options.logPassingTests) this.writeCapturedOutput(current, report);
        } else {
          const reason = report.message ?? report.longrepr ?? "";
          const message = `failed on ${report.when === "teardown" ? "teardown" : "setup"} with "${reason}"`;
          this.append(current, "error", element("error", [["message", message]], textBody((report.longrepr ?? "").trim())));
        }
      } else {
        this.appendSkipped(open(), report);
      }
      if (this.options.durationReport === "total" || report.when === this.options.durationReport) {
        open().duration += report.duration;
      }
      if (report.when === "teardown") {
        const current = open();
        this.writeCapturedOutput(current, report);
        current.properties = event.properties;
        testcase = null;
      }
    }
  }

  /** The XML document, byte for byte as pytest writes it (no trailing newline). */
  toXml(suite: JUnitSuiteInfo): string {
    const tests = this.stats.passed + this.stats.failure + this.stats.skipped + this.stats.error - this.doubleFailures;
    const attrs: Array<[string, string]> = [
      ["name", this.options.suiteName],
      ["errors", String(this.stats.error)],
      ["failures", String(this.stats.failure)],
      ["skipped", String(this.stats.skipped)],
      ["tests", String(tests)],
      ["time", suite.duration.toFixed(3)],
      ["timestamp", typeof suite.timestamp === "string" ? suite.timestamp : isoTimestamp(suite.timestamp, suite.utcOffsetMinutes)],
      ["hostname", suite.hostname],
    ];
    const body = propertiesXml(suite.properties ?? []) + this.cases.map((testcase) => caseXml(testcase)).join("");
    const testsuite = element("testsuite", attrs, body);
    return `<?xml version="1.0" encoding="utf-8"?>${element("testsuites", [["name", "pytest tests"]], testsuite)}`;
  }

  private openCase(nodeid: string, location: [string, number | null], xmlAttributes: Array<[string, string]> = []): TestCase {
    const names = mangleTestAddress(nodeid);
    const classnames = names.slice(0, -1);
    if (this.options.prefix) classnames.unshift(this.options.prefix);
    const attrs = new Map<string, string>([["classname", classnames.join(".")], ["name", names[names.length - 1] ?? ""], ["file", location[0]]]);
    if (location[1] !== null) attrs.set("line", String(location[1]));
    for (const [name, value] of xmlAttributes) attrs.set(name, value);
    // xunit2 allows only these two: pytest drops the rest, record_xml_attribute's included.
    if (this.options.family === "xunit2") for (const name of attrs.keys()) if (name !== "classname" && name !== "name") attrs.delete(name);
    const testcase: TestCase = { attrs, duration: 0, children: [], properties: [] };
    this.cases.push(testcase);
    return testcase;
  }

  /** A rootdir-relative path as the absolute one pytest reports. */
  private absolute(file: string): string {
    const root = this.options.rootdir;
    if (!root || file === "" || file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file)) return file;
    const parts = root.replace(/\\/g, "/").replace(/\/+$/, "").split("/");
    for (const part of file.split("/")) {
      if (part === "..") parts.pop();
      else if (part !== ".") parts.push(part);
    }
    return parts.join("/");
  }

  private append(testcase: TestCase, stat: StatKey | null, xml: string): void {
    if (stat !== null) this.stats[stat] += 1;
    testcase.children.push(xml);
  }

  private appendFailure(testcase: TestCase, report: PhaseReport): void {
    if (report.wasxfail !== null) {
      this.append(testcase, "skipped", element("skipped", [["message", "xfail-marked test passes unexpectedly"]], "None"));
      return;
    }
    const longrepr = report.longrepr ?? "";
    const message = report.message ?? longrepr;
    this.append(testcase, "failure", element("failure", [["message", message]], textBody(longrepr.trim())));
  }

  private appendSkipped(testcase: TestCase, report: PhaseReport): void {
    if (report.wasxfail !== null) {
      const reason = report.wasxfail.startsWith("reason: ") ? report.wasxfail.slice(8) : report.wasxfail;
      this.append(testcase, "skipped", element("skipped", [["type", "pytest.xfail"], ["message", reason]]));
      return;
    }
    const raw = report.skip?.reason ?? "";
    const reason = raw.startsWith("Skipped: ") ? raw.slice(9) : raw;
    const details = `${this.absolute(report.skip?.path ?? "")}:${report.skip?.lineno ?? ""}: ${reason}`;
    this.append(testcase, "skipped", element("skipped", [["type", "pytest.skip"], ["message", reason]], textBody(details)));
    this.writeCapturedOutput(testcase, report);
  }

  private writeCapturedOutput(testcase: TestCase, report: PhaseReport): void {
    const logging = this.options.logging;
    if ((!this.options.logPassingTests && report.outcome === "passed") || logging === "no") return;
    const captured = (prefix: string): string =>
      report.sections.filter(([name]) => name.startsWith(prefix)).map(([, content]) => content).join("");
    const prepare = (content: string, header: string): string => `${center(header, 80)}\n${content}\n`;
    let content = "";
    if (logging === "log" || logging === "all") content = prepare(captured("Captured log"), " Captured Log ");
    if (logging === "system-out" || logging === "out-err" || logging === "all") {
      content += prepare(captured("Captured stdout"), " Captured Out ");
      this.append(testcase, null, element("system-out", [], textBody(content)));
      content = "";
    }
    if (logging === "system-err" || logging === "out-err" || logging === "all") {
      content += prepare(captured("Captured stderr"), " Captured Err ");
      this.append(testcase, null, element("system-err", [], textBody(content)));
      content = "";
    }
    if (content) this.append(testcase, null, element("system-out", [], textBody(content)));
  }
}

function propertiesXml(properties: Array<[string, string]>): string {
  if (properties.length === 0) return "";
  return element("properties", [], properties.map(([name, value]) => element("property", [["name", name], ["value", value]])).join(""));
}

function caseXml(testcase: TestCase): string {
  const attrs = new Map(testcase.attrs).set("time", testcase.duration.toFixed(3));
  return element("testcase", [...attrs], propertiesXml(testcase.properties) + testcase.children.join(""));
}

/** Python's `datetime.isoformat()` with microseconds and a `+HH:MM` offset. */
export function isoTimestamp(date: Date, utcOffsetMinutes = -date.getTimezoneOffset()): string {
  const local = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  const sign = utcOffsetMinutes < 0 ? "-" : "+";
  const offset = Math.abs(utcOffsetMinutes);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}` +
    `.${pad(local.getUTCMilliseconds() * 1000, 6)}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  );
}

/** Python's repr() of a str, enough for paths and reasons. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const body = text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(new RegExp(quote, "g"), `\\${quote}`);
  return `${quote}${body}${quote}`;
}
