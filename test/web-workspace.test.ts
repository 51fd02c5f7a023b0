/**
 * How the browser runtime decides what a run collects from a workspace
 * (web/runtime/workspace.ts), checked against the Node host's discovery
 * (node-host/project.ts) on the same tree written to disk: the same test
 * files, in the same order.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findTestFiles } from "../node-host/project.js";
import { planWorkspace, projectRoot, SelectorError } from "../web/runtime/workspace.js";
import { inlineFiles } from "./helpers/inline-files.js";

const tree: Record<string, string> = {
  "test_b.py": "def test_b(): pass\n",
  "test_a.py": "def test_a(): pass\n",
  "a_test.py": "def test_x(): pass\n",
  "helper.py": "X = 1\n",
  "conftest.py": "",
  "test_doc.txt": ">>> 1 + 1\n2\n",
  "notes.txt": "not a test\n",
  "pkg/__init__.py": "",
  "pkg/test_inner.py": "def test_inner(): pass\n",
  "pkg/sub/test_deep.py": "def test_deep(): pass\n",
  "pkg-b/test_z.py": "def test_z(): pass\n",
  "pkg.x/test_dot.py": "def test_dot(): pass\n",
  "build/test_built.py": "def test_built(): pass\n",
  ".hidden/test_hidden.py": "def test_hidden(): pass\n",
  "node_modules/test_nm.py": "def test_nm(): pass\n",
  "Test_upper.py": "def test_upper(): pass\n",
};

const workspace = Object.entries(tree).map(([p, content]) => ({ path: p, content }));

describe("the browser workspace's test files", () => {
  it("are those the Node host finds, in its order", () => {
    const dir = inlineFiles(tree);
    const node = findTestFiles([dir], ["test_*.py", "*_test.py"]).map((file) => path.relative(dir, file).split(path.sep).join("/"));
    const browser = planWorkspace(workspace).testFiles.map((file) => file.path.slice(projectRoot.length + 1));
    expect(browser).toEqual(node);
    expect(browser).toContain("test_doc.txt");
    expect(browser).not.toContain("build/test_built.py");
  });

  it("follow a folder selector as the Node host follows a folder argument", () => {
    const dir = inlineFiles(tree);
    const node = findTestFiles([path.join(dir, "pkg")], ["test_*.py", "*_test.py"]).map((file) => path.relative(dir, file).split(path.sep).join("/"));
    expect(planWorkspace(workspace, ["pkg"]).testFiles.map((file) => file.path.slice(projectRoot.length + 1))).toEqual(node);
  });

  it("take node ids and file paths as pytest's command line does", () => {
    const plan = planWorkspace(workspace, ["./test_a.py::test_a", "helper.py"]);
    expect(plan.testFiles.map((file) => file.path)).toEqual([`${projectRoot}/test_a.py`, `${projectRoot}/helper.py`]);
    // A file argument beside node ids selects all of that file.
    expect(plan.selectors).toEqual(["test_a.py::test_a", "helper.py"]);
    expect(plan.initialPaths).toEqual([`${projectRoot}/test_a.py`, `${projectRoot}/helper.py`]);
    // Every file is copied in, tests or not.
    expect(plan.files.map((file) => file.path)).toContain(`${projectRoot}/notes.txt`);
  });

  it("refuse paths that name nothing or leave the project", () => {
    expect(() => planWorkspace(workspace, ["test_missing.py"])).toThrow(new SelectorError("file or directory not found: test_missing.py"));
    expect(() => planWorkspace(workspace, ["../etc/passwd"])).toThrow(SelectorError);
  });
});
