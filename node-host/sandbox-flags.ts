import v8 from "node:v8";

let applied = false;

/**
 * V8 settings every sandbox worker runs under. Disallowing code generation
 * from strings closes the last path from Python into host JavaScript (a
 * Function constructor reached through any JS proxy). V8 applies the flag to
 * contexts created after it is set, so this runs before the first worker
 * starts; the host's own main context is not affected.
 */
export function applySandboxFlags(): void {
  if (applied) return;
  v8.setFlagsFromString("--disallow-code-generation-from-strings");
  applied = true;
}
