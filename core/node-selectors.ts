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
