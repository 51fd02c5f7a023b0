/**
 * The playground's workspace rules (file names, add/rename/delete, data read
 * back from storage) and its results model (merging runs, grouping, the
 * comparison that decides whether a share link reproduced), in Node.
 */
import { describe, expect, it } from "vitest";
import type { ItemResult } from "../../web/runtime/api.js";
import { compareWithRecorded, fileOf, groupEntries, namePartsOf, ResultsModel } from "../../web/playground/results-model.js";
import { selectedBy } from "../../web/playground/selection.js";
import {
  addFile,
  deleteFile,
  parseFiles,
  renameFile,
  starterWorkspace,
  suggestNewName,
  validateFilePath,
} from "../../web/playground/workspace.js";

function result(nodeid: string, outcome: ItemResult["outcome"]): ItemResult {
  return { nodeid, location: [fileOf(nodeid), 0, nodeid], outcome, duration: 0.01, longrepr: "", message: "", sections: [], reports: [], timedOut: false };
}

describe("file names", () => {
  const existing = ["test_a.py", "conftest.py"];

  it.each([
    ["test_b.py"],
    ["pkg/util.py"],
    ["pytest.ini"],
    ["pyproject.toml"],
    ["data/notes.txt"],
    ["setup.cfg"],
  ])("accepts %s", (name) => {
    expect(validateFilePath(name, existing)).toBeNull();
  });

  it.each([
    ["", /Enter a file name/],
    ["   ", /Enter a file name/],
    ["../evil.py", /'\.\.'/],
    ["pkg/../../x.py", /'\.\.'/],
    ["/etc/passwd.py", /relative/],
    ["C:/x.py", /relative/],
    ["a\\b.py", /Separate folders with \//],
    ["a//b.py", /empty or '\.'/],
    ["./a.py", /empty or '\.'/],
    ["notes.md", /must end in \.py/],
    [".py", /must end in \.py/],
    ["my test.py", /letters, digits/],
    ["<img>.py", /letters, digits/],
    ["test_a.py", /already a file named test_a\.py/],
    [`${"x".repeat(200)}.py`, /at most 200/],
  ])("refuses %j with a clear message", (name, message) => {
    expect(validateFilePath(name, existing)).toMatch(message);
  });

  it("lets a renamed file keep its own name", () => {
    expect(validateFilePath("test_a.py", existing, "test_a.py")).toBeNull();
    expect(validateFilePath("conftest.py", existing, "test_a.py")).toMatch(/already/);
  });

  it("suggests a name not yet taken", () => {
    expect(suggestNewName(["a.py"])).toBe("test_new.py");
    expect(suggestNewName(["test_new.py", "test_new_2.py"])).toBe("test_new_3.py");
  });
});

describe("workspace operations", () => {
  it("starts with a test file, a conftest fixture and a module under test", () => {
    const state = starterWorkspace();
    expect(state.files.map((file) => file.path)).toEqual(["test_example.py", "conftest.py", "calc.py"]);
    expect(state.active).toBe("test_example.py");
    expect(state.files[1]!.content).toContain("@pytest.fixture");
  });

  it("adds, renames and deletes, keeping tab order and the open file sensible", () => {
    let state = starterWorkspace();
    state = addFile(state, "test_more.py");
    expect(state.active).toBe("test_more.py");
    expect(state.files.at(-1)).toEqual({ path: "test_more.py", content: "" });
    state = renameFile(state, "conftest.py", "tests/conftest.py");
    expect(state.files.map((file) => file.path)).toEqual(["test_example.py", "tests/conftest.py", "calc.py", "test_more.py"]);
    state = renameFile(state, "test_more.py", "test_other.py");
    expect(state.active).toBe("test_other.py");
    state = deleteFile(state, "test_other.py");
    expect(state.active).toBe("calc.py");
    state = deleteFile(state, "test_example.py");
    expect(state.active).toBe("calc.py");
    expect(state.files.map((file) => file.path)).toEqual(["tests/conftest.py", "calc.py"]);
  });

  it("reads back only well-formed files from storage", () => {
    expect(parseFiles([{ path: "test_a.py", content: "x = 1" }])).toEqual([{ path: "test_a.py", content: "x = 1" }]);
    expect(parseFiles([])).toBeNull();
    expect(parseFiles("nope")).toBeNull();
    expect(parseFiles([{ path: "../a.py", content: "" }])).toBeNull();
    expect(parseFiles([{ path: "a.py", content: 3 }])).toBeNull();
    expect(parseFiles([{ path: "a.py", content: "" }, { path: "a.py", content: "" }])).toBeNull();
  });
});

describe("results model", () => {
  it("splits node ids into file, classes and test, brackets kept whole", () => {
    expect(fileOf("pkg/test_a.py::TestX::test_y[a::b]")).toBe("pkg/test_a.py");
    expect(namePartsOf("pkg/test_a.py::TestX::test_y[a::b]")).toEqual(["TestX", "test_y[a::b]"]);
    expect(namePartsOf("test_a.py::test_z")).toEqual(["test_z"]);
  });

  it("groups tests by file and class in collection order", () => {
    const model = new ResultsModel();
    model.collected(["b.py::test_1", "a.py::T::test_2", "a.py::test_3", "a.py::T::test_4"], [], false);
    const groups = groupEntries(model.list());
    expect(groups.map((group) => group.id)).toEqual(["b.py", "a.py"]);
    const a = groups[1]!;
    expect(a.tests.map((entry) => entry.nodeid)).toEqual(["a.py::test_3"]);
    expect(a.groups.map((group) => [group.label, group.tests.map((entry) => entry.nodeid)])).toEqual([["T", ["a.py::T::test_2", "a.py::T::test_4"]]]);
  });

  it("a full run replaces the tree; a run of some tests updates only those", () => {
    const model = new ResultsModel();
    model.collected(["t.py::a", "t.py::b"], [], false);
    model.finished(result("t.py::a", "passed"));
    model.finished(result("t.py::b", "failed"));
    expect(model.failedIds()).toEqual(["t.py::b"]);

    model.collected(["t.py::b"], [], true);
    expect(model.get("t.py::a")!.state).toBe("passed");
    expect(model.get("t.py::b")!.state).toBe("pending");
    model.finished(result("t.py::b", "passed"));
    model.settle();
    expect(model.failedIds()).toEqual([]);

    // A file that failed to collect is re-run by "Run failed" too.
    model.collected(["t.py::a"], [{ nodeid: "broken.py", longrepr: "SyntaxError", message: "" }], true);
    expect(model.failedIds()).toEqual(["broken.py"]);

    model.remove(["t.py::a", "t.py::missing"]);
    expect(model.list().map((entry) => entry.nodeid)).toEqual(["t.py::b"]);

    model.collected(["t.py::c"], [], false);
    expect(model.list().map((entry) => entry.nodeid)).toEqual(["t.py::c"]);
    model.settle();
    expect(model.get("t.py::c")!.state).toBe("not-run");
  });

  it("shows recorded results marked as recorded until a run replaces them", () => {
    const model = new ResultsModel();
    model.loadRecorded([{ nodeid: "t.py::a", outcome: "failed", duration: 0.5, longrepr: "assert 1 == 2", message: "", timedOut: false }], []);
    expect(model.get("t.py::a")).toMatchObject({ state: "failed", recorded: true });
    model.finished(result("t.py::a", "failed"));
    expect(model.get("t.py::a")).toMatchObject({ state: "failed", recorded: false });
  });

  it("a re-run reproduces only when every test has its recorded outcome and none is added or lost", () => {
    const recorded = [
      { nodeid: "t.py::a", outcome: "passed" as const, duration: 0, longrepr: "", message: "", timedOut: false },
      { nodeid: "t.py::b", outcome: "failed" as const, duration: 0, longrepr: "", message: "", timedOut: false },
    ];
    expect(compareWithRecorded(recorded, [result("t.py::a", "passed"), result("t.py::b", "failed")])).toEqual({ reproduced: true, differences: [] });
    expect(compareWithRecorded(recorded, [result("t.py::a", "passed"), result("t.py::b", "passed")]).differences).toEqual([["t.py::b", "failed", "passed"]]);
    expect(compareWithRecorded(recorded, [result("t.py::a", "passed")]).differences).toEqual([["t.py::b", "failed", "missing"]]);
    expect(compareWithRecorded(recorded, [...[result("t.py::a", "passed"), result("t.py::b", "failed")], result("t.py::c", "passed")]).reproduced).toBe(false);
  });

  it("matches node ids against pytest-style selectors", () => {
    expect(selectedBy("t.py::T::test_a[1]", [])).toBe(true);
    expect(selectedBy("t.py::T::test_a[1]", ["t.py"])).toBe(true);
    expect(selectedBy("t.py::T::test_a[1]", ["t.py::T"])).toBe(true);
    expect(selectedBy("t.py::T::test_a[1]", ["t.py::T::test_a"])).toBe(true);
    expect(selectedBy("t.py::T::test_ab", ["t.py::T::test_a"])).toBe(false);
    expect(selectedBy("t2.py::test", ["t.py"])).toBe(false);
  });
});
