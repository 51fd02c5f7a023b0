/** What the user asked for while watch mode waits. */
export type WatchCommand = "all" | "failed" | "rerun" | "quit" | "interrupt";

/** Keys as typed on a terminal (raw mode: no Enter needed). */
const keys: Record<string, WatchCommand> = { a: "all", f: "failed", "\r": "rerun", "\n": "rerun", q: "quit", "\x03": "interrupt" };
/** Lines as read from a pipe: `a`, `f`, `q`, or an empty line to rerun. */
const lines: Record<string, WatchCommand> = { a: "all", f: "failed", "": "rerun", q: "quit" };

/** An input listener; `close` gives the terminal back. */
export interface CommandInput {
  close(): void;
}

/**
 * Read watch commands from stdin. On a terminal, single keys in raw mode
 * (`a`, `f`, Enter, `q`, Ctrl-C); from a pipe, one command per line (`a`,
 * `f`, `q`, an empty line to rerun), so that scripts and tests can drive it.
 */
export function readCommands(stdin: NodeJS.ReadStream, onCommand: (command: WatchCommand) => void): CommandInput {
  const raw = Boolean(stdin.isTTY) && typeof stdin.setRawMode === "function";
  let buffered = "";
  const onData = (chunk: string) => {
    if (raw) {
      for (const char of chunk) {
        const command = keys[char.toLowerCase()];
        if (command) onCommand(command);
      }
      return;
    }
    buffered += chunk;
    let end: number;
    while ((end = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, end).trim().toLowerCase();
      buffered = buffered.slice(end + 1);
      const command = lines[line];
      if (command) onCommand(command);
    }
  };
  if (raw) stdin.setRawMode(true);
  stdin.setEncoding("utf8");
  stdin.on("data", onData);
  stdin.resume();
  return {
    close() {
      stdin.off("data", onData);
      if (raw) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

/** The line printed after each run (and when a change affects no test). */
export function commandsHint(raw: boolean): string {
  return raw
    ? "Press a to run all tests, f to rerun failures, Enter to rerun, q to quit."
    : "Type a to run all tests, f to rerun failures, q to quit (each followed by Enter), or Enter alone to rerun.";
}
