/**
 * `--markers`: the markers registered in the ini file, then pytest 9's
 * built-in ones, each as `@pytest.mark.NAME: description` and a blank line.
 */

/** pytest's built-in marker descriptions, as `--markers` prints them. */
const BUILTIN_MARKERS: readonly string[] = [
  "filterwarnings(warning): add a warning filter to the given test. see https://docs.pytest.org/en/stable/how-to/capture-warnings.html#pytest-mark-filterwarnings ",
  "skip(reason=None): skip the given test function with an optional reason. Example: skip(reason=\"no way of currently testing this\") skips the test.",
  "skipif(condition, ..., *, reason=...): skip the given test function if any of the conditions evaluate to True. Example: skipif(sys.platform == 'win32') skips the test if we are on the win32 platform. See https://docs.pytest.org/en/stable/reference/reference.html#pytest-mark-skipif",
  "xfail(condition, ..., *, reason=..., run=True, raises=None, strict=strict_xfail): mark the test function as an expected failure if any of the conditions evaluate to True. Optionally specify a reason for better reporting and run=False if you don't even want to execute the test function. If only specific exception(s) are expected, you can list them in raises, and if the test fails in other ways, it will be reported as a true failure. See https://docs.pytest.org/en/stable/reference/reference.html#pytest-mark-xfail",
  "parametrize(argnames, argvalues): call a test function multiple times passing in different arguments in turn. argvalues generally needs to be a list of values if argnames specifies only one name or a list of tuples of values if argnames specifies multiple names. Example: @parametrize('arg1', [1,2]) would lead to two calls of the decorated test function, one with arg1=1 and another with arg1=2.see https://docs.pytest.org/en/stable/how-to/parametrize.html for more info and examples.",
  "usefixtures(fixturename1, fixturename2, ...): mark tests as needing all of the specified fixtures. see https://docs.pytest.org/en/stable/explanation/fixtures.html#usefixtures ",
  "tryfirst: mark a hook implementation function such that the plugin machinery will try to call it first/as early as possible. DEPRECATED, use @pytest.hookimpl(tryfirst=True) instead.",
  "trylast: mark a hook implementation function such that the plugin machinery will try to call it last/as late as possible. DEPRECATED, use @pytest.hookimpl(trylast=True) instead.",
];

/** The `--markers` text for the ini's `markers` lines ("name: description"). */
export function markersListing(registered: readonly string[]): string {
  const lines: string[] = [];
  for (const line of [...registered, ...BUILTIN_MARKERS]) {
    const cut = line.indexOf(":");
    const [name, rest] = cut < 0 ? [line, ""] : [line.slice(0, cut), line.slice(cut + 1)];
    lines.push(`@pytest.mark.${name}:${rest}`, "");
  }
  return `${lines.join("\n")}\n`;
}
