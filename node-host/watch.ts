import path from "node:path";
import { UsageError } from "../core/cli-args.js";
import { ExitCode } from "../core/protocol.js";
import type { SessionOutcome } from "../core/session.js";
import { loadHarnessFiles } from "./assets.js";
import { CodeCacheStore } from "./code-cache.js";
import { dependencySnapshot, loadDependencies, type DependencySet } from "./dependencies.js";
import { engineAssets } from "./engine-assets.js";
import { planRun } from "./planning.js";
import { ConfigError, findTestFiles } from "./project.js";
import { Run, type HostIO, type RunWorkers } from "./run.js";
import type { RunConfig } from "./run-config.js";
import { codeCacheDir, ensureSnapshot, loadOrMakeSnapshot, snapshotPath } from "./snapshot-cache.js";
import { SandboxWarmPool } from "./sandbox-warm-pool.js";
import { isConfigName, watchProject } from "./watch-files.js";
import { ImportGraph } from "./watch-graph.js";
import { commandsHint, readCommands, type WatchCommand } from "./watch-keys.js";
import { WarmPool, type LeaseEnd } from "./watch-pool.js";

/** Clean workers for each run: in a sandbox process (node-host/sandbox-warm-pool.ts) or, with `--no-permission-model`, in this one. */
interface WatchPool {
  fill(): void;
  acquire(count: number): Promise<RunWorkers>;
  release(lease: RunWorkers, end?: LeaseEnd): Promise<void>;
  discardSpares(): Promise<void>;
  close(): Promise<void>;
}
import { posix, ProjectFiles, triggersRun } from "./watch-project.js";

/** Where watch mode writes, and where it reads keys from. */
export interface WatchIO extends HostIO {
  /** Is stdout a terminal? Then the screen is cleared before each run. */
  isTTY: boolean;
  stdin: NodeJS.ReadStream;
}

/** What to run: everything, the last selection again, the failures, or what a change affects. */
type RunRequest = { kind: "all" } | { kind: "rerun" } | { kind: "failed" } | { kind: "changed"; paths: string[]; deleted: string[] };

/** A run under way; `stop` ends it when a newer one supersedes it. */
interface ActiveRun {
  superseded: boolean;
  stop(): void;
}

/** Test files (absolute) and node id selectors of one run, and why it runs. */
interface RunPlan {
  testFiles: string[];
  selectors: string[];
  reason: string;
}

const clearScreen = "\x1b[2J\x1b[3J\x1b[H";

/**
 * `fastest --watch`: run the suite, then rerun what each change affects on
 * warm, clean workers until `q` (exit 0) or Ctrl-C (exit 2, pytest's
 * "interrupted").
 */
export class WatchSession {
  private config: RunConfig;
  private testFiles: string[] = [];
  /** The test files' sandbox paths, for the code cache. */
  private testFileSet = new Set<string>();
  private project!: ProjectFiles;
  /** Third-party packages, read once at start (`--site-packages`, `--wheels`, `.venv`). */
  private dependencies: DependencySet | null = null;
  private readonly graph = new ImportGraph();
  /** Failing node ids (collection errors by file) with their file. */
  private readonly failures = new Map<string, string>();
  private lastPlan: RunPlan | undefined;
  /** The plan of a run that was superseded before it finished: the next run takes its files over. */
  private unfinished: RunPlan | undefined;
  private current: ActiveRun | undefined;
  private pool: WatchPool | undefined;
  private finished: (code: number) => void = () => {};

  constructor(
    config: RunConfig,
    private readonly io: WatchIO,
    /** Resolve the configuration again (after a config file changed). */
    private readonly reload: () => RunConfig,
  ) {
    this.config = config;
  }

  async execute(): Promise<number> {
    const { io } = this;
    // A missing engine build is a usage error before anything starts.
    const assets = engineAssets(this.config.engine);
    const harnessFiles = loadHarnessFiles();
    this.project = new ProjectFiles(this.config.rootdir);
    this.dependencies = loadDependencies(this.config);
    const { meta, bake } = dependencySnapshot(assets.meta(harnessFiles), this.dependencies);
    const dependencyFiles = (this.dependencies?.files ?? []).map((file) => [file.path, file.data] as const);
    this.testFiles = this.findTestFiles();
    const snapshotOptions = {
      harnessFiles, meta, bake,
      rebuild: Boolean(this.config.args.options["rebuild-snapshot"]),
      notice: (line: string) => io.stderr(`${line}\n`),
      stdlib: assets.stdlib,
    };
    const memoryCap = this.config.maxMemoryBytes === null ? {} : { maxMemoryBytes: this.config.maxMemoryBytes };
    const common = {
      // As many as a run of the whole suite would use.
      size: (await planRun(this.config, this.testFiles)).workers,
      onOutput: (stream: "stdout" | "stderr", text: string) => (stream === "stdout" ? io.stdout(text) : io.stderr(text)),
      timeoutGraceMs: this.config.timeoutGraceMs,
      files: () => (dependencyFiles.length > 0 ? new Map([...dependencyFiles, ...this.project.files]) : this.project.files),
      codeCache: new CodeCacheStore(codeCacheDir(meta)),
      rewritten: (file: string) => file.endsWith("/conftest.py") || this.testFileSet.has(file),
      onImports: (imports: Record<string, string[]>) => this.graph.update(imports),
    };
    let pool: WatchPool;
    let boot: Promise<unknown>;
    if (this.config.permissionModel) {
      // The spares boot in a sandbox process under Node's permission model, as a plain run's workers do.
      const sandboxed = new SandboxWarmPool({ ...common, snapshotPath: snapshotPath(meta), engine: assets });
      boot = (async () => {
        const snapshot = await ensureSnapshot({ ...snapshotOptions, module: assets.module });
        await sandboxed.boot({ snapshotPath: snapshot.path, expected: meta, ...memoryCap });
      })();
      pool = sandboxed;
    } else {
      const bootArgs = (async () => {
        const module = await assets.module();
        const snapshot = await loadOrMakeSnapshot({ ...snapshotOptions, module });
        return { module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path, ...memoryCap };
      })();
      // The spares' threads start now, while this thread reads the snapshot.
      pool = new WarmPool({ ...common, boot: bootArgs });
      boot = bootArgs;
    }
    this.pool = pool;
    pool.fill();
    try {
      await boot;
    } catch (error) {
      await pool.close();
      throw error;
    }
    const exited = new Promise<number>((resolve) => (this.finished = resolve));
    const watcher = watchProject({
      rootdir: this.config.rootdir,
      onChange: (paths) => this.changed(paths),
      onError: (error) => {
        io.stderr(`ERROR: watching ${this.config.rootdir} for changes failed: ${error.message}\n`);
        this.finished(ExitCode.INTERNAL_ERROR);
      },
    });
    const input = readCommands(io.stdin, (command) => this.command(command));
    const onSigint = () => this.finished(ExitCode.INTERRUPTED);
    process.on("SIGINT", onSigint);
    this.start({ kind: "all" });
    const code = await exited;
    // A run still under way ends unseen.
    if (this.current) {
      this.current.superseded = true;
      this.current.stop();
    }
    process.off("SIGINT", onSigint);
    watcher.close();
    input.close();
    await pool.close();
    return code;
  }

  private command(command: WatchCommand): void {
    if (command === "quit") this.finished(ExitCode.OK);
    else if (command === "interrupt") this.finished(ExitCode.INTERRUPTED);
    else this.start({ kind: command });
  }

  /**
   * Start a run; one still under way is interrupted, its output dropped, and
   * its files run again in the new one (a change may have reached it half
   * way). A request that runs nothing prints why, unless a run is printing;
   * a change that affects no test still restarts an unfinished run, which
   * may have read the file before it changed.
   */
  private start(request: RunRequest): void {
    const planned = this.plan(request);
    if (typeof planned === "string" && (request.kind !== "changed" || !this.unfinished)) {
      if (!this.current) this.io.stdout(`\n${planned} ${commandsHint(Boolean(this.io.stdin.isTTY))}\n`);
      return;
    }
    if (this.current) {
      this.current.superseded = true;
      this.current.stop();
    }
    const plan = typeof planned === "string" ? this.unfinished! : this.withUnfinished(planned);
    this.unfinished = plan;
    const active: ActiveRun = { superseded: false, stop: () => {} };
    this.current = active;
    this.runPlan(plan, active)
      .catch((error: Error) => {
        if (!active.superseded) this.io.stderr(`INTERNAL ERROR: ${error.stack ?? error.message}\n`);
      })
      .finally(() => {
        if (this.current === active) this.current = undefined;
      });
  }

  private async runPlan(plan: RunPlan, active: ActiveRun): Promise<void> {
    const pool = this.pool!;
    const lease = await pool.acquire(plan.testFiles.length);
    if (active.superseded) return void (await pool.release(lease, "unused"));
    this.lastPlan = plan;
    // Output of a run superseded by a newer one is dropped.
    const write = (sink: (text: string) => void) => (text: string) => void (active.superseded || sink(text));
    const io: HostIO = { stdout: write(this.io.stdout), stderr: write(this.io.stderr), columns: this.io.columns };
    if (this.io.isTTY) io.stdout(clearScreen);
    const config: RunConfig = { ...this.config, selectors: plan.selectors, harness: { ...this.config.harness, recordImports: true } };
    const run = new Run(config, io, { testFiles: plan.testFiles, workers: lease, dependencies: this.dependencies });
    // Superseded: stop the workers at once; the run then ends with an error nobody sees.
    active.stop = () => {
      run.interrupt();
      void pool.release(lease);
    };
    // Workers whose run ended by itself are idle; others may still be inside a test.
    let end: LeaseEnd = "stopped";
    try {
      await run.execute();
      if (!active.superseded) end = "finished";
    } catch (error) {
      if (!active.superseded) throw error;
    } finally {
      await pool.release(lease, end);
    }
    if (active.superseded) return;
    this.unfinished = undefined;
    if (run.outcome) this.learn(run.outcome, plan);
    const ran = plan.testFiles.length;
    const of = ran === this.testFiles.length ? `all ${ran}` : `${ran} of ${this.testFiles.length}`;
    const why = plan.reason ? ` (${plan.reason})` : "";
    io.stdout(`\nWaiting for changes. Ran ${of} test file${this.testFiles.length === 1 ? "" : "s"}${why}. ${commandsHint(Boolean(this.io.stdin.isTTY))}\n`);
  }

  /** What a request runs, or why it runs nothing. */
  private plan(request: RunRequest): RunPlan | string {
    const all: RunPlan = { testFiles: this.testFiles, selectors: this.config.selectors, reason: "" };
    if (request.kind === "all") return all;
    if (request.kind === "rerun") {
      const last = this.lastPlan ?? all;
      // Enter again keeps saying what was first rerun, not "rerun of: rerun of: ...".
      const reason = last.reason.startsWith("rerun") ? last.reason : `rerun${last.reason ? ` of: ${last.reason}` : ""}`;
      return { ...last, testFiles: last.testFiles.filter((file) => this.testFiles.includes(file)), reason };
    }
    if (request.kind === "failed") {
      const files = new Set(this.failures.values());
      if (files.size === 0) return "No test failed in the runs so far.";
      const testFiles = this.testFiles.filter((file) => files.has(this.relative(file)));
      return { testFiles, selectors: [...this.failures.keys()], reason: "the failures" };
    }
    const changed = request.paths.map((file) => this.relative(file));
    const names = changed.length === 1 ? changed[0]! : `${changed.length} files`;
    if (changed.some((file) => isConfigName(path.posix.basename(file)) || path.posix.basename(file) === "conftest.py")) {
      return { ...all, reason: `${names} changed` };
    }
    const affected = this.graph.dependents(changed);
    // A test file that failed to import may need a module that did not exist yet.
    for (const [nodeid, file] of this.failures) if (nodeid === file) affected.add(file);
    const testFiles = this.testFiles.filter((file) => affected.has(this.relative(file)));
    if (testFiles.length === 0) {
      return request.deleted.length === request.paths.length ? `${names} deleted.` : `${names} changed; no test file imports it.`;
    }
    return { testFiles, selectors: this.config.selectors, reason: `${names} changed` };
  }

  /** A plan that also runs what a superseded run did not finish. */
  private withUnfinished(plan: RunPlan): RunPlan {
    const previous = this.unfinished;
    if (!previous) return plan;
    const files = new Set([...previous.testFiles, ...plan.testFiles]);
    const same = previous.selectors.join("\n") === plan.selectors.join("\n");
    return {
      testFiles: this.testFiles.filter((file) => files.has(file)),
      selectors: same ? plan.selectors : this.config.selectors,
      reason: [plan.reason, `unfinished: ${previous.reason || "all"}`].filter(Boolean).join("; "),
    };
  }

  /** Remember which tests fail, for `f`. */
  private learn(outcome: SessionOutcome, plan: RunPlan): void {
    const ran = new Set(plan.testFiles.map((file) => this.relative(file)));
    for (const [nodeid, file] of this.failures) if (ran.has(file)) this.failures.delete(nodeid);
    for (const error of outcome.collection.errors) this.failures.set(error.nodeid, fileOf(error.nodeid));
    for (const result of outcome.results) {
      if (result.reports.some((report) => report.outcome === "failed")) this.failures.set(result.nodeid, fileOf(result.nodeid));
    }
  }

  /** A burst of file system events: update the project's files, then rerun what they affect. */
  private changed(paths: string[]): void {
    const change = this.project.update(paths);
    for (const gone of change.deleted) this.graph.forget(this.relative(gone));
    // Spares still hold deleted files: boot new ones.
    if (change.deleted.length > 0) void this.pool?.discardSpares();
    const triggers = change.touched.filter((file) => triggersRun(file, this.config.harness.doctest?.globs));
    if (triggers.length === 0) return;
    const configChanged = triggers.some((file) => isConfigName(path.posix.basename(file)));
    try {
      if (configChanged) this.config = this.reload();
      if (change.added || change.deleted.length > 0 || configChanged) this.testFiles = this.findTestFiles();
    } catch (error) {
      // A config being edited may not parse yet: say so and wait for the next save.
      if (!(error instanceof ConfigError) && !(error instanceof UsageError)) throw error;
      this.io.stderr(`ERROR: ${error.message}\n`);
      return;
    }
    this.start({ kind: "changed", paths: triggers, deleted: change.deleted.filter((file) => triggers.includes(file)) });
  }

  private findTestFiles(): string[] {
    const { config } = this;
    const found = findTestFiles(config.paths, config.harness.pythonFiles, config.harness.doctest, config.control.ignore, config.norecursedirs);
    this.testFileSet = new Set(found.map(posix));
    return found;
  }

  private relative(file: string): string {
    return path.relative(this.config.rootdir, file).split(path.sep).join("/");
  }
}

function fileOf(nodeid: string): string {
  const cut = nodeid.indexOf("::");
  return cut < 0 ? nodeid : nodeid.slice(0, cut);
}
