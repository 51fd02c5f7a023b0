import { spawnSync } from "node:child_process";

/**
 * Run `command` with stdout (and, unless `stderr` is "ignore", stderr) on a
 * pseudo-terminal made with Python's pty module; returns what it wrote there,
 * with the terminal's CRLF line ends turned back into LF.
 */
export function runOnTerminal(command: string[], options: { cwd: string; env: NodeJS.ProcessEnv; stderr?: "terminal" | "ignore" }): string {
  const script = String.raw`
import os, pty, subprocess, sys, json
master, slave = pty.openpty()
os.set_blocking(master, True)
stderr = subprocess.DEVNULL if sys.argv[2] == "ignore" else slave
proc = subprocess.Popen(json.loads(sys.argv[1]), stdin=subprocess.DEVNULL, stdout=slave, stderr=stderr, close_fds=True)
os.close(slave)
chunks = []
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
proc.wait()
sys.stdout.write(b"".join(chunks).decode("utf8", "replace").replace("\r\n", "\n"))
`;
  const result = spawnSync("python3", ["-c", script, JSON.stringify(command), options.stderr ?? "terminal"], {
    cwd: options.cwd,
    env: options.env,
    encoding: "utf8",
    timeout: 120_000,
  });
  return result.stdout;
}
