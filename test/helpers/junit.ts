import { readFileSync } from "node:fs";

export interface JUnitCase {
  classname: string;
  name: string;
  /** passed, failure, error or skipped (pytest writes xfail as skipped). */
  result: "passed" | "failure" | "error" | "skipped";
  message: string | null;
}

const unescape = (text: string) =>
  text.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The test cases of a JUnit XML file, in document order. */
export function readJUnit(file: string): JUnitCase[] {
  const xml = readFileSync(file, "utf8");
  const cases: JUnitCase[] = [];
  const testcase = /<testcase ([^>]*?)(\/>|>([\s\S]*?)<\/testcase>)/g;
  for (const match of xml.matchAll(testcase)) {
    const attrs = Object.fromEntries([...match[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], unescape(m[2]!)]));
    const body = match[3] ?? "";
    const child = /<(failure|error|skipped)\b([^>]*)/.exec(body);
    const message = child ? /message="([^"]*)"/.exec(child[2]!)?.[1] : undefined;
    cases.push({
      classname: attrs["classname"] ?? "",
      name: attrs["name"] ?? "",
      result: (child?.[1] as JUnitCase["result"] | undefined) ?? "passed",
      message: message === undefined ? null : unescape(message),
    });
  }
  return cases;
}

/** `classname::name -> result`, the shape parity tests compare. */
export function outcomesById(cases: JUnitCase[]): Record<string, string> {
  return Object.fromEntries(cases.map((c) => [`${c.classname}::${c.name}`, c.result]));
}
