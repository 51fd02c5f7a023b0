/**
 * The only environment variables Python sees inside the sandbox, whichever
 * the engine. Host variables never cross; PYTHONHASHSEED is fixed because the
 * hash secret is frozen into the snapshot anyway.
 */
export const sandboxEnvironment: Readonly<Record<string, string>> = {
  HOME: "/home/sandbox",
  USER: "sandbox",
  LANG: "C.UTF-8",
  TMPDIR: "/tmp",
  PYTHONHASHSEED: "0",
  PYTHONDONTWRITEBYTECODE: "1",
  FASTEST_SANDBOX: "1",
};

/** Where the harness lives inside the sandbox. */
export const harnessRoot = "/lib/fastest";
