import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importedNames } from "../node-host/project-imports.js";
import { extensionModule, isWasm } from "../node-host/site-packages.js";
import { parseWheelName, wheelFits, type SandboxTarget } from "../node-host/wheels.js";
import { readZip } from "../node-host/zip-archive.js";
import { normalize } from "./helpers/compare.js";
import { dedent, inlineFiles } from "./helpers/inline-files.js";
import os from "node:os";
import { repoRoot, runCli, testCacheDir } from "./helpers/run-cli.js";

/** Run a Python script on the host (building fixtures: venvs, wheels). */
function python(script: string, cwd: string, executable = "python3", args: string[] = []): string {
  const result = spawnSync(executable, ["-c", dedent(script), ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return result.stdout;
}

/** A virtualenv in `dir/.venv` (no pip: nothing is downloaded) that also sees the host's pytest. */
function makeVenv(dir: string): string {
  const made = spawnSync("python3", ["-m", "venv", "--without-pip", "--system-site-packages", path.join(dir, ".venv")], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`python3 -m venv failed: ${made.stderr}`);
  return python("import sysconfig; print(sysconfig.get_paths()['purelib'])", dir, path.join(dir, ".venv", "bin", "python")).trim();
}

/** Install a package by hand: its files plus a dist-info folder with a RECORD naming them. */
function installPackage(sitePackages: string, name: string, version: string, files: Record<string, string | Uint8Array>): void {
  const distInfo = `${name}-${version}.dist-info`;
  const all: Record<string, string | Uint8Array> = { ...files, [`${distInfo}/METADATA`]: `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n` };
  for (const [file, content] of Object.entries(all)) {
    const full = path.join(sitePackages, ...file.split("/"));
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, typeof content === "string" ? dedent(content) : content);
  }
  const record = [...Object.keys(all), `${distInfo}/RECORD`].map((file) => `${file},,`).join("\n");
  writeFileSync(path.join(sitePackages, distInfo, "RECORD"), `${record}\n`);
}

/** Build a wheel with Python's zipfile (deflated, as pip's wheels are); `binary` files are given as bytes. */
function buildWheel(dir: string, fileName: string, files: Record<string, string>, binary: Record<string, Uint8Array> = {}): void {
  mkdirSync(dir, { recursive: true });
  const hex = Object.fromEntries(Object.entries(binary).map(([name, data]) => [name, Buffer.from(data).toString("hex")]));
  python(
    `
    import json, sys, zipfile
    with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in json.loads(sys.argv[2]).items():
            archive.writestr(name, text)
        for name, data in json.loads(sys.argv[3]).items():
            archive.writestr(name, bytes.fromhex(data))
    `,
    dir,
    "python3",
    [path.join(dir, fileName), JSON.stringify(files), JSON.stringify(hex)],
  );
}

/**
 * The smallest WebAssembly side module CPython's loader accepts as an
 * extension module `name`: a dylink.0 section and a `PyInit_<name>` that
 * returns NULL without setting an exception (so importing it raises
 * SystemError: proof that the module was loaded and its init function ran).
 */
function wasmExtension(name: string): Uint8Array {
  const leb = (n: number) => {
    const out: number[] = [];
    do {
      const byte = n & 0x7f;
      n >>>= 7;
      out.push(n ? byte | 0x80 : byte);
    } while (n);
    return out;
  };
  const str = (text: string) => [...leb(text.length), ...new TextEncoder().encode(text)];
  const section = (id: number, payload: number[]) => [id, ...leb(payload.length), ...payload];
  const memInfo = [0, 0, 0, 0];
  const body = [0, 0x41, 0, 0x0b]; // no locals; i32.const 0; end
  return new Uint8Array([
    ...[0, 0x61, 0x73, 0x6d, 1, 0, 0, 0],
    ...section(0, [...str("dylink.0"), 1, ...leb(memInfo.length), ...memInfo]),
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str(`PyInit_${name}`), 0, 0]),
    ...section(10, [1, ...leb(body.length), ...body]),
  ]);
}

/** Real pytest, run by the virtualenv's Python so that it imports the same packages. */
function runVenvPytest(dir: string, args: string[]): { status: number; stdout: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTEST_DISABLE_PLUGIN_AUTOLOAD: "1", COLUMNS: "80", NO_COLOR: "1" };
  delete env["CI"];
  delete env["BUILD_NUMBER"];
  const result = spawnSync(path.join(dir, ".venv", "bin", "python"), ["-m", "pytest", "-p", "no:cacheprovider", ...args], { cwd: dir, encoding: "utf8", env });
  return { status: result.status ?? -1, stdout: result.stdout };
}

/** Drop the lines only fastest prints about dependencies, to compare the rest with pytest. */
const withoutDependencyLines = (text: string) =>
  normalize(text).split("\n").filter((line) => !/^(site-packages|wheels|compiled for another platform)/.test(line)).join("\n");

/** Bytes that start like a Linux shared library: what a compiled extension from a native venv looks like. */
const elfBytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);

const project = {
  "test_deps.py": `
    import greet
    import fastpkg

    def test_greet():
        assert greet.hello("you") == "hello you"

    def test_fallback():
        # fastpkg falls back to pure Python when its compiled module is missing
        assert fastpkg.add(2, 3) == 5
        assert fastpkg.IMPLEMENTATION == "python"

    def test_fails():
        assert greet.hello("a") == "hello b"

    def test_broken_dependency():
        import broken
  `,
};

function venvProject(): { dir: string; sitePackages: string } {
  const dir = inlineFiles(project);
  const sitePackages = makeVenv(dir);
  installPackage(sitePackages, "greet", "1.0", { "greet/__init__.py": 'def hello(name):\n    return f"hello {name}"\n' });
  installPackage(sitePackages, "fastpkg", "2.0", {
    "fastpkg/__init__.py": `
      try:
          from ._speed import add
          IMPLEMENTATION = "compiled"
      except ImportError:
          def add(a, b):
              return a + b
          IMPLEMENTATION = "python"
    `,
    "fastpkg/_speed.cpython-311-x86_64-linux-gnu.so": elfBytes,
  });
  installPackage(sitePackages, "broken", "0.1", { "broken/__init__.py": "import greet\nraise RuntimeError('broken at import')\n" });
  return { dir, sitePackages };
}

describe("dependencies from a virtualenv", () => {
  it("imports the project's .venv packages by default, with pytest's report", () => {
    const { dir } = venvProject();
    const ours = runCli(["-n", "1"], dir);
    const theirs = runVenvPytest(dir, []);
    // The first run with these packages bakes them into a snapshot and says so.
    expect(ours.stderr).not.toMatch(/Traceback|Error/);
    expect(ours.stdout).toMatch(/^site-packages: \.venv\/lib\/python3\.\d+\/site-packages \(3 packages\)$/m);
    expect(ours.stdout).toMatch(/^compiled for another platform, not loadable \(see --wheels\): fastpkg 2\.0$/m);
    expect(ours.stdout).toMatch(/2 failed, 2 passed/);
    expect(ours.stdout).toContain("RuntimeError: broken at import");
    expect(withoutDependencyLines(ours.stdout)).toBe(withoutDependencyLines(theirs.stdout));
    expect(ours.status).toBe(theirs.status);
  });

  it("fails an import of a compiled module with a message naming its package and --wheels", () => {
    const { dir } = venvProject();
    writeFileSync(path.join(dir, "test_compiled.py"), "def test_speed():\n    import fastpkg._speed\n");
    const ours = runCli(["-n", "1", "test_compiled.py"], dir);
    expect(ours.status).toBe(1);
    expect(ours.stdout).toContain(
      "E       ModuleNotFoundError: fastpkg._speed is a compiled extension of fastpkg 2.0 built for cpython-311-x86_64-linux-gnu",
    );
    expect(ours.stdout).toMatch(/which cannot load in fastest's WebAssembly sandbox\. Provide a Pyodide build of fastpkg: put fastpkg-VERSION-cp3\d+-cp3\d+-pyodide_\w+_wasm32\.whl/);
    expect(ours.stdout).toContain("pass --wheels FOLDER");
  });

  it("takes --site-packages PATH (a venv's root or a bare site-packages folder) and .pth files (editable installs)", () => {
    const dir = inlineFiles({
      "src/mylib/__init__.py": "VALUE = 42\n",
      "tests/test_lib.py": "import mylib, extra\n\ndef test_value():\n    assert mylib.VALUE == 42 and extra.NAME == 'extra'\n",
    });
    const outside = inlineFiles({ "site/extra.py": "NAME = 'extra'\n" });
    writeFileSync(path.join(outside, "site", "_editable_mylib.pth"), `${path.join(dir, "src")}\n`);
    const ours = runCli(["-n", "1", "--site-packages", path.join(outside, "site")], dir);
    expect(ours.stdout).toContain(`site-packages: ${path.join(outside, "site")} (0 packages)`);
    expect(ours.stdout).toMatch(/1 passed/);
    expect(ours.status).toBe(0);
    // Without it, the module is missing, as it would be for pytest.
    expect(runCli(["-n", "1"], dir).stdout).toMatch(/ModuleNotFoundError: No module named 'mylib'/);
  });

  it("says so when --site-packages names no folder", () => {
    const dir = inlineFiles({ "test_a.py": "def test_a():\n    pass\n" });
    const ours = runCli(["--site-packages", "missing-venv"], dir);
    expect(ours.status).toBe(4);
    expect(ours.stderr).toContain("--site-packages: missing-venv is not a folder");
  });
});

describe("the snapshot holding the dependencies", () => {
  it("is made once per dependency set, keyed by content: a changed package is seen on the next run", () => {
    const dir = inlineFiles({
      "test_stamp.py": `
        import stamp

        def test_stamp():
            with open("expected.txt") as f:
                assert stamp.VALUE == f.read()
      `,
    });
    const sitePackages = makeVenv(dir);
    const write = (value: string) => {
      installPackage(sitePackages, "stamp", "1.0", { "stamp/__init__.py": `VALUE = ${JSON.stringify(value)}\n` });
      writeFileSync(path.join(dir, "expected.txt"), value);
    };
    const preparing = "preparing the Python interpreter snapshot (once per version and set of dependencies)";
    write(`first ${process.pid} ${Date.now()}`);
    const first = runCli(["-n", "1"], dir);
    expect(first.stderr).toContain(preparing);
    expect(first.stdout).toMatch(/1 passed/);
    const second = runCli(["-n", "1"], dir);
    expect(second.stderr).toBe("");
    expect(second.stdout).toMatch(/1 passed/);
    write(`second ${process.pid} ${Date.now()}`);
    const changed = runCli(["-n", "1"], dir);
    expect(changed.stderr).toContain(preparing);
    expect(changed.stdout).toMatch(/1 passed/);
    // Without baking, the packages are imported by the run itself, from the same files.
    write(`third ${process.pid} ${Date.now()}`);
    const plain = runCli(["-n", "1"], dir, { FASTEST_PREIMPORT: "0" });
    expect(plain.stderr).toBe("");
    expect(plain.stdout).toMatch(/1 passed/);
  });

  it("leaves a module the project also has unimported, so the project's copy shadows the installed one as under pytest", () => {
    const dir = inlineFiles({
      "tests/helpers.py": "WHERE = 'project'\n",
      "tests/test_shadow.py": "import helpers, greet\n\ndef test_shadow():\n    assert helpers.WHERE == 'project'\n",
    });
    const sitePackages = makeVenv(dir);
    installPackage(sitePackages, "helpers", "1.0", { "helpers/__init__.py": "WHERE = 'venv'\n" });
    installPackage(sitePackages, "greet", "1.0", { "greet/__init__.py": `TOKEN = ${JSON.stringify(`${process.pid} ${Date.now()}`)}\n` });
    const ours = runCli(["-n", "1"], dir);
    // greet alone is imported into a new snapshot.
    expect(ours.stderr).toContain("set of dependencies");
    expect(ours.stdout).toMatch(/1 passed/);
    expect(runVenvPytest(dir, []).stdout).toMatch(/1 passed/);
  });
});

describe("watch mode", () => {
  it("keeps the dependencies in the workers of every rerun", async () => {
    const { dir } = venvProject();
    writeFileSync(path.join(dir, "test_deps.py"), "import greet\n\ndef test_greet():\n    assert greet.hello('w') == 'hello w'\n");
    const env = { PATH: process.env["PATH"] ?? "", HOME: os.homedir(), FASTEST_CACHE_DIR: testCacheDir, COLUMNS: "80", NO_COLOR: "1" };
    const child = spawn(process.execPath, [path.join(repoRoot, "node-host", "bin", "fastest.js"), "--watch", "-n", "1"], { cwd: dir, env });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const reports = async (count: number) => {
      const deadline = Date.now() + 90_000;
      while ((output.match(/Waiting for changes\./g) ?? []).length < count) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no report ${count} from fastest --watch:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    try {
      await reports(1);
      expect(output).toMatch(/^site-packages: \.venv\/lib\/python3\.\d+\/site-packages \(3 packages\)$/m);
      expect(output).toMatch(/1 passed/);
      // A saved test file reruns on a spare worker, which must hold the packages too.
      writeFileSync(path.join(dir, "test_deps.py"), "import greet\n\ndef test_greet():\n    assert greet.hello('v') == 'hello v'\n\ndef test_two():\n    import fastpkg\n    assert fastpkg.add(1, 1) == 2\n");
      await reports(2);
      expect(output.slice(output.indexOf("Waiting for changes."))).toMatch(/2 passed/);
    } finally {
      child.stdin.write("q\n");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  });
});

describe("dependencies from a folder of wheels", () => {
  it("loads pure-Python and Pyodide-built wheels, and names wheels built for another platform", () => {
    const dir = inlineFiles({
      "test_wheels.py": `
        import purepkg, pyodidepkg

        def test_pure():
            assert purepkg.WHERE == "wheel"

        def test_pyodide_build():
            assert pyodidepkg.kind() == "pyodide"

        def test_native_only():
            import nativepkg
      `,
    });
    const wheels = path.join(dir, "wheels");
    buildWheel(wheels, "purepkg-1.10-py3-none-any.whl", {
      "purepkg/__init__.py": "WHERE = 'wheel'\n",
      "purepkg-1.10.dist-info/METADATA": "Name: purepkg\nVersion: 1.10\n",
    });
    // An older version beside it is not used.
    buildWheel(wheels, "purepkg-1.9-py3-none-any.whl", {
      "purepkg/__init__.py": "WHERE = 'old wheel'\n",
      "purepkg-1.9.dist-info/METADATA": "Name: purepkg\nVersion: 1.9\n",
    });
    buildWheel(wheels, "pyodidepkg-0.3-cp314-cp314-pyodide_2026_0_wasm32.whl", {
      "pyodidepkg/__init__.py": "def kind():\n    return 'pyodide'\n",
      "pyodidepkg-0.3.dist-info/METADATA": "Name: pyodidepkg\nVersion: 0.3\n",
    });
    buildWheel(wheels, "nativepkg-5.0-cp311-cp311-manylinux_2_17_x86_64.whl", {
      "nativepkg/__init__.py": "",
      "nativepkg-5.0.dist-info/top_level.txt": "nativepkg\n",
    });
    const ours = runCli(["-n", "1", "--wheels", "wheels", "-rA"], dir);
    expect(ours.stdout).toContain("wheels: wheels (2 used; 1 built for another platform: nativepkg-5.0-cp311-cp311-manylinux_2_17_x86_64.whl)");
    expect(ours.stdout).toMatch(/PASSED test_wheels\.py::test_pure\nPASSED test_wheels\.py::test_pyodide_build/);
    expect(ours.stdout).toContain(
      "E       ModuleNotFoundError: nativepkg-5.0-cp311-cp311-manylinux_2_17_x86_64.whl (in wheels) is built for manylinux_2_17_x86_64, not for fastest's WebAssembly sandbox",
    );
    expect(ours.status).toBe(1);
  });

  it("loads a Pyodide-built wheel's compiled WebAssembly module at run time (not into the snapshot)", () => {
    const dir = inlineFiles({ "test_ext.py": "def test_ext():\n    import wasmhello\n" });
    buildWheel(
      path.join(dir, "wheels"),
      "wasmhello-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl",
      { "wasmhello-1.0.dist-info/METADATA": "Name: wasmhello\nVersion: 1.0\n" },
      { "wasmhello.cpython-314-wasm32-emscripten.so": wasmExtension("wasmhello") },
    );
    for (let run = 0; run < 2; run++) {
      const ours = runCli(["-n", "1", "--wheels", "wheels"], dir);
      expect(ours.stdout).toContain("E       SystemError: initialization of wasmhello failed without raising an exception");
      expect(ours.stdout).toMatch(/1 failed in/);
    }
  });

  it("prefers a wheel's package to the virtualenv's copy, and its compiled module is no longer refused", () => {
    const { dir } = venvProject();
    buildWheel(path.join(dir, "wheels"), "fastpkg-2.1-py3-none-any.whl", {
      "fastpkg/__init__.py": "IMPLEMENTATION = 'wheel'\n\ndef add(a, b):\n    return a + b\n",
      "fastpkg-2.1.dist-info/METADATA": "Name: fastpkg\nVersion: 2.1\n",
    });
    writeFileSync(path.join(dir, "test_which.py"), "import fastpkg\n\ndef test_which():\n    assert fastpkg.IMPLEMENTATION == 'wheel'\n");
    const ours = runCli(["-n", "1", "--wheels", "wheels", "test_which.py"], dir);
    expect(ours.stdout).not.toContain("compiled for another platform");
    expect(ours.stdout).toMatch(/1 passed/);
    expect(ours.status).toBe(0);
  });
});

describe("wheel and extension names", () => {
  const target: SandboxTarget = { pythonVersion: "3.14", platforms: ["pyodide_2026_0_wasm32", "emscripten_5_0_3_wasm32"] };
  const fits = (file: string) => wheelFits(parseWheelName(file)!, target);

  it("accepts pure and Pyodide wheels for this Python only", () => {
    expect(fits("a-1.0-py3-none-any.whl")).toBe(true);
    expect(fits("a-1.0-py2.py3-none-any.whl")).toBe(true);
    expect(fits("a-1.0-1-py312-none-any.whl")).toBe(true);
    expect(fits("a-1.0-cp314-cp314-pyodide_2026_0_wasm32.whl")).toBe(true);
    expect(fits("a-1.0-cp314-cp314-emscripten_5_0_3_wasm32.whl")).toBe(true);
    expect(fits("a-1.0-cp312-abi3-pyodide_2026_0_wasm32.whl")).toBe(true);
    expect(fits("a-1.0-cp313-cp313-pyodide_2026_0_wasm32.whl")).toBe(false);
    expect(fits("a-1.0-cp314-cp314-pyodide_2025_0_wasm32.whl")).toBe(false);
    expect(fits("a-1.0-cp314-cp314-manylinux_2_17_x86_64.whl")).toBe(false);
    expect(fits("a-1.0-py315-none-any.whl")).toBe(false);
    expect(fits("a-1.0-py2-none-any.whl")).toBe(false);
    expect(parseWheelName("not-a-wheel.whl")).toBeNull();
  });

  it("finds the modules a project imports, to import them into the snapshot", () => {
    const source = dedent(`
      import os, flask.json as fj
      from jinja2.sandbox import SandboxedEnvironment
      from . import local
      def f():
          import requests  # inside a function
      text = "import notamodule"
    `);
    expect([...importedNames(source)].sort()).toEqual(["flask", "jinja2", "os", "requests"].sort());
  });

  it("names compiled modules from their files", () => {
    expect(extensionModule("markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so")).toEqual({ module: "markupsafe._speedups", builtFor: "cpython-311-x86_64-linux-gnu" });
    expect(extensionModule("_cffi_backend.cpython-311-x86_64-linux-gnu.so")).toEqual({ module: "_cffi_backend", builtFor: "cpython-311-x86_64-linux-gnu" });
    expect(extensionModule("numpy.libs/libopenblas-r0.3.so").module).toBeNull();
    expect(isWasm(new Uint8Array([0, 0x61, 0x73, 0x6d, 1]))).toBe(true);
    expect(isWasm(elfBytes)).toBe(false);
  });

  it("reads what Python's zipfile writes, stored and deflated", () => {
    const dir = inlineFiles({});
    const content = python(
      `
      import zipfile, io, sys
      buffer = io.BytesIO()
      with zipfile.ZipFile(buffer, "w") as archive:
          archive.writestr("a/stored.txt", "plain", compress_type=zipfile.ZIP_STORED)
          archive.writestr("a/deflated.py", "x = 1\\n" * 500, compress_type=zipfile.ZIP_DEFLATED)
          archive.writestr("empty/", "")
      sys.stdout.write(buffer.getvalue().hex())
      `,
      dir,
    );
    const entries = readZip(Buffer.from(content, "hex"), "test.zip");
    expect(entries.map((entry) => entry.name)).toEqual(["a/stored.txt", "a/deflated.py"]);
    expect(new TextDecoder().decode(entries[0]!.data)).toBe("plain");
    expect(new TextDecoder().decode(entries[1]!.data)).toBe("x = 1\n".repeat(500));
    expect(() => readZip(new Uint8Array(100), "junk.whl")).toThrow("junk.whl is not a zip archive");
  });
});
