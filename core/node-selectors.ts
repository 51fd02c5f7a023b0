/**
 * Command-line arguments that name node ids (`tests/test_a.py::TestX::test_y`)
 * narrow collection itself, as pytest does: items matching no argument are
 * not collected (and not counted as deselected). When such an argument is
 * given next to plain paths, every path argument becomes a selector too, so
 * that `fastest test_a.py::test_x tests/` still runs all of `tests/`.
 */

/** The file part of a node id (`tests/test_a.py` of `tests/test_a.py::test_x`). */
export function fileOfNodeid(nodeid: string): string {
  const cut = nodeid.indexOf("::");
  return cut < 0 ? nodeid : nodeid.slice(0, cut);
}

/**
 * Does `nodeid` fall under one of `selectors` (rootdir-relative node ids,
 * files or folders; `""` is the rootdir itself)? No selectors: everything.
 */
export function matchesNodeSelector(nodeid: string, selectors: readonly string[]): boolean {
  if (selectors.length === 0) return true;
  const file = fileOfNodeid(nodeid);
  return selectors.some(
    (s) =>
      nodeid === s ||
      nodeid.startsWith(`${s}::`) ||
      nodeid.startsWith(`${s}[`) ||
      file === s ||
      // A folder argument selects every file below it.
      s === "" ||
      s === "." ||
      file.startsWith(`${s.endsWith("/") ? s : `${s}/`}`),
  );
}

/**
 * pytest's usage error for node ids on the command line that matched no
 * item (`ERROR: not found: ...`, exit 4), one message per such id, each
 * naming the deepest collector that exists (`<Module test_a.py>`,
 * `<Class TestX>`). File and folder arguments never count; a node id in a
 * file that failed to collect finds no collectors.
 */
export function notFoundMessages(
  items: readonly { nodeid: string }[],
  errors: readonly { nodeid: string }[],
  selectors: readonly string[],
  rootdir: string,
): string[] {
  const messages: string[] = [];
  for (const selector of selectors) {
    if (!selector.includes("::") || items.some((item) => matchesNodeSelector(item.nodeid, [selector]))) continue;
    const [file, ...names] = selector.split("::") as [string, ...string[]];
    const absolute = `${rootdir.replace(/\/$/, "")}/`;
    if (errors.some((error) => error.nodeid === file || fileOfNodeid(error.nodeid) === file)) {
      messages.push(`found no collectors for ${absolute}${selector}`);
      continue;
    }
    // pytest matches the last name without its parameters, and says so.
    const last = names.length - 1;
    names[last] = names[last]!.replace(/\[.*$/, "");
    let collector = `<Module ${file.split("/").at(-1)}>`;
    let found = "";
    for (let i = 0; i < names.length; i++) {
      const prefix = [file, ...names.slice(0, i + 1)].join("::");
      if (items.some((item) => item.nodeid === prefix || item.nodeid.startsWith(`${prefix}[`))) {
        // A test function, with names still after it: nothing can be collected below a function.
        found = i < last ? `found no collectors for ${absolute}${selector}` : "";
        break;
      }
      if (!items.some((item) => item.nodeid.startsWith(`${prefix}::`))) break;
      collector = `<Class ${names[i]}>`;
    }
    messages.push(found || `not found: ${absolute}${[file, ...names].join("::")}\n(no match in any of [${collector}])`);
  }
  return messages;
}
