import { readFileSync } from "node:fs";
import path from "node:path";
import type { CollectedItem, EngineInfo, ProjectFile, WarningRecord } from "../core/protocol.js";
import { ExitCode } from "../core/protocol.js";
import type { ProgressBar } from "../core/reporters/progress-bar.js";
import { TerminalReporter } from "../core/reporters/terminal.js";
import { terminalOptions } from "./terminal-options.js";
import { conftestHookSetup, type ConftestHookSetup } from "./conftest-hooks.js";
import { runSession, type SessionOptions, type SessionOutcome } from "../core/session.js";
import type { CodeCacheEntry } from "../wasm-python/engine.js";
import { loadHarnessFiles, packageRoot } from "./assets.js";
import { engineAssets, type EngineAssets } from "./engine-assets.js";
import { planRun, recordBootTime, recordRestoreCost, saveFileDurations, type HostPlan } from "./planning.js";
import { WorkerPool } from "./pool.js";
import { findTestFiles, readProjectFiles } from "./project.js";
import { configfileLabel } from "./config-files.js";
import type { RunConfig } from "./run-config.js";
import { codeCacheDir, ensureSnapshot, loadOrMakeSnapshot, snapshotPath } from "./snapshot-cache.js";
import { SandboxProcess } from "./sandbox-process.js";
import { ChangedError, saveImportMap } from "./changed.js";
import { changedTests, type ChangedTests } from "./changed-tests.js";
import { saveChangedMap, withChangedTests } from "./changed-run.js";
import { FileCacheStore } from "./cache-store.js";
import { CodeCacheStore } from "./code-cache.js";
import { dependencyHarnessConfig, dependencySnapshot, loadDependencies, type DependencySet, type SnapshotBake } from "./dependencies.js";
import type { SnapshotMeta } from "../wasm-python/pyodide/snapshot-format.js";
import { githubAnnotationText, reportNotices, writeReports } from "./reports.js";
import { RunControl } from "./run-control.js";
import { keyboardInterruptLocation } from "../core/interrupt-location.js";
import { harnessRoot } from "../wasm-python/sandbox-environment.js";
import { reportCoverage } from "./coverage-report.js";
import { rememberEngineInfo } from "./static-collect.js";
import { prefilterFiles } from "./static-prefilter.js";

/** Where the host's output goes. */
export interface HostIO {
  stdout(text: string): void;
  stderr(text: string): void;
  columns: number;
  /** A live progress bar on a terminal (node-host/progress.ts), fed with the run's counts. */
  progress?: Pick<ProgressBar, "collected" | "itemDone" | "stop">;
}

export const fastestVersion = (JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }).version;

/** Booted workers for one run, with the project's files written and the code cache loaded. */
export interface RunWorkers {
  /** How many workers. */
  size: number;
  /** The engine's facts, for the report header. */
  info: EngineInfo;
  /** Where the code the workers rewrite during the run is kept. */
  codeCache: Pick<CodeCacheStore, "save">;
  /** Run a session on these workers. */
  session(options: Omit<SessionOptions, "workers">): Promise<SessionOutcome>;
  takeCodeCache(): Promise<CodeCacheEntry[]>;
  interrupt(): void;
}

/** What a run may be given instead of finding it itself (watch mode's reruns). */
export interface RunOptions {
  /** The test files to run (absolute paths); by default those found under the configured paths. */
  testFiles?: string[];
  /** Workers to run on; by default the run boots a pool of its own and stops it afterwards. */
  workers?: RunWorkers;
  /** The dependencies those workers hold (watch mode); by default the run reads them (`--site-packages`, `--wheels`, `.venv`). */
  dependencies?: DependencySet | null;
}

/** A run in progress; `interrupt` stops it the way Ctrl-C stops pytest. */
export class Run {
  private pool: WorkerPool | undefined;
  private sandbox: SandboxProcess | undefined;
  /** `--changed`: the header line saying what it chose. */
  private changedLine: string | undefined;
  /** What the initial conftests' hooks change (report header, which files are sent). */
  private hookSetup: ConftestHookSetup = { harness: {}, holdHeader: false, collectAll: false };
  /** `--changed`: the files of which only some tests run. */
  private changedNarrowed: ChangedTests["narrowed"] = null;
  /** The project's files as the workers got them (stamps the `--changed` map). */
  private projectFiles: ProjectFile[] = [];
  private interrupted = false;
  private deselectedBeforeCollection: CollectedItem[] = [];
  /** The session's outcome, once `execute` has run it. */
  outcome: SessionOutcome | undefined;
  private plan: HostPlan | undefined;
  private spawnedAt = 0;
  /** Third-party packages copied into the sandbox with the project. */
  private dependencies: DependencySet | null = null;
  /** The engine's files (`--engine`). */
  private assets: EngineAssets | undefined;

  constructor(
    private readonly config: RunConfig,
    private readonly io: HostIO,
    private readonly options: RunOptions = {},
  ) {}

  interrupt(): void {
    this.interrupted = true;
    this.pool?.interrupt();
    this.sandbox?.interrupt();
    this.options.workers?.interrupt();
  }

  async execute(): Promise<number> {
    const { config } = this;
    // A missing engine build is a usage error before anything starts.
    this.assets = engineAssets(config.engine);
    this.dependencies = this.options.dependencies !== undefined ? this.options.dependencies : loadDependencies(config);
    // The sandbox process starts first: Node and the engine's code load there while this process finds the tests.
    if (!this.options.workers && config.permissionModel) {
      const { meta } = this.snapshotIdentity();
      this.sandbox = SandboxProcess.start(snapshotPath(meta), undefined, this.assets);
    }
    try {
      return await this.findAndRun();
    } finally {
      await this.sandbox?.stop();
    }
  }

  private async findAndRun(): Promise<number> {
    const { config } = this;
    const started = performance.now();
    const startedAt = new Date();
    this.hookSetup = conftestHookSetup(config);
    const everything = this.options.testFiles
      ?? this.hookSetup.files
      ?? findTestFiles(config.paths, config.harness.pythonFiles, config.harness.doctest, config.control.ignore, config.norecursedirs);
    const found = config.changed === null ? everything : await this.narrowToChanged(everything, config.changed);
    // -k/-m/--deselect: files static discovery knows to be wholly deselected are never sent to a worker.
    const { testFiles, deselected } = await prefilterFiles(config, found, (line) => this.io.stderr(line));
    this.deselectedBeforeCollection = deselected;
    // A listing comes from one interpreter that saw every file.
    this.plan = await planRun(config, testFiles, { singleWorker: Boolean(listingOf(config)) });
    if (this.options.workers) return this.runOn(this.options.workers, testFiles, started, startedAt);
    if (this.sandbox) return this.runInSandboxProcess(this.sandbox, testFiles, started, startedAt);
    // Threads start loading the engine now, while this thread reads the assets.
    const pool = new WorkerPool({ timeoutGraceMs: config.timeoutGraceMs, busyLimitMs: config.busyLimitMs });
    this.pool = pool;
    const size = this.plan.workers;
    pool.spawn(size);
    this.spawnedAt = performance.now();
    try {
      return await this.runWith(pool, testFiles, started, startedAt);
    } finally {
      await pool.stop();
    }
  }

  private async runWith(pool: WorkerPool, testFiles: string[], started: number, startedAt: Date): Promise<number> {
    const { config, io } = this;
    const { harnessFiles, meta, bake } = this.snapshotIdentity();
    const module = await this.assets!.module();
    const snapshot = await loadOrMakeSnapshot({ ...this.snapshotOptions(harnessFiles, meta, bake), module });
    const memoryCap = config.maxMemoryBytes === null ? {} : { maxMemoryBytes: config.maxMemoryBytes };
    await pool.boot({ module, snapshot: snapshot.bytes, expected: meta, snapshotOrigin: snapshot.path, ...memoryCap }, (stream, text) =>
      stream === "stdout" ? io.stdout(text) : io.stderr(text),
    );
    // The cost model's boot figures; a boot that first built the snapshot says nothing about the next.
    if (!snapshot.built) recordBootTime(config.engine, pool.handles.length, (performance.now() - this.spawnedAt) / 1000);
    const { files, codeCache, cachedCode } = this.workerFiles(meta, testFiles);
    await Promise.all(
      pool.handles.map(async (handle) => {
        await handle.writeFiles(files);
        await handle.loadCodeCache(cachedCode);
      }),
    );
    const workers: RunWorkers = {
      size: pool.handles.length,
      info: pool.handles[0]!.info!,
      codeCache,
      session: (options) => runSession({ ...options, workers: pool.handles, clock: () => performance.now() }),
      takeCodeCache: async () => (await Promise.all(pool.handles.map((handle) => handle.takeCodeCache()))).flat(),
      interrupt: () => pool.interrupt(),
    };
    return this.runOn(workers, testFiles, started, startedAt);
  }

  private identity: { harnessFiles: ProjectFile[]; meta: SnapshotMeta; bake?: SnapshotBake | undefined } | undefined;

  /** The harness and what the snapshot this run boots from is stamped with (read once: the sandbox process needs it first). */
  private snapshotIdentity(): { harnessFiles: ProjectFile[]; meta: SnapshotMeta; bake?: SnapshotBake | undefined } {
    if (!this.identity) {
      const harnessFiles = loadHarnessFiles();
      this.identity = { harnessFiles, ...dependencySnapshot(this.assets!.meta(harnessFiles), this.dependencies) };
    }
    return this.identity;
  }

  /** How this run finds or makes its snapshot. */
  private snapshotOptions(harnessFiles: ProjectFile[], meta: SnapshotMeta, bake: SnapshotBake | undefined) {
    const { config, io } = this;
    return {
      harnessFiles,
      meta,
      bake,
      rebuild: Boolean(config.args.options["rebuild-snapshot"]),
      notice: (line: string) => io.stderr(`${line}\n`),
      stdlib: this.assets!.stdlib,
    };
  }

  /** What every worker gets: the project's files and the dependencies', and the cached rewritten code of the test files and conftests. */
  private workerFiles(meta: SnapshotMeta, testFiles: string[]): { files: ProjectFile[]; codeCache: CodeCacheStore; cachedCode: Uint8Array[] } {
    // With collection hooks a conftest may collect from any folder pytest skips by default: copy them.
    const project = readProjectFiles(this.config.rootdir, this.hookSetup.harness.collectionHooks ? [] : this.config.norecursedirs);
    this.projectFiles = project.files;
    const codeCache = new CodeCacheStore(codeCacheDir(meta));
    const testFileSet = new Set(testFiles.map((file) => file.split(path.sep).join("/")));
    const cachedCode = codeCache.lookup(project.files, (f) => testFileSet.has(f.path) || f.path.endsWith("/conftest.py"));
    return { files: [...project.files, ...(this.dependencies?.files ?? [])], codeCache, cachedCode };
  }

  /**
   * The workers run in a child process under Node's permission model
   * (node-host/sandbox-process.ts): it reads the package's code and the
   * snapshot, nothing else; this process reads the project and keeps the
   * caches, and hands over what the workers need.
   */
  private async runInSandboxProcess(sandbox: SandboxProcess, testFiles: string[], started: number, startedAt: Date): Promise<number> {
    const { config, io } = this;
    const { harnessFiles, meta, bake } = this.snapshotIdentity();
    const size = this.plan!.workers;
    // Its workers start loading the engine now, while this process reads the project.
    sandbox.spawnWorkers({ size, timeoutGraceMs: config.timeoutGraceMs, busyLimitMs: config.busyLimitMs });
    this.spawnedAt = performance.now();
    const snapshot = await ensureSnapshot({ ...this.snapshotOptions(harnessFiles, meta, bake), module: this.assets!.module });
    const { files, codeCache, cachedCode } = this.workerFiles(meta, testFiles);
    const info = await sandbox.boot(
      {
        snapshotPath: snapshot.path,
        expected: meta,
        ...(config.maxMemoryBytes === null ? {} : { maxMemoryBytes: config.maxMemoryBytes }),
        files,
        codeCache: cachedCode,
      },
      (stream, text) => (stream === "stdout" ? io.stdout(text) : io.stderr(text)),
    );
    if (!snapshot.built) recordBootTime(config.engine, size, (performance.now() - this.spawnedAt) / 1000);
    const workers: RunWorkers = {
      size,
      info,
      codeCache,
      session: (options) => sandbox.session(options),
      takeCodeCache: () => sandbox.takeCodeCache(),
      interrupt: () => sandbox.interrupt(),
    };
    return await this.runOn(workers, testFiles, started, startedAt);
  }

  /** `--changed REF`: the test files a change since REF can affect, by the import map the previous run left. */
  private async narrowToChanged(found: string[], ref: string): Promise<string[]> {
    const { config } = this;
    if (!config.control.cache) throw new ChangedError("--changed reads the import map the previous run left in .fastest_cache, which -p no:cacheprovider turns off");
    const toRoot = (file: string) => path.relative(config.rootdir, file).split(path.sep).join("/");
    const selection = await changedTests(config.rootdir, ref, found.map(toRoot), new FileCacheStore(config.rootdir));
    this.changedLine = selection.line;
    this.changedNarrowed = selection.narrowed;
    if (!selection.files) return found;
    const keep = new Set(selection.files);
    return found.filter((file) => keep.has(toRoot(file)));
  }

  /** Run the session on booted workers and report it. */
  private async runOn(workers: RunWorkers, testFiles: string[], started: number, startedAt: Date): Promise<number> {
    const { config, io } = this;
    const size = workers.size;
    const reporter = new TerminalReporter(terminalOptions(config, io.stdout, io.columns));

    const { info } = workers;
    // What static --collect-only prints in its header, per engine.
    rememberEngineInfo(info);
    const header: Parameters<TerminalReporter["sessionStart"]>[0] = {
      platform: info.engine === "wasi" ? "wasi" : "emscripten",
      pythonVersion: info.pythonVersion,
      // The terminal header names Pyodide's version ("pyodide-314.0.7"); the WASI engine's platform line says "wasi".
      ...(info.engine === "wasi" ? {} : { engineVersion: info.engineVersion }),
      runnerVersion: fastestVersion,
      rootdir: config.rootdir,
      invocationDir: config.cwd,
      configfile: configfileLabel(config.rootdir, config.ini),
      testpaths: config.testpaths ?? undefined,
      seed: config.harness.seed,
      workers: `${size} sandboxed worker${size === 1 ? "" : "s"} (${info.engine})${config.harness.verbosity >= 1 && !this.options.workers && this.plan?.workers === size ? `: ${this.plan.reason}` : ""}`,
      extraLines: [...(this.dependencies?.headerLines ?? []), ...(this.changedLine ? [this.changedLine] : [])],
    };
    // pytest_report_header: the header waits for the lines the first collect returns.
    let headerHeld = this.hookSetup.holdHeader;
    if (!headerHeld) reporter.sessionStart(header);
    const control = await RunControl.create(config);
    const runWarnings: WarningRecord[] = [];
    const changedLines: string[] = [];
    let outcome: SessionOutcome | undefined;
    let crash: Error | undefined;
    try {
      const cacheValues = control.cacheValues();
      const listing = listingOf(config);
      outcome = await workers.session({
        config: { ...config.harness, ...(config.control.cache ? { recordImports: true } : {}), ...(config.control.cache && !this.options.workers ? { recordExecution: true } : {}), ...dependencyHarnessConfig(this.dependencies), ...(cacheValues ? { cacheValues } : {}), ...(listing ? { listing } : {}), ...this.hookSetup.harness },
        files: this.plan!.files,
        selectors: config.selectors,
        terminalWidth: io.columns,
        ...(this.hookSetup.collectAll ? { collectAll: true } : {}),
        continueOnCollectionErrors: Boolean(config.args.options["continue-on-collection-errors"]),
        ...(config.isolate === "file" ? { isolate: "file" as const } : {}),
        ...withChangedTests(control.sessionOptions(), this.changedNarrowed, config.changed ?? "", changedLines),
        ...(this.deselectedBeforeCollection.length > 0 ? { deselectedBeforeCollection: this.deselectedBeforeCollection } : {}),
        // A listing collects and runs nothing.
        ...(listing ? { collectOnly: true } : {}),
        listener: {
          onCollected: (collection) => {
            for (const notice of collection.notices ?? []) io.stderr(`fastest: ${notice}\n`);
            if (headerHeld) {
              headerHeld = false;
              reporter.sessionStart({ ...header, ...(collection.reportHeader ? { hookLines: collection.reportHeader } : {}) });
            }
            for (const warning of [...collection.warnings, ...config.configWarnings]) reporter.warning(warning);
            reporter.collectionFinish({
              collected: collection.items.length + collection.deselected,
              deselected: collection.deselected,
              errors: collection.errors,
              skipped: collection.skipped,
              reportLines: [...control.reportLines(), ...changedLines],
              items: collection.items,
              ...(collection.listing ? { listing: collection.listing } : {}),
            });
            io.progress?.collected(collection.items.length);
          },
          onItemStart: (nodeid, location) => reporter.itemStart(nodeid, location),
          onItemEnd: (event) => {
            reporter.itemEnd(event);
            io.progress?.itemDone(event.reports);
          },
          onOutput: (stream, text) => (stream === "stdout" ? io.stdout(text) : io.stderr(text)),
          onWarning: (warning) => {
            runWarnings.push(warning);
            reporter.warning(warning);
          },
        },
      });
    } catch (error) {
      crash = error as Error;
    }
    if (!crash) workers.codeCache.save(await workers.takeCodeCache());
    if (headerHeld) reporter.sessionStart(header);
    this.outcome = outcome;
    const duration = (performance.now() - started) / 1000;
    if (outcome) {
      for (const warning of outcome.finish.warnings) reporter.warning(warning);
      if (outcome.finish.output) io.stdout(outcome.finish.output);
    }
    const end = control.endOf(outcome);
    // --cov: pytest-cov's section comes after the other plugin sections.
    // As with pytest-cov, nothing is reported when collection errors, a bad -k/-m or pytest.exit() ended the run.
    const measured = outcome && !crash && !this.interrupted && !outcome.interrupted && !outcome.usageError && !outcome.exit;
    const coverage = config.coverage && outcome && measured && !config.control.collectOnly && !listingOf(config)
      ? reportCoverage(config.coverage, outcome.finish.coverage ?? [], {
          cwd: config.cwd, rootdir: config.rootdir, columns: io.columns, pythonVersion: workers.info.pythonVersion, fastestVersion,
          platform: header.platform,
        })
      : null;
    // pytest names where the KeyboardInterrupt stopped the test, from its traceback.
    const interruptedAt = this.interrupted && crash ? keyboardInterruptLocation(crash.message, harnessRoot) : undefined;
    const interrupted = this.interrupted
      ? { message: "KeyboardInterrupt", ...(interruptedAt ? { location: interruptedAt } : {}) }
      : outcome?.interrupted
        ? { message: `Interrupted: ${outcome.interrupted}` }
        : end.interrupted
          ? { message: end.interrupted }
          : crash
          ? { message: `internal error: ${crash.message}` }
          : null;
    io.progress?.stop();
    let exitCode: number = reporter.sessionFinish({
      duration,
      interrupted,
      errors: outcome?.finish.errors ?? [],
      notices: reportNotices(config),
      sections: coverage ? [...end.sections, coverage.section] : end.sections,
      ...(outcome?.finish.terminalSummary ? { hookSummary: outcome.finish.terminalSummary } : {}),
      stopReason: end.stopReason,
      exit: outcome?.exit ?? null,
    });
    if (crash && !this.interrupted) exitCode = ExitCode.INTERNAL_ERROR;
    // -x/--maxfail ends the run as failed, even when collection errors stopped it.
    else if (end.stopReason && !this.interrupted && !outcome?.exit) exitCode = ExitCode.TESTS_FAILED;
    // pytest-cov counts a total under --cov-fail-under as a failed test.
    if (coverage?.failed && (exitCode === ExitCode.OK || exitCode === ExitCode.NO_TESTS_COLLECTED)) exitCode = ExitCode.TESTS_FAILED;
    if (exitCode === ExitCode.NO_TESTS_COLLECTED && control.emptyShard()) exitCode = ExitCode.OK;
    if (end.usageError) {
      io.stderr(`ERROR: ${end.usageError}\n\n`);
      exitCode = ExitCode.USAGE_ERROR;
    }
    if (outcome && !crash) {
      await control.save(outcome);
      // What each file imported, for a later `--changed`.
      if (outcome.imports && config.control.cache) await saveImportMap(new FileCacheStore(config.rootdir), outcome.imports);
      // And which functions each test ran, for a later `--changed` to narrow to tests.
      if (config.control.cache) await saveChangedMap(config.rootdir, outcome, this.projectFiles, config.selectors);
      await saveFileDurations(config, outcome);
      // --isolate=file: what a fresh interpreter per file cost, for the next plan.
      if (outcome.isolation) recordRestoreCost(config.engine, outcome.isolation.seconds / outcome.isolation.files);
    }
    if (outcome) writeReports(config, outcome, runWarnings, { started: startedAt, duration, exitCode, shard: control.shardSummary() });
    if (outcome && config.githubAnnotations) io.stderr(githubAnnotationText(config, outcome));
    return exitCode;
  }
}

/** `--fixtures` or `--fixtures-per-test`: what the harness lists instead of running. */
function listingOf(config: RunConfig): "fixtures" | "fixtures-per-test" | undefined {
  if (config.args.options["fixtures"]) return "fixtures";
  return config.args.options["fixtures-per-test"] ? "fixtures-per-test" : undefined;
}
