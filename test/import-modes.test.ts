/**
 * `--import-mode` (prepend, append, importlib) and the `pythonpath` ini
 * option, end to end: each case runs under real pytest and fastest on the
 * same tree and the whole reports must match (module names and `sys.path`
 * positions are asserted inside the tests, so a difference fails a test).
 */
import { describe, it } from "vitest";
import { expectSameReport } from "./helpers/compare.js";

// Two test files of the same name in folders without __init__.py, beside a package.
const sameBasenames = {
  "tests/a/test_same.py": `
    import os
    import sys

    def test_a():
        assert __name__ == "tests.a.test_same"

    def test_folder_not_on_sys_path():
        assert os.path.dirname(os.path.abspath(__file__)) not in sys.path
  `,
  "tests/b/test_same.py": `
    def test_b():
        assert __name__ == "tests.b.test_same"
  `,
  "tests/conftest.py": `
    import pytest

    @pytest.fixture
    def conftest_name():
        return __name__
  `,
  "tests/b/test_conftest.py": `
    def test_conftest_module(conftest_name):
        assert conftest_name == "tests.conftest"
  `,
  "pkg/__init__.py": "",
  "pkg/test_inside.py": `
    def test_package_name():
        assert __name__ == "pkg.test_inside"
  `,
};

describe("--import-mode", () => {
  it("prepend (the default) refuses a second test file of the same basename, as pytest does", () => {
    expectSameReport(sameBasenames, ["-q", "tests"]);
  });

  it("importlib names files by their rootdir-relative path: same basenames coexist, sys.path is untouched", () => {
    expectSameReport(sameBasenames, ["-q", "--import-mode=importlib"]);
  });

  it("append puts a test file's folder at the end of sys.path instead of the front", () => {
    const files = {
      "tests/test_order.py": `
        import os
        import sys

        HERE = os.path.dirname(os.path.abspath(__file__))

        def test_position(request):
            if request.config.getoption("importmode") == "append":
                assert sys.path[-1] == HERE
                assert sys.path[0] != HERE
            else:
                assert sys.path[0] == HERE
      `,
    };
    expectSameReport(files, ["-q", "--import-mode=append"]);
    expectSameReport(files, ["-q"]);
  });

  it("importlib keeps the assertion rewriting of test files and conftests", () => {
    expectSameReport(
      {
        "tests/conftest.py": `
          import pytest

          @pytest.fixture
          def checked():
              value = [1, 2]
              assert value == [1, 3]
        `,
        "tests/test_rewrite.py": `
          def test_values():
              assert {"a": 1} == {"a": 2}

          def test_fixture(checked):
              pass
        `,
      },
      ["-q", "--import-mode=importlib"],
    );
  });
});

describe("pythonpath", () => {
  const srcLayout = {
    ".pytest.ini": `
      [pytest]
      pythonpath = src
      testpaths = tests
    `,
    "src/mylib/__init__.py": `
      def answer():
          return 42
    `,
    "tests/test_lib.py": `
      import os
      import sys
      import mylib

      def test_import():
          assert mylib.answer() == 42

      def test_src_first():
          src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
          assert src in sys.path[:2]
    `,
  };

  it("puts the src layout's folder on sys.path (config read from .pytest.ini)", () => {
    expectSameReport(srcLayout, ["-q"]);
  });

  it("works from -o and under --import-mode=importlib", () => {
    const { ".pytest.ini": _ini, ...rest } = srcLayout;
    expectSameReport({ ...rest, "pytest.ini": "[pytest]\n" }, ["-q", "-o", "pythonpath=src", "--import-mode=importlib", "tests"]);
  });
});
