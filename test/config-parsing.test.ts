/**
 * Config parsing, checked against the libraries pytest itself uses where it
 * can be: INI text against `iniconfig`, versions against `packaging`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readConfigText } from "../core/config-file.js";
import { compareVersions, iniValuesOf, pytestCompatibleVersion, isStrictConfig, isStrictXfail, minversionError, parseOverrides, unknownOptions } from "../core/config-options.js";
import { fastestOptionValues } from "../core/fastest-options.js";
import { parseIni } from "../core/ini.js";
import { expandTestpath } from "../node-host/testpaths.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { repoRoot } from "./helpers/run-cli.js";

/** Run a Python snippet that reads JSON on stdin and prints JSON. */
function python(code: string, input: unknown, cwd?: string): unknown {
  const result = spawnSync("python3", ["-c", code], { input: JSON.stringify(input), encoding: "utf8", cwd });
  if (result.status !== 0) throw new Error(`python3 failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const iniSamples = [
  "[pytest]\naddopts = -q\nmarkers =\n    slow: slow tests\n    db: uses the db\nxfail_strict: true\n[other]\nx=1\n",
  "# comment\n; another\n[pytest]\n  # indented comment\nkey = a = b\nurl: http://x\n",
  "[pytest]\nfoo\n",
  "[pytest]\n  continued\n",
  "x = 1\n[pytest]\n",
  "[pytest]\na = 1\na = 2\n",
  "[pytest]\n[pytest]\n",
  "[]\n",
  "[pytest] # trailing comment\nk = v ; not a comment in values\n",
  "[pytest]\nk =\n  first\n\n  second\n",
  "[pytest\nk = v\n",
  "[pytest]\r\nk = v\r\n  more\r\n",
  "[s]\nname:with=colon\nother=with:colon\n",
];

describe("parseIni reads INI text as pytest's iniconfig does", () => {
  it("gives the same sections, or an error on the same line with the same reason", () => {
    const expected = python(
      `import json, sys, iniconfig
out = []
for text in json.load(sys.stdin):
    try:
        ini = iniconfig.IniConfig("f", data=text)
        out.append({"sections": {s.name: dict(s.items()) for s in ini}})
    except iniconfig.ParseError as e:
        out.append({"error": f"line {e.lineno + 1}: {e.msg}"})
print(json.dumps(out))`,
      iniSamples,
    ) as Array<{ sections?: Record<string, Record<string, string>>; error?: string }>;
    iniSamples.forEach((text, i) => {
      let actual: { sections?: Record<string, Record<string, string>>; error?: string };
      try {
        actual = { sections: Object.fromEntries(parseIni(text)) };
      } catch (error) {
        actual = { error: (error as Error).message };
      }
      expect(actual, JSON.stringify(text)).toEqual(expected[i]);
    });
  });
});

describe("readConfigText", () => {
  it("finds pytest's options in each format, and fastest's own", () => {
    expect(readConfigText("pytest.ini", "[pytest]\naddopts = -q\n[fastest]\nseed = 3\n")).toEqual({
      pytest: { mode: "ini", values: { addopts: "-q" } },
      fastest: { mode: "ini", values: { seed: "3" } },
    });
    expect(readConfigText("tox.ini", "[tox]\nenvlist = py3\n").pytest).toBeNull();
    expect(readConfigText("pytest.ini", "[other]\n").pytest).toEqual({ mode: "ini", values: {} });
    expect(readConfigText("setup.cfg", "[tool:pytest]\nxfail_strict = true\n").pytest).toEqual({ mode: "ini", values: { xfail_strict: "true" } });
    expect(readConfigText("pytest.toml", "[pytest]\naddopts = ['-q']\n").pytest).toEqual({ mode: "toml", values: { addopts: ["-q"] } });
    const pyproject = readConfigText("pyproject.toml", "[tool.pytest.ini_options]\nxfail_strict = true\nminversion = 8.1\n[tool.fastest]\ntimeout = 2.5\n");
    // ini mode: scalars become Python's str() of them.
    expect(pyproject.pytest).toEqual({ mode: "ini", values: { xfail_strict: "True", minversion: "8.1" } });
    expect(pyproject.fastest).toEqual({ mode: "toml", values: { timeout: 2.5 } });
    expect(readConfigText("pyproject.toml", "[tool.pytest]\nxfail_strict = true\n").pytest).toEqual({ mode: "toml", values: { xfail_strict: true } });
    expect(readConfigText("pyproject.toml", "[tool.black]\nx = 1\n")).toEqual({ pytest: null, fastest: null });
  });

  it("refuses what pytest refuses, with its messages", () => {
    expect(() => readConfigText("pyproject.toml", "[tool.pytest]\nx = 1\n[tool.pytest.ini_options]\ny = 2\n")).toThrow(/Cannot use both \[tool\.pytest\]/);
    expect(() => readConfigText("setup.cfg", "[pytest]\n")).toThrow("[pytest] section in setup.cfg files is no longer supported, change to [tool:pytest] instead.");
    try {
      readConfigText("pyproject.toml", "[tool.pytest]\naddopts = -v\n");
      expect.unreachable();
    } catch (error) {
      expect((error as { describe(file: string): string }).describe("/p/pyproject.toml")).toMatch(/^\/p\/pyproject\.toml: .+ \(at line 2, column \d+\)$/);
    }
    try {
      readConfigText("tox.ini", "[pytest]\nfoo\n");
      expect.unreachable();
    } catch (error) {
      expect((error as { describe(file: string): string }).describe("/p/tox.ini")).toBe("/p/tox.ini:2: unexpected line: 'foo'");
    }
  });
});

describe("option values", () => {
  it("checks native TOML types as pytest 9 does and keeps ini-mode values as they are", () => {
    const toml = (values: Record<string, unknown>) => iniValuesOf({ mode: "toml", values }, "/p/pyproject.toml");
    expect(toml({ xfail_strict: true, python_files: ["a_*.py"], timeout: 5, my_plugin_option: false })).toEqual({
      xfail_strict: "true", python_files: ["a_*.py"], timeout: "5", my_plugin_option: "false",
    });
    expect(() => toml({ python_files: "test_*.py" })).toThrow("/p/pyproject.toml: config option 'python_files' expects a list for type 'args', got str: 'test_*.py'");
    expect(() => toml({ markers: ["a", 1] })).toThrow("config option 'markers' expects a list of strings, but item at index 1 is int: 1");
    expect(() => toml({ xfail_strict: "true" })).toThrow("config option 'xfail_strict' expects a bool, got str: 'true'");
    expect(() => toml({ console_output_style: 3 })).toThrow("config option 'console_output_style' expects a string, got int: 3");
    expect(iniValuesOf({ mode: "ini", values: { python_files: "a_*.py b_*.py" } }, "f")).toEqual({ python_files: "a_*.py b_*.py" });
  });

  it("reads -o NAME=VALUE, the last of a name winning", () => {
    expect(parseOverrides(["a=1", "b=x=y", "a=2", "c="])).toEqual({ a: "2", b: "x=y", c: "" });
    expect(() => parseOverrides(["foo"])).toThrow("-o/--override-ini expects option=value style (got: 'foo').");
  });

  it("reads the strict options as pytest 9 does", () => {
    expect(isStrictConfig({ strict: "true" })).toBe(true);
    expect(isStrictConfig({ strict: "true", strict_config: "false" })).toBe(false);
    expect(isStrictConfig({ strict_config: "yes" })).toBe(true);
    expect(isStrictXfail({ xfail_strict: "true" }, new Set())).toBe(true);
    expect(isStrictXfail({ xfail_strict: "true", strict_xfail: "false" }, new Set())).toBe(false);
    expect(isStrictXfail({ xfail_strict: "true", strict_xfail: "false" }, new Set(["xfail_strict"]))).toBe(true);
    expect(isStrictXfail({ strict: "1" }, new Set())).toBe(true);
  });

  it("knows pytest's own options, the stood-in plugins' and conftest-registered ones", () => {
    expect(unknownOptions({ addopts: "", xfail_strict: "1", timeout: "3", asyncio_mode: "auto", zeta: "", alpha: "", mine: "" }, new Set(["mine"]))).toEqual(["alpha", "zeta"]);
  });
});

describe("minversion", () => {
  const versions = ["9.0", "9.0.0", "9.1", "8.4.2", "9.0.0rc1", "9.0.0.dev1", "9.0.1a2", "10", "9.0.0.post1", "9!1", "v9.0", "9.0.0+local"];

  it("orders versions as packaging.version does", () => {
    const expected = python(
      `import json, sys
from packaging.version import Version, InvalidVersion
out = []
for v in json.load(sys.stdin):
    try:
        out.append((Version(v) > Version("9.0.0")) - (Version(v) < Version("9.0.0")))
    except InvalidVersion:
        out.append(None)
print(json.dumps(out))`,
      versions,
    ) as Array<number | null>;
    versions.forEach((version, i) => {
      const order = compareVersions(version, "9.0.0");
      expect(order === null ? null : Math.sign(order), version).toBe(version === "9!1" ? null : expected[i]);
    });
  });

  it("compares with the version the sandbox's pytest module reports", () => {
    const source = readFileSync(path.join(repoRoot, "wasm-python/python/fastest_harness/version.py"), "utf8");
    expect(/__version__ = "([^"]+)"/.exec(source)?.[1]).toBe(`${pytestCompatibleVersion}-fastest`);
  });

  it("gives pytest's message when the file asks for a newer pytest", () => {
    expect(minversionError({ mode: "ini", values: { minversion: "9.1" } }, {}, "/p/pytest.ini")).toBe("/p/pytest.ini: 'minversion' requires pytest-9.1, actual pytest-9.0.0'");
    expect(minversionError({ mode: "ini", values: { minversion: "7.0" } }, {}, "/p/pytest.ini")).toBeNull();
    expect(minversionError({ mode: "toml", values: { minversion: 9.1 } }, {}, "/p/pyproject.toml")).toBe("/p/pyproject.toml: 'minversion' must be a single value");
    expect(minversionError(null, { minversion: "10" }, null)).toBe("None: 'minversion' requires pytest-10, actual pytest-9.0.0'");
  });
});

describe("fastest's own options", () => {
  it("turns [tool.fastest] into command-line option values", () => {
    expect(fastestOptionValues({ mode: "toml", values: { timeout: 2.5, "max-memory": 512, workers: "auto", seed: 7 } }, "/p/pyproject.toml")).toEqual({
      timeout: "2.5", "max-memory": "512", numprocesses: "auto", seed: "7",
    });
    expect(fastestOptionValues({ mode: "ini", values: { numprocesses: "2", max_memory: "256" } }, "/p/pytest.ini")).toEqual({ numprocesses: "2", "max-memory": "256" });
  });

  it("reads site-packages as one path and wheels as a list of folders (a TOML list, or an ini value split on spaces and lines)", () => {
    expect(fastestOptionValues({ mode: "toml", values: { "site-packages": ".env/lib", wheels: ["wheelhouse", "vendor/wheels"] } }, "/p/pyproject.toml")).toEqual({
      "site-packages": ".env/lib", wheels: ["wheelhouse", "vendor/wheels"],
    });
    expect(fastestOptionValues({ mode: "ini", values: { site_packages: "env", wheels: "\nwheelhouse\n  other\n" } }, "/p/tox.ini")).toEqual({ "site-packages": "env", wheels: ["wheelhouse", "other"] });
    expect(() => fastestOptionValues({ mode: "toml", values: { wheels: [1] } }, "/p/pyproject.toml")).toThrow("[tool.fastest] option 'wheels' must be a folder of wheels, or a list of folders, not [1]");
    expect(() => fastestOptionValues({ mode: "toml", values: { "site-packages": ["a"] } }, "/p/pyproject.toml")).toThrow("option 'site-packages' must be a path to a virtualenv or a site-packages folder");
  });

  it("names the file and key of an unknown option or a wrong value", () => {
    expect(() => fastestOptionValues({ mode: "toml", values: { timeot: 3 } }, "/p/pyproject.toml")).toThrow("/p/pyproject.toml: unknown option 'timeot' in [tool.fastest]");
    expect(() => fastestOptionValues({ mode: "toml", values: { seed: -1 } }, "/p/pyproject.toml")).toThrow("/p/pyproject.toml: [tool.fastest] option 'seed' must be a whole number, not -1");
    expect(() => fastestOptionValues({ mode: "ini", values: { timeout: "soon" } }, "/p/tox.ini")).toThrow("[fastest] option 'timeout' must be a number of seconds (0: no limit), not 'soon'");
  });
});

describe("testpaths globs", () => {
  it("expand as Python's glob.iglob(entry, recursive=True), sorted", () => {
    const dir = inlineFiles({
      "tests/unit/test_a.py": "", "tests/unit/deep/test_b.py": "", "tests/integration/test_c.py": "", "tests/.hidden/test_d.py": "",
      "src/pkg/tests/test_e.py": "", "src/other/tests/test_f.py": "", "docs/guide.txt": "", "readme.txt": "",
    });
    const entries = ["tests", "tests/u*", "tests/*", "src/*/tests", "src/**/tests", "*.txt", "nothing", "no*", "tests/.h*", "tests/[iu]*", "te?ts/unit", "tests/unit/"];
    const expected = python(
      `import glob, json, sys
print(json.dumps([sorted(glob.iglob(p, recursive=True)) for p in json.load(sys.stdin)]))`,
      entries,
      dir,
    ) as string[][];
    entries.forEach((entry, i) => expect(expandTestpath(dir, entry), entry).toEqual(expected[i]));
  });
});
