/** Name matching shared by the hosts' test-file discovery (Node's project walk, the browser's workspace). */

/** fnmatch-style glob (`*`, `?`, `[...]`) to a regular expression, as pytest matches `python_files` and `--ignore-glob`. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (const ch of glob) {
    if (ch === "*") source += ".*";
    else if (ch === "?") source += ".";
    else if (ch === "[" || ch === "]") source += ch;
    else source += ch.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Folder names pytest never recurses into by default (`norecursedirs`); a host also skips virtualenvs it can see (`pyvenv.cfg`). */
const skippedDirNames = [/^\./, /\.egg$/, /^_darcs$/, /^build$/, /^CVS$/, /^dist$/, /^node_modules$/, /^venv$/, /^\{arch\}$/, /^__pycache__$/];

/** Is a folder of this name one pytest does not search for tests by default? */
export function isSkippedDirName(name: string): boolean {
  return skippedDirNames.some((re) => re.test(name));
}
