/**
 * The basic suites (small, medium, large): plain asserts, or fixtures and
 * parametrize. Every generated test passes under real pytest.
 */
import { freshDir, writeFiles, type GeneratedSuite } from "./suite-files.js";

export interface BasicSpec {
  files: number;
  testsPerFile: number;
  /** Use fixtures (function, module, conftest, yield) and parametrize. */
  rich: boolean;
}

/** Two parametrized functions with this many literal cases each. */
const PARAMS_PER_FUNCTION = 10;
const WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa"];

const CONFTEST = `import pytest


@pytest.fixture
def base():
    return 7


@pytest.fixture
def resource():
    state = {"open": True, "uses": 0}
    yield state
    state["open"] = False
`;

/** A plain test; `n` is unique within the suite and picks body and values. */
function plainTest(n: number): string {
  const a = (n * 7) % 100;
  const b = (n * 13) % 50;
  const c = (n * 31) % 97;
  switch (n % 4) {
    case 0:
      return `def test_add_${n}():\n    assert ${a} + ${b} == ${a + b}\n`;
    case 1:
      return `def test_join_${n}():\n    assert "-".join(["x", "${n}"]) == "x-${n}"\n`;
    case 2:
      return `def test_sorted_${n}():\n    assert sorted([${c}, ${a}, ${b}]) == [${[c, a, b].sort((x, y) => x - y).join(", ")}]\n`;
    default:
      return `def test_dict_${n}():\n    d = {"k": ${a}}\n    assert d.get("k") == ${a} and "z" not in d\n`;
  }
}

/** A test that uses fixtures of every scope and kind. */
function fixtureTest(n: number): string {
  const k = n % 50;
  switch (n % 3) {
    case 0:
      return `def test_table_${n}(table):\n    assert table[${k}] == ${k * k}\n`;
    case 1:
      return `def test_numbers_${n}(numbers, base):\n    assert numbers[0] == base and len(numbers) == 5\n`;
    default:
      return `def test_resource_${n}(resource):\n    assert resource["open"]\n    resource["uses"] += 1\n    assert resource["uses"] == 1\n`;
  }
}

function parametrizedTests(file: number): string {
  const squares = Array.from({ length: PARAMS_PER_FUNCTION }, (_, i) => `(${i + file}, ${(i + file) ** 2})`).join(", ");
  const words = WORDS.slice(0, PARAMS_PER_FUNCTION).map((word) => JSON.stringify(word)).join(", ");
  return [
    `@pytest.mark.parametrize("value, expected", [${squares}])\ndef test_square_${file}(value, expected):\n    assert value * value == expected\n`,
    `@pytest.mark.parametrize("word", [${words}])\ndef test_word_${file}(word, base):\n    assert word.isalpha() and base == 7\n`,
  ].join("\n\n");
}

const MODULE_FIXTURES = `@pytest.fixture(scope="module")
def table():
    return {i: i * i for i in range(50)}


@pytest.fixture
def numbers(base):
    return [base + i for i in range(5)]
`;

function testFile(name: string, spec: BasicSpec, file: number): string {
  const first = file * spec.testsPerFile;
  if (!spec.rich) {
    return Array.from({ length: spec.testsPerFile }, (_, i) => plainTest(first + i)).join("\n\n");
  }
  const rest = spec.testsPerFile - 2 * PARAMS_PER_FUNCTION;
  if (rest < 0) throw new Error(`suite ${name}: a rich file needs at least ${2 * PARAMS_PER_FUNCTION} tests`);
  const plain = Array.from({ length: Math.ceil(rest / 2) }, (_, i) => plainTest(first + i));
  const withFixtures = Array.from({ length: Math.floor(rest / 2) }, (_, i) => fixtureTest(first + i));
  return ["import pytest\n", MODULE_FIXTURES, ...plain, ...withFixtures, parametrizedTests(file)].join("\n\n");
}

/** Writes the suite `name` from scratch into `dir` (with a pytest.ini so rootdir is the suite). */
export function generateBasicSuite(dir: string, name: string, spec: BasicSpec): GeneratedSuite {
  freshDir(dir);
  const files: Record<string, string> = { "pytest.ini": "[pytest]\n" };
  if (spec.rich) files["conftest.py"] = CONFTEST;
  const width = String(spec.files - 1).length;
  for (let file = 0; file < spec.files; file++) {
    files[`test_${name}_${String(file).padStart(width, "0")}.py`] = testFile(name, spec, file);
  }
  writeFiles(dir, files);
  const tests = spec.files * spec.testsPerFile;
  const kinds = spec.rich ? ", with fixtures (function, module, conftest, yield) and parametrize" : ", plain asserts";
  return { tests, description: `${tests} tests in ${spec.files} file${spec.files === 1 ? "" : "s"}${kinds}` };
}
