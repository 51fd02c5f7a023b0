/** Which tests a run of pytest-style selectors covers. */

/** Does `nodeid` fall under one of the selectors (a file, a class or a test id, as on pytest's command line)? Empty: every test. */
export function selectedBy(nodeid: string, selectors: readonly string[]): boolean {
  if (selectors.length === 0) return true;
  return selectors.some((selector) => nodeid === selector || nodeid.startsWith(`${selector}::`) || nodeid.startsWith(`${selector}[`));
}
