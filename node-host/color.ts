/**
 * Whether the terminal report is colored, decided as pytest 9 decides it:
 * `--color=yes` / `--color=no` win; with `--color=auto` (the default)
 * `PY_COLORS=1` / `PY_COLORS=0` come first, then `NO_COLOR` (any non-empty
 * value) turns colors off and `FORCE_COLOR` (non-empty) on, and otherwise
 * only a terminal that is not `TERM=dumb` gets them.
 */
export function useColor(option: string, env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  if (option === "yes") return true;
  if (option === "no") return false;
  if (env["PY_COLORS"] === "1") return true;
  if (env["PY_COLORS"] === "0") return false;
  if (env["NO_COLOR"]) return false;
  if (env["FORCE_COLOR"]) return true;
  return isTTY && env["TERM"] !== "dumb";
}
