/**
 * One runnable example: builds its files from the block (and the page's
 * setup), runs them on the shared engine, and shows the outcome: per
 * example for doctest blocks, per test for test blocks.
 */
import type { EngineName, RunOptions, RunSummary } from "../runtime/api.js";
import { engineVersion } from "../runtime/engines.js";
import { encodeShareLink } from "../share/codec.js";
import { sharePayloadFromRun } from "../share/payload.js";
import { exampleFile, exampleFiles, readDoctestReport, reportMarker, type DoctestExample } from "./example-files.js";
import { runShared, sharedEngineState } from "./shared-runner.js";
import type { WidgetView } from "./widget-view.js";

export interface ExampleSettings {
  /** Seconds one test may run (the runner's default is 10). */
  timeout: number;
  /** The playground page links open; null: no "Open in playground" link. */
  playgroundUrl: string | null;
  /** The page's setup code at the time of the call ("" when none). */
  setup: () => string;
}

/** Which engine an example runs on, or why its `data-engine` names none. */
export type ExampleEngine = { engine: EngineName; problem?: undefined } | { engine?: undefined; problem: string };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** A mounted example: its view, what kind of block it is, and its code; the view's Run button calls `run`. */
export class ExampleWidget {
  private running = false;

  constructor(
    readonly view: WidgetView,
    readonly kind: "doctest" | "test",
    readonly code: string,
    private readonly settings: ExampleSettings,
    private readonly engine: ExampleEngine,
  ) {
    view.runButton.addEventListener("click", () => void this.run());
  }

  /** The run options for the example as the page reads now (a fresh report marker each time). */
  private runOptions(marker: string): RunOptions {
    return {
      files: exampleFiles({ kind: this.kind, code: this.code, setup: this.settings.setup() }, marker),
      seed: 0,
      timeout: this.settings.timeout,
    };
  }

  /** Run the example on the page's shared engine and show the outcome. Ignored while it is running. */
  async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const view = this.view;
    const engine = this.engine.engine;
    if (engine === undefined) {
      view.setState("failed", "Failed: the example could not run");
      view.showMessage("The example could not run:", this.engine.problem);
      this.running = false;
      return;
    }
    const marker = reportMarker();
    const options = this.runOptions(marker);
    view.setState("running", "Waiting for the example before it…");
    try {
      const { summary, boot } = await runShared(
        engine,
        options,
        (update) => {
          if (update.type === "collected") view.setState("running", "Running…");
        },
        () => view.setState("running", sharedEngineState(engine) === "ready" ? "Running…" : "Starting Python…"),
      );
      if (this.kind === "doctest") this.showDoctest(summary, marker);
      else this.showTests(summary);
      await this.updateLink(options, boot.pyodideVersion, summary, boot.engine);
    } catch (error) {
      // Python did not start, or the engine failed under the run; the next Run tries again.
      view.setState("failed", "Failed: the example could not run");
      view.showMessage("The example could not run (press Run example to try again):", error instanceof Error ? error.message : String(error));
    } finally {
      this.running = false;
    }
  }

  private showDoctest(summary: RunSummary, marker: string): void {
    const view = this.view;
    const result = summary.results.find((r) => r.nodeid === `${exampleFile}::test_example`);
    const examples = result ? readDoctestReport(result, marker) : null;
    if (!examples) {
      // The helper never got to report: the setup block or the block itself is broken.
      this.showTests(summary);
      if (result?.outcome === "skipped") view.setState("failed", "Failed: no >>> examples in this block");
      else if (summary.stopped) view.setState("failed", "Stopped");
      return;
    }
    view.showDoctest(examples);
    view.setState(countFailed(examples) > 0 ? "failed" : "passed", doctestSummary(examples));
  }

  private showTests(summary: RunSummary): void {
    const view = this.view;
    view.showTests(summary.results, summary.errors);
    if (summary.exitCode === 5) {
      view.setState("failed", "Failed: no tests found (name test functions test_…)");
      return;
    }
    const line = summary.summaryLine || plural(summary.results.length, "test");
    view.setState(summary.exitCode === 0 ? "passed" : "failed", `${summary.exitCode === 0 ? "Passed" : "Failed"}: ${line}`);
  }

  /** Point "Open in playground" at a link holding this example's files (and its last run, when there is one). */
  async updateLink(options?: RunOptions, pyodideVersion?: string, summary: RunSummary | null = null, engine = this.engine.engine ?? "pyodide"): Promise<void> {
    const url = this.settings.playgroundUrl;
    if (url === null) return;
    const payload = sharePayloadFromRun(options ?? this.runOptions(reportMarker()), pyodideVersion ?? engineVersion(engine), summary, engine);
    try {
      this.view.setPlaygroundLink(await encodeShareLink(payload, url), summary !== null);
    } catch {
      // Too big for a link (a huge block): the example still runs here; the link stays hidden.
    }
  }
}

function countFailed(examples: DoctestExample[]): number {
  return examples.filter((e) => e.state === "failed").length;
}

function doctestSummary(examples: DoctestExample[]): string {
  const failed = countFailed(examples);
  const skipped = examples.filter((e) => e.state === "skipped").length;
  const checked = examples.length - skipped;
  const skippedText = skipped > 0 ? `, ${skipped} skipped` : "";
  if (failed > 0) return `Failed: ${failed} of ${plural(checked, "example")} failed${skippedText}`;
  if (checked === 0) return `Passed: nothing checked, ${plural(skipped, "example")} skipped`;
  return `Passed: ${checked === 1 ? "1 example" : `all ${checked} examples`} passed${skippedText}`;
}
