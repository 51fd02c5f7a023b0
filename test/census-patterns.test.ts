/**
 * What popular suites lean on (issue 9's census), one small tree per group
 * of patterns, each run under real pytest and fastest: the whole reports
 * must match.
 */
import { describe, it } from "vitest";
import { expectSameReport } from "./helpers/compare.js";

describe("census patterns", () => {
  it("filterwarnings = error makes a warning raised at import a collection error, and one in a test a failure", () => {
    expectSameReport(
      {
        "pyproject.toml": `
          [tool.pytest.ini_options]
          filterwarnings = ["error", "ignore:tolerated:UserWarning"]
        `,
        "test_import_warns.py": `
          import warnings
          warnings.warn("at import", DeprecationWarning)

          def test_never_runs():
              pass
        `,
        "test_tolerated.py": `
          import warnings
          warnings.warn("tolerated at import", UserWarning)

          def test_warns():
              warnings.warn("boom", UserWarning)

          def test_tolerated():
              warnings.warn("tolerated here", UserWarning)
        `,
      },
      ["-q", "--continue-on-collection-errors"],
    );
  });

  it("testpaths over several folders, addopts with --ignore lists, --strict-markers and xfail_strict", () => {
    expectSameReport(
      {
        "setup.cfg": `
          [tool:pytest]
          testpaths = unit integration
          addopts = --strict-markers --ignore=integration/test_ignored.py --ignore=unit/legacy -m "not stress"
          xfail_strict = true
          markers =
              stress: long-running load tests
        `,
        "unit/test_unit.py": `
          import pytest

          def test_one():
              pass

          @pytest.mark.xfail(reason="fixed since")
          def test_strict_xpass():
              pass

          @pytest.mark.stress
          @pytest.mark.parametrize("n", range(50))
          def test_load(n):
              pass
        `,
        "unit/legacy/test_old.py": "def test_old():\n    assert 0\n",
        "integration/test_integration.py": "def test_two():\n    pass\n",
        "integration/test_ignored.py": "def test_ignored():\n    assert 0\n",
        "other/test_elsewhere.py": "def test_outside_testpaths():\n    assert 0\n",
      },
      ["-v"],
    );
  });

  it("parametrize from a generator over a data file, ids with escape characters, params= fixtures in conftest and module scope, getfixturevalue('capsys')", () => {
    expectSameReport(
      {
        "data/cases.csv": "1,2\n3,4\n5,9\n",
        "tests/conftest.py": `
          import pytest

          @pytest.fixture(params=["x", "y"])
          def letter(request):
              return request.param
        `,
        "tests/test_patterns.py": `
          import os
          import pytest

          def cases():
              with open(os.path.join(os.path.dirname(__file__), "..", "data", "cases.csv")) as fh:
                  for line in fh:
                      a, b = line.strip().split(",")
                      yield int(a), int(b)

          @pytest.mark.parametrize("a,b", cases())
          def test_data(a, b):
              assert b == a + 1

          @pytest.mark.parametrize("text", ["\\x1b[31mred\\x1b[0m", "tab\\there", "line\\nbreak", "caf\\u00e9", b"\\x00\\xff"])
          def test_escaped_ids(text):
              assert text

          @pytest.fixture(scope="module", params=[1, 2])
          def backend(request):
              print("setup", request.param)
              return request.param

          def test_with_letter(backend, letter):
              pass

          def test_backend_only(backend):
              pass

          def test_capsys_by_name(request):
              capsys = request.getfixturevalue("capsys")
              print("hi")
              assert capsys.readouterr().out == "hi\\n"
        `,
      },
      ["-v", "-rP"],
    );
  });

  it("doctests: --doctest-modules, --doctest-glob over *.rst and README.md, doctest_optionflags, doctest_namespace from an autouse fixture, +SKIP on a whole doctest, --doctest-report ndiff", () => {
    expectSameReport(
      {
        "pytest.ini": "[pytest]\ndoctest_optionflags = NORMALIZE_WHITESPACE ELLIPSIS\n",
        "conftest.py": `
          import pytest

          @pytest.fixture(autouse=True)
          def add_answer(doctest_namespace):
              doctest_namespace["answer"] = 42
        `,
        "pkg/__init__.py": "",
        "pkg/mod.py": `
          def numbers():
              """
              >>> numbers()
              [1,   2,
               3]
              >>> answer
              42
              """
              return [1, 2, 3]

          def skipped():
              """
              >>> skipped()  # doctest: +SKIP
              'never'
              """
        `,
        "README.md": "# Demo\n\n```python\n>>> 1 + 1\n2\n>>> answer + 0\n42\n```\n",
        "docs/guide.rst": "Guide\n=====\n\n>>> [1, 2,\n...  3]\n[1, 2, 3]\n>>> print('alpha\\nbeta')\nalpha\ngamma\n",
      },
      ["-v", "--doctest-modules", "--doctest-glob=*.rst", "--doctest-glob=README.md", "--doctest-report", "ndiff"],
    );
  });

  it.each(["udiff", "cdiff", "only_first_failure", "none"])("--doctest-report %s on a text file with two failing examples", (style) => {
    expectSameReport(
      { "docs/guide.txt": ">>> print('a\\nb\\nc')\na\nx\nc\n>>> 1 + 1\n3\n" },
      ["-q", "--doctest-glob=*.txt", `--doctest-report=${style}`, "--doctest-continue-on-failure"],
    );
  });
});
