/**
 * The workspace draft, kept in IndexedDB (idb-keyval) so the next visit
 * opens where the last one stopped. Stored data is checked on the way back:
 * a damaged entry is ignored, never trusted.
 */
import { get, set } from "idb-keyval";
import { parseFiles, type WorkspaceState } from "./workspace.js";

const DRAFT_KEY = "fastest-playground:draft:v1";

/** Longest wait for IndexedDB: storage that never answers (blocked by another tab) must not keep the page from opening. */
const LOAD_TIMEOUT_MS = 3000;

/** The saved draft, or null when there is none (or it cannot be read in time). */
export async function loadDraft(): Promise<WorkspaceState | null> {
  let stored: unknown;
  try {
    const late = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), LOAD_TIMEOUT_MS));
    stored = await Promise.race([get(DRAFT_KEY), late]);
  } catch {
    return null; // IndexedDB unavailable (private mode, blocked storage): start from the starter files
  }
  if (typeof stored !== "object" || stored === null) return null;
  const { files, active } = stored as Record<string, unknown>;
  const parsed = parseFiles(files);
  if (!parsed) return null;
  const open = typeof active === "string" && parsed.some((file) => file.path === active) ? active : parsed[0]!.path;
  return { files: parsed, active: open };
}

/** Save the draft; storage errors are reported to the caller, which says so in the page. */
export async function saveDraft(state: WorkspaceState): Promise<void> {
  await set(DRAFT_KEY, { files: state.files, active: state.active });
}

/** Calls `save` at most once per `delayMs`, with the latest state; `flush` saves now. */
export class DraftSaver {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private latest: WorkspaceState | null = null;

  constructor(
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly save: (state: WorkspaceState) => Promise<void> = saveDraft,
  ) {}

  schedule(state: WorkspaceState): void {
    this.latest = state;
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const state = this.latest;
    this.latest = null;
    if (state) this.save(state).catch(this.onError);
  }
}
