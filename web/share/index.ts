/**
 * Share links for the playground: a workspace and its last run in a link's
 * fragment, read back safely, and the same as a GitHub issue. See
 * docs/SHARE_LINKS.md for the format. Decoded text is untrusted: show it with
 * `textContent`, never `innerHTML`.
 */
export { base64urlDecode, base64urlEncode, CURRENT_VERSION, decodeShareFragment, encodeShareLink, linkSizeNote, LONG_LINK } from "./codec.js";
export { codeSpan, escapeHtml, escapeMarkdown, fence, githubIssueMarkdown, ISSUE_BODY_BUDGET } from "./markdown.js";
export { LIMITS, normalizePayload, pathProblem, ShareLinkError, sharePayloadFromRun, trimLine, trimMiddle, wellFormed } from "./payload.js";
export type { SharedResult, ShareLinkProblem, SharePayload } from "./payload.js";
