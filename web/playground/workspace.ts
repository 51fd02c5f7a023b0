/**
 * The playground's files: the starter project, file-name rules, and the
 * add / rename / delete operations. Plain data, no DOM, so it is unit-tested
 * in Node.
 */
import type { WorkspaceFile } from "../runtime/api.js";

export type { WorkspaceFile };

/** Extensions a workspace file may have: Python sources and the config files pytest reads. */
export const ALLOWED_EXTENSIONS = [".py", ".txt", ".ini", ".toml", ".cfg"] as const;

/** Longest accepted path, in characters. */
export const MAX_PATH_LENGTH = 200;

/** What a new visitor sees: a test file with a passing and a failing test, a fixture in conftest.py, and the module they test. */
export const STARTER_FILES: readonly WorkspaceFile[] = [
  {
    path: "test_example.py",
    content: `from calc import add, mean


def test_add():
    assert add(2, 3) == 5


def test_mean(numbers):
    # Fails on purpose: mean() divides by the wrong count.
    assert mean(numbers) == 2.5


class TestWords:
    def test_upper(self):
        assert "fastest".upper() == "FASTEST"

    def test_split(self):
        print("splitting a sentence")
        assert "a b c".split() == ["a", "b", "c"]
`,
  },
  {
    path: "conftest.py",
    content: `import pytest


@pytest.fixture
def numbers():
    """Sample data shared by the tests."""
    return [1, 2, 3, 4]
`,
  },
  {
    path: "calc.py",
    content: `def add(a, b):
    return a + b


def mean(values):
    return sum(values) / (len(values) + 1)
`,
  },
];

/**
 * Why `path` cannot be a workspace file name, or null when it can.
 * `existing` are the paths already in the workspace; `current` is the file
 * being renamed (it may keep its own name).
 */
export function validateFilePath(path: string, existing: readonly string[], current?: string): string | null {
  const name = path.trim();
  if (name === "") return "Enter a file name, for example test_more.py.";
  if (name.length > MAX_PATH_LENGTH) return `A file name can have at most ${MAX_PATH_LENGTH} characters.`;
  if (name.startsWith("/") || /^[a-zA-Z]:/.test(name)) return "Use a path relative to the project, such as tests/test_app.py, not an absolute one.";
  if (name.includes("\\")) return "Separate folders with / rather than \\.";
  const parts = name.split("/");
  if (parts.some((part) => part === "..")) return "A file name cannot contain '..': files stay inside the project.";
  if (parts.some((part) => part === "" || part === ".")) return "A file name cannot contain empty or '.' folder parts (like a//b.py or ./a.py).";
  // Printable characters only: no control characters, quotes or shell-ish symbols that pytest node ids would trip over.
  if (!parts.every((part) => /^[\w.-]+$/u.test(part))) return "Use letters, digits, '_', '-', '.' and '/' only.";
  if (!ALLOWED_EXTENSIONS.some((ext) => name.endsWith(ext) && name.length > ext.length)) {
    return `The file name must end in ${ALLOWED_EXTENSIONS.join(", ")}.`;
  }
  if (name !== current && existing.includes(name)) return `There is already a file named ${name}.`;
  return null;
}

/** A workspace: its files in tab order and the one open in the editor. */
export interface WorkspaceState {
  files: WorkspaceFile[];
  active: string;
}

/** A fresh copy of the starter project. */
export function starterWorkspace(): WorkspaceState {
  return { files: STARTER_FILES.map((file) => ({ ...file })), active: STARTER_FILES[0]!.path };
}

/** A file name not yet used, like `test_new.py`, `test_new_2.py`... */
export function suggestNewName(existing: readonly string[]): string {
  if (!existing.includes("test_new.py")) return "test_new.py";
  for (let n = 2; ; n++) {
    const name = `test_new_${n}.py`;
    if (!existing.includes(name)) return name;
  }
}

/** Add an empty file (the name must be valid: see `validateFilePath`) and open it. */
export function addFile(state: WorkspaceState, path: string, content = ""): WorkspaceState {
  return { files: [...state.files, { path: path.trim(), content }], active: path.trim() };
}

/** Rename `from` to `to`, keeping its place among the tabs. */
export function renameFile(state: WorkspaceState, from: string, to: string): WorkspaceState {
  const name = to.trim();
  return {
    files: state.files.map((file) => (file.path === from ? { path: name, content: file.content } : file)),
    active: state.active === from ? name : state.active,
  };
}

/** Delete a file; the neighbouring tab opens when it was the open one. */
export function deleteFile(state: WorkspaceState, path: string): WorkspaceState {
  const index = state.files.findIndex((file) => file.path === path);
  if (index < 0) return state;
  const files = state.files.filter((file) => file.path !== path);
  const neighbour = files[Math.min(index, files.length - 1)];
  return { files, active: state.active === path ? (neighbour?.path ?? "") : state.active };
}

/** Replace one file's text. */
export function updateFile(state: WorkspaceState, path: string, content: string): WorkspaceState {
  return { ...state, files: state.files.map((file) => (file.path === path ? { path, content } : file)) };
}

/**
 * Check data read back from storage or a link: a list of `{path, content}`
 * with valid, distinct names. Returns the files, or null when anything is off.
 */
export function parseFiles(value: unknown): WorkspaceFile[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > 200) return null;
  const files: WorkspaceFile[] = [];
  for (const entry of value as unknown[]) {
    if (typeof entry !== "object" || entry === null) return null;
    const { path, content } = entry as Record<string, unknown>;
    if (typeof path !== "string" || typeof content !== "string") return null;
    if (validateFilePath(path, files.map((file) => file.path)) !== null) return null;
    files.push({ path, content });
  }
  return files;
}

/** The two workspaces hold the same files with the same text (order ignored). */
export function sameFiles(a: readonly WorkspaceFile[], b: readonly WorkspaceFile[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(a.map((file) => [file.path, file.content]));
  return b.every((file) => byPath.get(file.path) === file.content);
}
