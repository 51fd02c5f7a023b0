/**
 * docs/COMPATIBILITY.md's feature table is generated from the parity corpus
 * and the known-gap list; this test fails when the committed file differs.
 * `npm run parity:docs` (FASTEST_PARITY_WRITE_DOCS=1) rewrites it instead.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { COMPATIBILITY_FILE, renderCompatibility } from "./parity/compat-docs.js";
import { loadCorpus } from "./parity/corpus.js";

describe("docs/COMPATIBILITY.md", () => {
  it("holds the feature table generated from test/parity (run `npm run parity:docs` after changing the corpus or the gaps)", () => {
    const committed = readFileSync(COMPATIBILITY_FILE, "utf8");
    const fresh = renderCompatibility(loadCorpus(), committed);
    if (process.env["FASTEST_PARITY_WRITE_DOCS"] === "1" && fresh !== committed) writeFileSync(COMPATIBILITY_FILE, fresh);
    else expect(committed).toBe(fresh);
  });
});
