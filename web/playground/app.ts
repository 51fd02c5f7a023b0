/**
 * The playground page: opens a workspace (share link, else the saved draft,
 * else the example), boots Python in the background, runs tests and shows
 * their results, and re-runs a shared workspace to say whether its results
 * reproduce.
 */
import type { BootInfo, EngineName, RunOptions, Runner, RunSummary, RunUpdate } from "../runtime/api.js";
import { decodeShareFragment, sharePayloadFromRun, ShareLinkError, type SharePayload } from "../share/index.js";
import { byId } from "./dom.js";
import { CodeEditor } from "./editor.js";
import { DraftSaver, loadDraft } from "./drafts.js";
import { EngineUi, linkEngine, storedEngine } from "./engine-ui.js";
import { PagePython, type PageRunners } from "./page-python.js";
import { FilesUi } from "./files-ui.js";
import { fileOf, ResultsModel } from "./results-model.js";
import { ResultsView } from "./results-view.js";
import { ShareUi } from "./share-ui.js";
import { ReproductionBanner } from "./reproduction.js";
import { selectedBy } from "./selection.js";
import { SettingsUi } from "./settings-ui.js";
import { errorMessage, renderStatus } from "./status-line.js";
import { setUpThemeToggle } from "./theme.js";
import { addFile, deleteFile, renameFile, sameFiles, starterWorkspace, updateFile, type WorkspaceState } from "./workspace.js";

/** Seconds a test may run before it is stopped (a share link carries its own). */
const DEFAULT_TIMEOUT = 10;

/** The last finished run: what "Share" puts in a link while the files are unchanged. */
interface FinishedRun {
  options: RunOptions;
  summary: RunSummary;
  boot: BootInfo | null;
}

export class Playground {
  private workspace: WorkspaceState = starterWorkspace();
  private readonly model = new ResultsModel();
  private readonly editor: CodeEditor;
  private readonly files: FilesUi;
  private readonly results: ResultsView;
  private readonly banner = new ReproductionBanner();
  private readonly drafts = new DraftSaver(400, () => this.setDraftNote("Your files could not be saved in this browser (storage is blocked or full); they last as long as this tab."));
  private readonly buttons = {
    runAll: byId<HTMLButtonElement>("run-all"),
    runFailed: byId<HTMLButtonElement>("run-failed"),
    stop: byId<HTMLButtonElement>("stop"),
  };
  private readonly terminal = byId<HTMLPreElement>("terminal-text");

  private readonly python: PagePython;
  private running = false;
  private currentRun: Promise<RunSummary | null> | null = null;
  private stopRequested = false;
  private runText = "";
  private lastRun: FinishedRun | null = null;
  private readonly settings = new SettingsUi({ seed: 0, timeout: DEFAULT_TIMEOUT });
  private readonly engineUi: EngineUi;
  /** The workspace came from a share link and has not been edited: the saved draft is left alone, the link stays in the address bar. */
  private fromLink = false;

  /**
   * @param runners the page's Python runner and how to make one on another engine; null where the browser cannot run one.
   * @param earlyBoot the boot the page's entry already started (so that it runs while this code loads).
   */
  constructor(runners: PageRunners | null, earlyBoot?: Promise<BootInfo>) {
    this.python = new PagePython(runners, earlyBoot, () => this.updateState());
    this.engineUi = new EngineUi(this.python.engine, (engine) => void this.switchEngine(engine, true));
    this.editor = new CodeEditor(
      byId("editor"),
      (path, content) => this.edited(path, content),
      () => void this.run([]),
    );
    this.files = new FilesUi({
      open: (path) => this.openFile(path),
      add: (path) => this.changeWorkspace(addFile(this.workspace, path)),
      rename: (from, to) => {
        this.editor.forget(from);
        this.changeWorkspace(renameFile(this.workspace, from, to));
      },
      remove: (path) => {
        this.editor.forget(path);
        this.changeWorkspace(deleteFile(this.workspace, path));
      },
    });
    this.results = new ResultsView(byId("results"), byId("collect-errors"), this.model, (nodeid) => void this.run([nodeid]));
    this.buttons.runAll.addEventListener("click", () => void this.run([]));
    this.buttons.runFailed.addEventListener("click", () => void this.run(this.model.failedIds()));
    this.buttons.stop.addEventListener("click", () => {
      this.stopRequested = true;
      this.python.runner?.stop();
    });
    byId("reset-workspace").addEventListener("click", () => this.changeWorkspace(starterWorkspace(), true));
    byId("open-draft").addEventListener("click", () => void this.openDraft());
    new ShareUi(() => this.sharePayload());
    setUpThemeToggle(byId<HTMLButtonElement>("theme"));
    addEventListener("hashchange", () => void this.openFromLocation(false));
    // Save at once when the tab is hidden or closed, not after the typing pause.
    addEventListener("pagehide", () => this.drafts.flush());
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") this.drafts.flush();
    });
  }

  /**
   * Boot Python, and meanwhile open the first workspace (a shared one starts
   * its re-run) and mark the page ready: the boot is the slow part, so it
   * starts first.
   */
  async start(): Promise<void> {
    const boot = this.python.start();
    await this.openFromLocation(true);
    document.body.dataset.ready = "true";
    await boot;
  }

  /**
   * Open the share link in the address bar, if any, and start its re-run.
   * Without a readable link the first call opens the draft or the example;
   * later calls (a link pasted into the address bar) keep the files open.
   */
  private async openFromLocation(initial: boolean): Promise<void> {
    const linkError = byId("link-error");
    if (location.hash.length > 1) {
      try {
        const payload = await decodeShareFragment(location.hash);
        linkError.hidden = true;
        linkError.textContent = "";
        await this.openShared(payload);
        return;
      } catch (error) {
        const message = error instanceof ShareLinkError ? error.message : `This share link could not be opened: ${String(error)}`;
        linkError.textContent = `${message} The playground opened your own files instead.`;
        linkError.hidden = false;
      }
    }
    if (!initial) return;
    const draft = await loadDraft();
    this.setWorkspace(draft ?? starterWorkspace());
    this.setDraftNote(draft ? "Restored the files you were working on." : "");
    this.updateState();
  }

  private async openShared(payload: SharePayload): Promise<void> {
    this.settings.show({ seed: payload.seed, timeout: payload.timeout });
    this.engineUi.show(linkEngine(payload));
    // Open the first test file (a docs widget's link starts with its setup module).
    const firstTest = payload.files.find((file) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(file.path)) ?? payload.files[0]!;
    this.setWorkspace({ files: payload.files.map((file) => ({ ...file })), active: firstTest.path });
    this.fromLink = true;
    this.model.loadRecorded(payload.results, payload.errors);
    this.results.render();
    this.terminal.textContent = "";
    this.runText = payload.exitCode === null ? "" : `recorded: ${payload.summaryLine}`;
    const draft = await loadDraft();
    byId("open-draft").hidden = !draft || sameFiles(draft.files, payload.files);
    this.setDraftNote(draft ? "These are the shared files. Your own draft is kept until you edit here." : "");
    this.banner.pending(payload);
    this.updateState();
    void this.reproduce(payload);
  }

  private async reproduce(payload: SharePayload): Promise<void> {
    // A link pasted while a run goes on: that run stops, the shared one runs.
    if (this.currentRun) {
      this.python.runner?.stop();
      await this.currentRun;
    }
    // On the link's engine (Pyodide when this build lacks it). The run boots Python itself; starting it at once keeps a click on Run all from taking its place.
    this.python.replace(linkEngine(payload));
    const summary = await this.run(payload.selectors);
    this.banner.finished(payload, summary, this.python.boot);
  }

  private async openDraft(): Promise<void> {
    const draft = await loadDraft();
    history.replaceState(null, "", location.href.split("#")[0]);
    this.fromLink = false;
    this.settings.show({ seed: 0, timeout: DEFAULT_TIMEOUT });
    this.engineUi.show(storedEngine());
    void this.switchEngine(storedEngine(), false);
    this.banner.hide();
    this.setWorkspace(draft ?? starterWorkspace());
    this.model.clear();
    this.results.render();
    this.runText = "";
    this.updateState();
  }

  /**
   * Run on `engine` from now on: the run in progress stops, the old engine's
   * workers go, and the new engine boots (and, with `rerun`, runs every test).
   */
  private async switchEngine(engine: EngineName, rerun: boolean): Promise<void> {
    if (engine !== this.python.engine && this.currentRun) {
      this.python.runner?.stop();
      await this.currentRun;
    }
    this.python.replace(engine);
    if (rerun) await this.run([]);
    else await this.python.start();
  }

  /** Run the tests named by `selectors` (all when empty). Resolves with the summary, or null when no run happened. */
  private run(selectors: string[]): Promise<RunSummary | null> {
    const runner = this.python.runner;
    if (!runner || this.running) return Promise.resolve(null);
    const run = this.runNow(runner, selectors).finally(() => {
      this.currentRun = null;
    });
    this.currentRun = run;
    return run;
  }

  private async runNow(runner: Runner, selectors: string[]): Promise<RunSummary | null> {
    this.drafts.flush();
    const options: RunOptions = { files: this.workspace.files.map((file) => ({ ...file })), selectors, ...this.settings.value };
    const partial = selectors.length > 0;
    this.running = true;
    this.stopRequested = false;
    this.runText = partial && selectors.length === 1 ? `Running ${selectors[0]}…` : "Running…";
    this.terminal.textContent = "";
    this.results.setRunButtonsEnabled(false);
    this.updateState();
    let summary: RunSummary | null = null;
    try {
      summary = await runner.run(options, (update) => this.onUpdate(update, selectors));
      this.lastRun = { options, summary, boot: this.python.boot };
      this.runText = summary.stopped ? `Stopped. ${summary.summaryLine}` : summary.summaryLine;
      if (partial && !summary.stopped) this.runText += this.forgetVanished(selectors, summary);
      this.terminal.textContent = summary.terminalText;
      if (!partial) this.model.errors = summary.errors;
    } catch (error) {
      // After Stop, the run ending without its summary is what was asked for, not an error to show.
      this.runText = this.stopRequested ? "Stopped." : `The run could not finish: ${errorMessage(error)}`;
    } finally {
      this.running = false;
      this.model.settle();
      this.results.setRunButtonsEnabled(true);
      this.results.render();
      this.updateState();
    }
    return summary;
  }

  /**
   * Tests selected by a row's Run button (or Run failed) that the run did not
   * find were renamed or deleted in the code since: their rows go, and the
   * returned sentence says so.
   */
  private forgetVanished(selectors: string[], summary: RunSummary): string {
    const found = (selector: string) =>
      summary.results.some((result) => selectedBy(result.nodeid, [selector])) ||
      summary.errors.some((error) => selectedBy(error.nodeid, [selector]) || fileOf(selector) === fileOf(error.nodeid));
    const vanished = selectors.filter((selector) => !found(selector));
    if (vanished.length === 0) return "";
    this.model.remove(this.model.list().map((entry) => entry.nodeid).filter((nodeid) => selectedBy(nodeid, vanished)));
    this.model.errors = this.model.errors.filter((error) => !vanished.includes(error.nodeid));
    return ` Not found: ${vanished.join(", ")} (renamed or deleted in the code?). Run all collects the tests again.`;
  }

  private onUpdate(update: RunUpdate, selectors: string[]): void {
    switch (update.type) {
      case "booted":
        this.python.booted(update.boot);
        break;
      case "collected":
        this.model.collected(
          update.items.map((item) => item.nodeid).filter((nodeid) => selectedBy(nodeid, selectors)),
          update.errors,
          selectors.length > 0,
        );
        break;
      case "itemStart":
        this.model.started(update.nodeid);
        break;
      case "itemEnd":
        this.model.finished(update.result);
        break;
      case "output":
        this.terminal.append(update.text);
        break;
    }
    this.results.scheduleRender();
  }

  private async sharePayload(): Promise<SharePayload> {
    const last = this.lastRun;
    if (last?.boot && sameFiles(last.options.files, this.workspace.files)) return sharePayloadFromRun(last.options, last.boot.pyodideVersion, last.summary, last.boot.engine);
    const boot = this.python.boot ?? (this.python.runner ? await this.python.runner.boot() : null);
    const version = boot?.pyodideVersion ?? "unknown";
    return sharePayloadFromRun({ files: this.workspace.files, selectors: [], ...this.settings.value }, version, null, this.python.engine);
  }

  private edited(path: string, content: string): void {
    this.workspace = updateFile(this.workspace, path, content);
    this.userChanged();
  }

  private openFile(path: string): void {
    this.workspace = { ...this.workspace, active: path };
    this.showWorkspace();
    if (!this.fromLink) this.drafts.schedule(this.workspace);
  }

  private changeWorkspace(state: WorkspaceState, reset = false): void {
    if (reset) this.editor.reset();
    this.workspace = state;
    this.showWorkspace();
    this.userChanged();
  }

  /**
   * The user changed the files: save the draft; a shared workspace becomes
   * the user's own. A link in the address bar no longer matches the files, so
   * it goes (a reload then opens the draft, not the old link).
   */
  private userChanged(): void {
    if (location.hash) history.replaceState(null, "", location.href.split("#")[0]);
    if (this.fromLink) {
      this.fromLink = false;
      byId("open-draft").hidden = true;
      this.setDraftNote("You edited the shared files: they are now your draft.");
    }
    this.drafts.schedule(this.workspace);
  }

  private setWorkspace(state: WorkspaceState): void {
    this.editor.reset();
    this.workspace = state;
    this.lastRun = null;
    this.showWorkspace();
  }

  private showWorkspace(): void {
    this.files.render(this.workspace);
    const file = this.workspace.files.find((entry) => entry.path === this.workspace.active);
    if (file) this.editor.open(file.path, file.content);
  }

  private setDraftNote(text: string): void {
    byId("draft-note").textContent = text;
  }

  /** Buttons, `body[data-run-state]` and the status line from the current state. */
  private updateState(): void {
    const python = this.python;
    document.body.dataset.runState = this.running ? "running" : python.booting ? "booting" : "idle";
    this.buttons.runAll.disabled = this.running || !python.runner || (!!python.problem && !python.boot);
    this.buttons.runFailed.disabled = this.running || this.model.failedIds().length === 0 || !python.runner;
    this.buttons.stop.disabled = !this.running;
    renderStatus({ boot: python.boot, starting: python.booting || this.running, bootProblem: python.problem, runText: this.runText });
  }
}
