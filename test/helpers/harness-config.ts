import type { HarnessConfig } from "../../core/protocol.js";

/** pytest's defaults for a project at `/proj`, as tests that drive an engine directly use them. */
export function projectHarnessConfig(overrides: Partial<HarnessConfig> = {}): HarnessConfig {
  return {
    rootdir: "/proj",
    invocationDir: "/proj",
    seed: 1,
    verbosity: 0,
    tbStyle: "auto",
    showLocals: false,
    capture: "fd",
    pythonFiles: ["test_*.py"],
    pythonClasses: ["Test"],
    pythonFunctions: ["test"],
    xfailStrict: false,
    markers: [],
    ini: {},
    args: [],
    ...overrides,
  };
}
