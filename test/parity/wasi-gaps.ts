/**
 * Parity cases that differ from real pytest on the CPython-WASI engine only
 * (test/parity-wasi.test.ts), keyed by case id, with the reason. Gaps of
 * every engine stay in known-gaps.ts.
 */
export const WASI_GAPS: Record<string, string> = {
};
