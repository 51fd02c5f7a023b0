/**
 * Parity cases known to differ from real pytest today, keyed by case id
 * (`<group>/<entry>`), with the reason. test/parity.test.ts fails when a
 * listed case starts to match (remove it here) and when an unlisted case
 * differs. The reasons become the notes of docs/COMPATIBILITY.md
 * (`npm run parity:docs`), so keep them short and shared between cases.
 */

export const KNOWN_GAPS: Record<string, string> = {
};
