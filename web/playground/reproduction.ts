/**
 * The banner over a shared workspace (`#share-state`): `data-state` is
 * `pending` while the recorded results are shown and the tests re-run, then
 * `reproduced` or `not-reproduced` with a sentence saying what differs;
 * `stopped` when the re-run was stopped, `no-results` for a link made before
 * any run (nothing to compare).
 */
import type { BootInfo, RunSummary } from "../runtime/api.js";
import { engineChoice, engineName } from "../runtime/engines.js";
import type { SharePayload } from "../share/index.js";
import { byId } from "./dom.js";
import { compareWithRecorded } from "./results-model.js";

export type ReproductionState = "pending" | "reproduced" | "not-reproduced" | "stopped" | "no-results";

/** How many differing tests the sentence names before "and N more". */
const LISTED_DIFFERENCES = 3;

export class ReproductionBanner {
  private readonly root = byId("share-state");
  private readonly text = byId("share-state-text");

  private set(state: ReproductionState, sentence: string): void {
    this.root.hidden = false;
    this.root.dataset.state = state;
    this.text.textContent = sentence;
  }

  hide(): void {
    this.root.hidden = true;
    delete this.root.dataset.state;
  }

  /** The link was opened: its recorded results are on screen, the re-run is about to start. */
  pending(payload: SharePayload): void {
    if (payload.exitCode === null) {
      this.set("pending", "Opened shared files. Running their tests here…");
    } else {
      this.set("pending", `Showing the results recorded in the link (${payload.summaryLine || "no summary"}). Running the tests again here to check that they reproduce…`);
    }
  }

  /** The re-run ended (`summary` null: it could not run). */
  finished(payload: SharePayload, summary: RunSummary | null, boot: BootInfo | null): void {
    if (!summary) {
      this.set("not-reproduced", "The tests could not be run again here, so it is unknown whether the shared results reproduce. See the status line.");
      return;
    }
    if (summary.stopped) {
      this.set("stopped", "The re-run was stopped before it finished, so it is unknown whether the shared results reproduce. Press Run all to try again.");
      return;
    }
    const versionNote = boot ? engineNote(payload, boot) : "";
    if (payload.exitCode === null) {
      this.set("no-results", `The link held files but no results to compare with. Here: ${summary.summaryLine}.${versionNote}`);
      return;
    }
    const { reproduced, differences } = compareWithRecorded(payload.results, summary.results);
    if (reproduced) {
      this.set("reproduced", `Reproduced: every test has the same outcome as in the shared run (${summary.summaryLine}).${versionNote}`);
      return;
    }
    const listed = differences
      .slice(0, LISTED_DIFFERENCES)
      .map(([nodeid, before, now]) => `${nodeid} was ${before === "missing" ? "not in the shared run" : before}, now ${now === "missing" ? "not collected" : now}`);
    const more = differences.length > LISTED_DIFFERENCES ? `, and ${differences.length - LISTED_DIFFERENCES} more` : "";
    const count = differences.length === 1 ? "1 test differs" : `${differences.length} tests differ`;
    this.set("not-reproduced", `Not reproduced: ${count} from the shared run: ${listed.join("; ")}${more}.${versionNote}`);
  }
}

/** What differs between the engine the link was made on and the one that ran it again here; "" when nothing. */
function engineNote(payload: SharePayload, boot: BootInfo): string {
  const linkEngine = payload.engine ?? "pyodide";
  if (linkEngine !== boot.engine) {
    const missing = engineChoice(linkEngine).available ? "" : ", which this site was built without";
    return ` The link was made on ${engineName(linkEngine)}${missing}; the tests ran here on ${engineName(boot.engine)}.`;
  }
  if (payload.pyodideVersion === boot.pyodideVersion) return "";
  return ` The link was made with ${engineName(boot.engine)} ${payload.pyodideVersion}; this page runs ${boot.pyodideVersion}.`;
}
