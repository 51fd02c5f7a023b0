/**
 * Where a KeyboardInterrupt stopped Python, as pytest prints it under
 * `!!! KeyboardInterrupt !!!` (`/abs/path/test_a.py:9: KeyboardInterrupt`):
 * the innermost frame of its traceback that is neither fastest's harness
 * nor the engine's own Python (Pyodide's `time.sleep` is Python code in its
 * `pyodide` package, where CPython's is C and leaves no frame).
 */

/** Pyodide's own modules, inside its standard library archive. */
const engineModule = /^\/lib\/python3\d*\.zip\/_?pyodide\//;

/**
 * `path:line` of the innermost frame outside `harnessRoot` in a Python
 * traceback that ends in KeyboardInterrupt; undefined for any other text
 * (a worker stopped without a traceback) or when only harness frames ran.
 */
export function keyboardInterruptLocation(traceback: string, harnessRoot: string): string | undefined {
  const lines = traceback.trimEnd().split("\n");
  if (!/^KeyboardInterrupt\b/.test(lines.at(-1) ?? "")) return undefined;
  let location: string | undefined;
  // The last traceback printed (after any "During handling of the above exception") comes last.
  for (const [, file, line] of traceback.matchAll(/^ {2}File "(.+)", line (\d+), in /gm)) {
    if (file!.startsWith(`${harnessRoot}/`) || file!.startsWith("<") || engineModule.test(file!)) continue;
    location = `${file}:${line}`;
  }
  return location;
}
