/**
 * "Share" and "Copy as GitHub issue": the link goes into the address bar and
 * onto the clipboard; when the browser refuses the clipboard, the link (or
 * the Markdown) is shown in a text field to copy by hand.
 */
import { encodeShareLink, githubIssueMarkdown, linkSizeNote, ShareLinkError, type SharePayload } from "../share/index.js";
import { byId } from "./dom.js";

export class ShareUi {
  private readonly output = byId("share-output");
  private readonly field = byId<HTMLInputElement>("share-url");
  private readonly label = this.output.querySelector("label")!;
  private readonly note = byId("share-note");

  /** @param payload the workspace (and its last run, when the files have not changed since) as a share payload */
  constructor(private readonly payload: () => Promise<SharePayload>) {
    byId("share").addEventListener("click", () => void this.share());
    byId("copy-issue").addEventListener("click", () => void this.copyIssue());
    byId("share-close").addEventListener("click", () => {
      this.output.hidden = true;
      byId("share").focus();
    });
  }

  /** The page's address without its fragment: links open the page they were made on. */
  private baseUrl(): string {
    return location.href.split("#")[0]!;
  }

  private async makeLink(): Promise<{ link: string; payload: SharePayload } | null> {
    try {
      const payload = await this.payload();
      return { link: await encodeShareLink(payload, this.baseUrl()), payload };
    } catch (error) {
      this.show("Share link", "", error instanceof ShareLinkError ? error.message : `The share link could not be made: ${String(error)}`);
      return null;
    }
  }

  /** Put the link in the address bar (no reload, no new history entry) and copy it. */
  async share(): Promise<void> {
    const made = await this.makeLink();
    if (!made) return;
    history.replaceState(null, "", made.link);
    const copied = await copyText(made.link);
    const size = linkSizeNote(made.link);
    const what = made.payload.exitCode === null ? "The link holds the files (no run yet: run the tests first to include their results)." : "The link holds the files and the last run's results.";
    const how = copied ? "Link copied to the clipboard and put in the address bar." : "The browser did not allow copying: select the link above and copy it. It is in the address bar too.";
    this.show("Share link", made.link, [how, what, size].filter(Boolean).join(" "));
  }

  /** Copy Markdown for a GitHub issue: the link, the failures and the files. */
  async copyIssue(): Promise<void> {
    const made = await this.makeLink();
    if (!made) return;
    const markdown = githubIssueMarkdown(made.payload, made.link);
    const copied = await copyText(markdown);
    this.show(
      "GitHub issue text (Markdown)",
      markdown,
      copied ? "Issue text copied to the clipboard: paste it into a new GitHub issue." : "The browser did not allow copying: select the text above and copy it.",
    );
  }

  private show(label: string, value: string, note: string): void {
    this.output.hidden = false;
    this.label.textContent = label;
    this.field.value = value;
    this.field.hidden = value === "";
    this.note.textContent = note;
    if (value) this.field.select();
  }
}

/** Copy to the clipboard; false when the browser refuses (no permission, insecure page). */
async function copyText(text: string): Promise<boolean> {
  try {
    if (!navigator.clipboard) return false;
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
