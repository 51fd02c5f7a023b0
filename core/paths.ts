/** POSIX path helpers for the isomorphic core (no `node:path` here). */

function parts(path: string): string[] {
  return path.split("/").filter((p) => p !== "" && p !== ".");
}

/** `to` relative to the folder `from`, both absolute POSIX paths. */
export function relativePath(from: string, to: string): string {
  const a = parts(from);
  const b = parts(to);
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const up = a.slice(common).map(() => "..");
  return [...up, ...b.slice(common)].join("/") || ".";
}

/**
 * pytest's `cwd_relative_nodeid`: node ids are relative to rootdir, but the
 * terminal shows them relative to the folder pytest was started in.
 */
export function cwdRelativeNodeid(nodeid: string, rootdir: string, invocationDir: string): string {
  if (!invocationDir || stripSlash(invocationDir) === stripSlash(rootdir)) return nodeid;
  const cut = nodeid.indexOf("::");
  const file = cut < 0 ? nodeid : nodeid.slice(0, cut);
  const rest = cut < 0 ? "" : nodeid.slice(cut);
  return relativePath(invocationDir, `${stripSlash(rootdir)}/${file}`) + rest;
}

function stripSlash(path: string): string {
  return path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : path;
}
