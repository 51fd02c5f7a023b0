/**
 * The playground's Python: the runner on the engine in use, how its boot
 * went, and replacing it when another engine is chosen (the old runner's
 * workers go). A boot that a replaced runner finishes no longer speaks for
 * the page.
 */
import type { BootInfo, EngineName, Runner } from "../runtime/api.js";
import { errorMessage } from "./status-line.js";

/** The page's runner, on the engine it was made for, and how to make one on another engine. */
export interface PageRunners {
  engine: EngineName;
  runner: Runner;
  create(engine: EngineName): Runner;
}

export class PagePython {
  /** The runner in use; null where the browser cannot run one. */
  runner: Runner | null;
  engine: EngineName;
  boot: BootInfo | null = null;
  booting = false;
  /** Why Python could not start, when it could not. */
  problem: string | null = null;

  /**
   * @param runners the page's runner and how to make others; null where the browser cannot run one.
   * @param earlyBoot the boot the page's entry already started (so that it runs while the page's code loads).
   * @param changed called whenever the state above changes.
   */
  constructor(
    private readonly runners: PageRunners | null,
    private earlyBoot: Promise<BootInfo> | undefined,
    private readonly changed: () => void,
  ) {
    this.runner = runners?.runner ?? null;
    this.engine = runners?.engine ?? "pyodide";
    if (!this.runner) this.problem = "This browser cannot run Python here (no Web Worker or WebAssembly support).";
  }

  /** Boot the runner in use, unless it is booted or booting. */
  async start(): Promise<void> {
    const runner = this.runner;
    if (!runner || this.boot || this.booting) return;
    this.booting = true;
    this.changed();
    try {
      const boot = this.earlyBoot ?? runner.boot();
      this.earlyBoot = undefined; // a failed boot is tried again by the next call
      const info = await boot;
      if (runner === this.runner) this.booted(info);
    } catch (error) {
      if (runner === this.runner) this.problem = `Python could not start: ${errorMessage(error)}. Reload the page to try again.`;
    } finally {
      if (runner === this.runner) {
        this.booting = false;
        this.changed();
      }
    }
  }

  /** The runner booted (on its own, or for a run). */
  booted(boot: BootInfo): void {
    this.boot = boot;
    this.problem = null;
    this.changed();
  }

  /** Use a runner on `engine` from now on (nothing when the one in use is on it); no run may be in progress. */
  replace(engine: EngineName): void {
    if (!this.runners || engine === this.engine) return;
    this.runner?.dispose();
    this.runner = this.runners.create(engine);
    this.engine = engine;
    this.earlyBoot = undefined;
    this.boot = null;
    this.booting = false;
    this.problem = null;
    this.changed();
  }
}
