/**
 * "Copy as GitHub issue": a shared workspace as Markdown, with the link, the
 * failing tests' output and every file, plus the escaping helpers it (and the
 * pages) use. Whatever a payload holds ends up inside code blocks, code spans
 * or backslash-escaped prose, so file names, test ids and output cannot turn
 * into links, mentions, HTML or a broken layout.
 */
import type { SharePayload } from "./payload.js";

/** GitHub refuses issue bodies over 65,536 characters; stay under it with room for the reporter's own words. */
export const ISSUE_BODY_BUDGET = 60_000;

/** Links longer than this are left out of the issue (the files are in it anyway). */
const LONGEST_LINK_IN_ISSUE = 20_000;

/**
 * Markdown for a GitHub issue about `payload`, opened by `link`: the run's
 * summary, the engine (Pyodide or CPython WASI) and its version, the seed, each failing test's output and each
 * file in a fenced block. Blocks that would take the body past
 * `ISSUE_BODY_BUDGET` are left out, and the text says which.
 */
export function githubIssueMarkdown(payload: SharePayload, link: string): string {
  const failures = payload.results.filter((result) => result.outcome === "failed" || result.outcome === "error");
  const head: string[] = [failures.length > 0 || payload.errors.length > 0 ? "### Failing tests in the fastest playground" : "### Tests in the fastest playground", ""];
  if (link.length <= LONGEST_LINK_IN_ISSUE) {
    head.push(`[Open this workspace in the playground](<${linkDestination(link)}>): it runs the tests again in your browser.`);
  } else {
    head.push(`(The share link is ${Math.round(link.length / 1024)} KB long, too long for an issue; the files are below.)`);
  }
  head.push("");
  if (payload.exitCode === null) head.push("- Result: not run yet");
  else head.push(`- Result: ${codeSpan(payload.summaryLine || "no summary")} (exit code ${payload.exitCode})`);
  if (payload.selectors.length > 0) head.push(`- Ran only: ${payload.selectors.map(codeSpan).join(", ")}`);
  head.push(`- ${payload.engine === "wasi" ? "CPython WASI" : "Pyodide"} ${escapeMarkdown(payload.pyodideVersion)}, seed ${escapeMarkdown(String(payload.seed))}, timeout ${payload.timeout > 0 ? `${escapeMarkdown(String(payload.timeout))} s` : "none"}`);

  const blocks: Array<{ section: string; kind: string; text: string }> = [];
  for (const result of failures) {
    const title = `${codeSpan(result.nodeid)}${result.timedOut ? " (timed out)" : result.outcome === "error" ? " (error)" : ""}`;
    const message = result.message ? `\n\n${codeSpan(result.message)}` : "";
    blocks.push({ section: "Failures", kind: "failure", text: `##### ${title}${message}\n\n${fence(result.longrepr || result.message || result.outcome, "text")}` });
  }
  for (const error of payload.errors) {
    blocks.push({ section: "Collection errors", kind: "collection error", text: `##### ${codeSpan(error.nodeid)}\n\n${fence(error.longrepr || error.message, "text")}` });
  }
  for (const file of payload.files) {
    blocks.push({ section: "Files", kind: "file", text: `##### ${codeSpan(file.path)}\n\n${fence(file.content, languageOf(file.path))}` });
  }

  const out = [head.join("\n")];
  let size = out[0]!.length;
  let section = "";
  const left: Record<string, number> = {};
  for (const block of blocks) {
    const heading = block.section !== section ? `#### ${block.section}\n\n` : "";
    const piece = `\n\n${heading}${block.text}`;
    // Keep room for the closing note.
    if (size + piece.length > ISSUE_BODY_BUDGET - 300) {
      left[block.kind] = (left[block.kind] ?? 0) + 1;
      continue;
    }
    section = block.section;
    out.push(piece);
    size += piece.length;
  }
  const leftOut = Object.entries(left).map(([kind, count]) => `${count} ${kind}${count === 1 ? "" : "s"}`);
  if (leftOut.length > 0) out.push(`\n\n(Left out to stay under GitHub's size limit for an issue: ${leftOut.join(", ")}. The link holds everything.)`);
  return out.join("") + "\n";
}

/** A fenced code block around `content`, with a fence longer than any run of backticks inside it. */
export function fence(content: string, language = ""): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(Math.max(3, longest + 1));
  const body = content.endsWith("\n") || content === "" ? content : `${content}\n`;
  return `${ticks}${language}\n${body}${ticks}`;
}

/** An inline code span showing `text` literally (one line: line breaks become spaces). */
export function codeSpan(text: string): string {
  const line = text.replace(/\r\n|[\r\n]/g, " ");
  if (line === "") return "``";
  const longest = Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length));
  const ticks = "`".repeat(longest + 1);
  // Markdown strips one space from each end when both ends have one; pad so edge backticks and spaces survive.
  const pad = /^[ `]|[ `]$/.test(line) ? " " : "";
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

/** `text` as literal Markdown prose on one line: every ASCII punctuation character backslash-escaped (no links, emphasis, HTML or @mentions). */
export function escapeMarkdown(text: string): string {
  return text.replace(/\r\n|[\r\n]/g, " ").replace(/[!-/:-@[-`{-~]/g, "\\$&");
}

/** `text` safe to place in HTML text or a quoted attribute value. Prefer `textContent`, which needs no escaping. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function languageOf(path: string): string {
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension === "py") return "python";
  if (extension === "toml") return "toml";
  if (extension === "ini" || extension === "cfg") return "ini";
  if (extension === "json") return "json";
  return "text";
}

/** A link fit for `<...>` in a Markdown link: no angle brackets, spaces, line breaks or backslashes. */
function linkDestination(link: string): string {
  return link.replace(/[<>\s\\]/g, (char) => encodeURIComponent(char));
}
