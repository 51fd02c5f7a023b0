import { constants as fsConstants } from "node:fs";
import { constants as osConstants } from "node:os";

/**
 * Under Node's permission model (the sandbox process, see
 * node-host/sandbox-process.ts) a call Pyodide's Emscripten runtime makes
 * is refused although it reaches nothing of the host:
 * `process.binding("constants")`, which its file-system layer reads for the
 * `O_*` flags. It gets the answer it would get without the permission model;
 * every other `process.binding` stays refused.
 */
export function installPermissionShims(): void {
  if (!("permission" in process)) return;
  const host = process as unknown as { binding(name: string): unknown };
  const refused = host.binding.bind(process);
  const binding = (name: string): unknown => (name === "constants" ? { fs: fsConstants, os: osConstants } : refused(name));
  Object.defineProperty(process, "binding", { value: binding, configurable: true, writable: true });
}
