import { describe, expect, it } from "vitest";
import { parseArgs, UsageError } from "./cli-args.js";

describe("parseArgs", () => {
  it("reads pytest's spellings of short and long options", () => {
    const { options, positionals } = parseArgs(["-vv", "-rA", "-n2", "--tb=short", "--seed", "7", "tests", "-s"]);
    expect(options).toMatchObject({ verbose: 2, "report-chars": "A", numprocesses: "2", tb: "short", seed: "7", "no-capture": true });
    expect(positionals).toEqual(["tests"]);
  });

  it("takes a separate value for a short option", () => {
    expect(parseArgs(["-n", "3", "-q"]).options).toMatchObject({ numprocesses: "3", quiet: 1 });
  });

  it("keeps everything after -- as paths", () => {
    expect(parseArgs(["--", "-v", "x"]).positionals).toEqual(["-v", "x"]);
  });

  it("rejects unknown options with a suggestion", () => {
    expect(() => parseArgs(["--verbos"])).toThrow(/unrecognized arguments: --verbos \(did you mean --verbose\?\)/);
    expect(() => parseArgs(["-Z"])).toThrow(UsageError);
  });

  it("rejects a value outside an option's choices", () => {
    expect(() => parseArgs(["--tb", "fancy"])).toThrow(/invalid choice: 'fancy'/);
  });

  it("rejects a missing value", () => {
    expect(() => parseArgs(["--junitxml"])).toThrow(/expected one argument/);
  });

  it("reads selection options and long-name aliases", () => {
    const { options } = parseArgs(["-k", "a and not b", "-m", "slow", "--co", "--lf", "--sw-skip", "--deselect", "x", "--deselect=y", "-x", "--maxfail=3"]);
    expect(options).toMatchObject({ keyword: "a and not b", markexpr: "slow", "collect-only": true, "last-failed": true, "stepwise-skip": true, deselect: ["x", "y"], exitfirst: true, maxfail: "3" });
    expect(() => parseArgs(["--lfnf", "some"])).toThrow(/invalid choice: 'some'/);
  });
});
