import type { CollectResult, HarnessConfig, ProjectFile, RunControl, RunEvent, RunFinish } from "./protocol.js";

/**
 * What the scheduler sees of one worker: an engine behind some transport.
 * The Node host implements it over worker_threads, the browser over a Web
 * Worker; the session logic never learns which.
 */
export interface WorkerHandle {
  readonly id: string;
  writeFiles(files: ProjectFile[]): Promise<void>;
  configure(config: HarnessConfig): Promise<void>;
  collect(paths: string[]): Promise<CollectResult>;
  /** Run items in order; `control` lets the host stop the run early (see `RunControl`). */
  run(nodeids: string[], onEvents: (events: RunEvent[]) => void, control?: RunControl): Promise<void>;
  finish(): Promise<RunFinish>;
}
