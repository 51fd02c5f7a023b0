/**
 * The collect suite: 10,000 tests in 500 files spread over 10 folders, for
 * `--collect-only`. Each file mixes plain functions, a test class and a
 * literal parametrize, the shapes static discovery has to resolve.
 */
import { freshDir, pad, writeFiles, type GeneratedSuite } from "./suite-files.js";

const FOLDERS = 10;
const FILES_PER_FOLDER = 50;
const FUNCTIONS = 8;
const METHODS = 6;
const CASES = 6;

function testFile(n: number): string {
  const functions = Array.from({ length: FUNCTIONS }, (_, i) => `def test_value_${n}_${i}():\n    assert ${n} + ${i} == ${n + i}\n`);
  const methods = Array.from({ length: METHODS }, (_, i) => `    def test_method_${i}(self):\n        assert "${n}-${i}".split("-") == ["${n}", "${i}"]\n`);
  const cases = Array.from({ length: CASES }, (_, i) => `(${i}, ${i * n})`).join(", ");
  return [
    "import pytest\n",
    ...functions,
    `class TestGroup${n}:\n${methods.join("\n")}`,
    `@pytest.mark.parametrize("factor, product", [${cases}])\ndef test_product_${n}(factor, product):\n    assert factor * ${n} == product\n`,
  ].join("\n\n");
}

export function generateCollectSuite(dir: string): GeneratedSuite {
  freshDir(dir);
  const files: Record<string, string> = { "pytest.ini": "[pytest]\n" };
  const count = FOLDERS * FILES_PER_FOLDER;
  for (let folder = 0; folder < FOLDERS; folder++) {
    for (let file = 0; file < FILES_PER_FOLDER; file++) {
      const n = folder * FILES_PER_FOLDER + file;
      files[`group_${pad(folder, FOLDERS)}/test_collect_${pad(n, count)}.py`] = testFile(n);
    }
  }
  writeFiles(dir, files);
  const tests = count * (FUNCTIONS + METHODS + CASES);
  return {
    tests,
    description: `${tests.toLocaleString("en-US")} tests in ${count} files in ${FOLDERS} folders (functions, a class, a literal parametrize per file), \`--collect-only\``,
  };
}
