/**
 * The harness after the host cut a run short (the rest of its items went
 * to another worker) and then gave it items of another package: what the
 * cut left set up is torn down before the next run starts, once. Driven
 * on native CPython through the harness API, as the engine drives it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot } from "./helpers/run-cli.js";

const driver = `
import json, sys
from fastest_harness import api

root = sys.argv[1]
config = {"rootdir": root, "invocationDir": root, "seed": 1, "verbosity": 0, "tbStyle": "short", "showLocals": False,
          "capture": "fd", "pythonFiles": ["test_*.py"], "pythonClasses": ["Test"], "pythonFunctions": ["test"],
          "xfailStrict": False, "markers": [], "ini": {}, "args": []}
events = []
api.configure(json.dumps(config))
# First the worker collects and runs its own files; the host cuts the run before pa/test_2.py.
api.collect(json.dumps([root + "/pa/test_1.py", root + "/pa/test_2.py"]))
api.run(json.dumps(["pa/test_1.py::test_one", "pa/test_2.py::test_two"]), events.append, lambda i, timeout: i < 1)
# Then it collects a file taken over from another worker, in another package, and runs it.
api.collect(json.dumps([root + "/pb/test_3.py"]))
api.run(json.dumps(["pb/test_3.py::test_three"]), events.append)
finish = json.loads(api.finish())
ends = [json.loads(e) for e in events if json.loads(e)["type"] == "itemEnd"]
print(json.dumps({"ends": {e["nodeid"]: [r["outcome"] for r in e["reports"]] for e in ends}, "finishErrors": finish["errors"]}))
`;

describe("a run cut short by the host, then items of another package", () => {
  it("tears down what the cut left set up before the next run, once", () => {
    const dir = inlineFiles({
      "pa/__init__.py": "",
      "pa/conftest.py": `
        import os
        import pytest

        @pytest.fixture(scope="package")
        def pa_resource():
            yield "pa"
            with open(os.path.join(os.path.dirname(__file__), "..", "log.txt"), "a") as log:
                log.write("pa torn down\\n")
      `,
      "pa/test_1.py": "def test_one(pa_resource):\n    assert pa_resource == 'pa'\n",
      "pa/test_2.py": "def test_two(pa_resource):\n    assert pa_resource == 'pa'\n",
      "pb/__init__.py": "",
      "pb/test_3.py": `
        import os

        def test_three():
            with open(os.path.join(os.path.dirname(__file__), "..", "log.txt")) as log:
                assert log.read() == "pa torn down\\n"
      `,
    });
    const output = execFileSync("python3", ["-c", driver, dir], {
      env: { ...process.env, PYTHONPATH: path.join(repoRoot, "wasm-python", "python"), PYTHONDONTWRITEBYTECODE: "1" },
      encoding: "utf8",
    });
    const result = JSON.parse(output.trim().split("\n").at(-1)!) as { ends: Record<string, string[]>; finishErrors: unknown[] };
    expect(result.ends).toEqual({
      "pa/test_1.py::test_one": ["passed", "passed", "passed"],
      "pb/test_3.py::test_three": ["passed", "passed", "passed"],
    });
    expect(result.finishErrors).toEqual([]);
    expect(readFileSync(path.join(dir, "log.txt"), "utf8")).toBe("pa torn down\n");
  });
});
