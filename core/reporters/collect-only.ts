/**
 * `--collect-only` output as pytest 9 prints it: the collection tree
 * (`<Module test_x.py>` under `<Dir name>`...), one node id per line with
 * `-q`, or `file: count` lines with `-qq`; and its final summary line.
 */
import type { CollectedItem } from "../protocol.js";

/** The lines listing the collected items for this verbosity. */
export function collectOnlyLines(items: readonly CollectedItem[], verbosity: number): string[] {
  if (verbosity < -1) {
    const counts = new Map<string, number>();
    for (const item of items) {
      const file = item.nodeid.split("::")[0]!;
      counts.set(file, (counts.get(file) ?? 0) + 1);
    }
    return [...counts.keys()].sort(byCodePoint).map((file) => `${file}: ${counts.get(file)}`);
  }
  if (verbosity < 0) return items.map((item) => item.nodeid);
  const lines: string[] = [];
  // Keys of the collectors printed so far, outermost first.
  let stack: string[] = [];
  for (const item of items) {
    const chain = item.nodes ?? [{ type: "Function", name: item.nodeid.split("::").at(-1)! }];
    const keys = chain.map((_, depth) => JSON.stringify(chain.slice(0, depth + 1).map((n) => [n.type, n.name])));
    let shared = 0;
    while (shared < stack.length && shared < keys.length && stack[shared] === keys[shared]) shared += 1;
    stack = stack.slice(0, shared);
    for (let depth = shared; depth < chain.length; depth++) {
      const node = chain[depth]!;
      const indent = "  ".repeat(depth);
      lines.push(`${indent}<${node.type} ${node.name}>`);
      if (verbosity >= 1 && node.doc) for (const line of node.doc.split("\n")) lines.push(`${indent}  ${line}`);
      stack.push(keys[depth]!);
    }
  }
  return lines;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The parts of the final line of a `--collect-only` run, with pytest's colours. */
export function collectOnlySummaryParts(
  collected: number,
  deselected: number,
  errors: number,
): { parts: Array<{ text: string; color: string }>; main: string } {
  let main = "green";
  let text: string;
  if (collected === 0) {
    main = "yellow";
    text = "no tests collected";
  } else if (deselected === 0) {
    text = `${collected} test${collected === 1 ? "" : "s"} collected`;
  } else if (deselected === collected) {
    main = "yellow";
    text = `no tests collected (${deselected} deselected)`;
  } else {
    text = `${collected - deselected}/${collected} tests collected (${deselected} deselected)`;
  }
  const parts = [{ text, color: main }];
  if (errors > 0) {
    main = "red";
    parts.push({ text: `${errors} error${errors === 1 ? "" : "s"}`, color: main });
  }
  return { parts, main };
}
