/**
 * Conftest hooks and the plugin API subset suites use: each tree runs under
 * the sandboxed CLI and under real pytest 9, and the reports (or the hook
 * call logs the conftests print) must agree.
 */
import { describe, expect, it } from "vitest";
import { expectSameReport, normalize } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

/** A conftest that uses most hooks, a plugin module it names, and tests. */
const hookHeavy = {
  "conftest.py": `
    import pytest
    pytest_plugins = ["plug.myplugin"]

    def pytest_addoption(parser):
        parser.addoption("--flavor", default="plain")
        parser.addini("myini", "an ini option", default="dflt")

    def pytest_configure(config):
        config.addinivalue_line("markers", "slow: slow tests")

    def pytest_report_header(config):
        return ["flavor: " + config.getoption("--flavor"), "myini: " + config.getini("myini")]

    def pytest_generate_tests(metafunc):
        if "gen" in metafunc.fixturenames:
            metafunc.parametrize("gen", [1, 2], ids=["g1", "g2"])

    def pytest_collection_modifyitems(session, config, items):
        keep = [it for it in items if "drop" not in it.name]
        config.hook.pytest_deselected(items=[it for it in items if "drop" in it.name])
        keep.sort(key=lambda it: it.name, reverse=True)
        for it in keep:
            if it.name.startswith("test_b"):
                it.add_marker(pytest.mark.slow)
        items[:] = keep

    def pytest_runtest_setup(item):
        if item.get_closest_marker("slow") and item.config.getoption("flavor") == "fast":
            pytest.skip("slow test in a fast run")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        rep = outcome.get_result()
        setattr(item, "rep_" + rep.when, rep)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(item):
        item.user_properties.append(("called", item.name))
        return (yield)

    def pytest_terminal_summary(terminalreporter, exitstatus, config):
        stats = terminalreporter.stats
        terminalreporter.write_sep("-", "hook summary")
        terminalreporter.write_line(
            f"exit={int(exitstatus)} passed={len(stats.get('passed', []))} failed={len(stats.get('failed', []))} "
            f"skipped={len(stats.get('skipped', []))} deselected={len(stats.get('deselected', []))}")
        for rep in stats.get("failed", []):
            terminalreporter.write_line("failed: " + rep.nodeid)

    @pytest.fixture
    def reports(request):
        yield
        # The makereport wrapper stored the call report on the item.
        assert request.node.rep_call.passed

    @pytest.fixture
    def ini_value(request):
        return request.config.getini("myini")
  `,
  "plug/__init__.py": "",
  "plug/myplugin.py": `
    import pytest

    @pytest.fixture
    def plugfix():
        return 42
  `,
  "test_a.py": `
    def test_a(gen, plugfix, reports):
        assert plugfix == 42

    def test_b_slow(request, ini_value):
        assert request.config.getoption("flavor") in ("plain", "fast")
        assert ini_value == "dflt"

    def test_drop_me():
        pass

    def test_c_fail():
        assert 0
  `,
  "sub/test_s.py": `
    def test_s(request):
        assert [m.name for m in request.node.iter_markers()] == []
  `,
};

/** Prints each hook call, for comparing the order and arguments with pytest's (run with -s). */
const callLog = {
  "conftest.py": `
    import pytest

    def log(*parts):
        print("HOOK", *parts)

    def pytest_runtest_setup(item):
        log("setup", item.nodeid, sorted(m.name for m in item.iter_markers()))

    def pytest_runtest_teardown(item, nextitem):
        log("teardown", item.name, nextitem.name if nextitem else None)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_call(item):
        log("call first", item.name, item.path.name, item.fspath.basename, "test_x" in item.keywords)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(item, call):
        outcome = yield
        rep = outcome.get_result()
        log("report", rep.nodeid, rep.when, rep.outcome, rep.failed, call.excinfo is not None)

    def pytest_runtest_logreport(report):
        log("logreport", report.when, report.outcome)

    def pytest_sessionfinish(session, exitstatus):
        log("sessionfinish", int(exitstatus))

    def pytest_runtest_logstart(nodeid, location):
        log("logstart", nodeid, location[0], location[2])

    def pytest_runtest_logfinish(nodeid, location):
        log("logfinish", nodeid)

    def pytest_itemcollected(item):
        if item.name == "test_y":
            item.add_marker(pytest.mark.skipif(False, reason="never"))

    def pytest_collection_finish(session):
        session.config.collected_count = len(session.items)
  `,
  "sub/conftest.py": `
    import pytest

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_call(item):
        print("HOOK call last (sub)", item.name)
  `,
  "test_x.py": `
    import pytest

    @pytest.mark.tagged
    def test_x():
        pass

    def test_y(request):
        assert request.config.collected_count == 3
        raise ValueError("no")
  `,
  "sub/test_z.py": "def test_z():\n    pass\n",
};

const hookLines = (stdout: string) => [...stdout.matchAll(/HOOK .*/g)].map((m) => m[0]);

describe("conftest hooks", () => {
  it("report header, parametrize, deselection, added markers, makereport wrappers and the terminal summary match pytest", () => {
    const ours = expectSameReport(hookHeavy, ["-rA", "--tb=short"]);
    expect(ours.stdout).toMatch(/^flavor: plain\nmyini: dflt\nrootdir: /m);
    expect(ours.stdout).toContain("collected 6 items / 1 deselected / 5 selected");
    expect(ours.stdout).toContain("exit=1 passed=4 failed=1 skipped=0 deselected=1");
  });

  it("sees options given on the command line and skips from pytest_runtest_setup, on two workers too", () => {
    expectSameReport(hookHeavy, ["-v", "--flavor", "fast", "--tb=no"]);
    expectSameReport(hookHeavy, ["-v", "--flavor", "fast", "--tb=no"], 2);
  });

  it("runs pytest's --runslow example: a conftest option, a marker registered in pytest_configure, skips added at collection", () => {
    const files = {
      "conftest.py": `
        import pytest

        def pytest_addoption(parser):
            parser.addoption("--runslow", action="store_true", default=False, help="run slow tests")
            parser.addoption("--level", type=int, default=1)

        def pytest_configure(config):
            config.addinivalue_line("markers", "slow: mark test as slow to run")

        def pytest_collection_modifyitems(config, items):
            if config.getoption("--runslow"):
                return
            skip_slow = pytest.mark.skip(reason="need --runslow option to run")
            for item in items:
                if "slow" in item.keywords:
                    item.add_marker(skip_slow)
      `,
      "test_s.py": `
        import pytest

        def test_fast(pytestconfig):
            assert pytestconfig.getoption("level") in (1, 3)

        @pytest.mark.slow
        def test_slow():
            pass
      `,
    };
    expect(expectSameReport(files, ["--strict-markers", "-rs"]).stdout).toContain("need --runslow option to run");
    expectSameReport(files, ["--strict-markers", "--runslow", "--level", "3", "-v"]);
  });

  it("keeps a reordering across files on two workers, each of which collected every file", () => {
    expectSameReport({
      "conftest.py": "def pytest_collection_modifyitems(items):\n    items.reverse()\n",
      "test_a.py": "def test_a1():\n    pass\n\ndef test_a2():\n    assert 0\n",
      "test_b.py": "def test_b1():\n    pass\n\ndef test_b2():\n    pass\n",
    }, ["-v", "--tb=short"], 2);
  });

  it("calls the runtest and report hooks in pytest's order, with its arguments", () => {
    const dir = inlineFiles(callLog);
    const ours = runCli(["-n", "1", "-s", "-p", "no:cacheprovider"], dir);
    const theirs = runPytest(["-s"], dir);
    expect(hookLines(ours.stdout)).toEqual(hookLines(theirs.stdout));
    expect(hookLines(ours.stdout)).toContain("HOOK call last (sub) test_z");
    expect(hookLines(ours.stdout)).toContain("HOOK sessionfinish 1");
  });
});

describe("collection hooks", () => {
  const ignoring = {
    "conftest.py": `
      def pytest_ignore_collect(collection_path, config):
          if collection_path.name == "test_dropped.py":
              return True
          return False  # overrides --ignore, norecursedirs, hidden folders and collect_ignore, as in pytest

      collect_ignore = ["test_listed.py"]
    `,
    "test_ok.py": "def test_ok():\n    pass\n",
    "test_dropped.py": "def test_dropped():\n    pass\n",
    "test_listed.py": "def test_listed():\n    pass\n",
    "build/test_build.py": "def test_build():\n    pass\n",
    ".hidden/test_hidden.py": "def test_hidden():\n    pass\n",
    "skipme/test_skipme.py": "def test_skipme():\n    pass\n",
    "notes.txt": "not a test\n",
  };

  it("pytest_ignore_collect returning False keeps what every ignore rule leaves out, True drops a file", () => {
    const ours = expectSameReport(ignoring, ["--co", "-q", "--ignore=skipme"]);
    expect(ours.stdout).toContain("build/test_build.py::test_build");
    expect(ours.stdout).toContain("skipme/test_skipme.py::test_skipme");
    expect(ours.stdout).not.toContain("test_dropped");
    expectSameReport(ignoring, ["-q", "--ignore=skipme"], 2);
  });

  it("pytest_collect_file makes custom items from non-Python files, with their repr_failure", () => {
    const ours = expectSameReport({
      "conftest.py": `
        import json
        import pytest

        def pytest_collect_file(parent, file_path):
            if file_path.suffix == ".json" and file_path.name.startswith("test"):
                return JsonFile.from_parent(parent, path=file_path)

        class JsonFile(pytest.File):
            def collect(self):
                for name, spec in sorted(json.loads(self.path.read_text()).items()):
                    yield JsonItem.from_parent(self, name=name, spec=spec)

        class JsonItem(pytest.Item):
            def __init__(self, *, spec, **kwargs):
                super().__init__(**kwargs)
                self.spec = spec

            def runtest(self):
                if self.spec["a"] + self.spec["b"] != self.spec["sum"]:
                    raise SumError()

            def repr_failure(self, excinfo):
                return f"usecase failed: {self.spec['a']} + {self.spec['b']} != {self.spec['sum']}"

            def reportinfo(self):
                return self.path, 0, f"usecase: {self.name}"

        class SumError(Exception):
            pass
      `,
      "test_data.json": JSON.stringify({ ok: { a: 1, b: 2, sum: 3 }, bad: { a: 1, b: 1, sum: 3 } }),
      "test_py.py": "def test_py():\n    pass\n",
    }, ["-v"]);
    expect(ours.stdout).toContain("test_data.json::bad FAILED");
    expect(ours.stdout).toContain("FAILED test_data.json::bad - usecase failed: 1 + 1 != 3");
  });

  it("pytest_plugins in a conftest below the rootdir is pytest's collection error", () => {
    expectSameReport({
      "sub/conftest.py": 'pytest_plugins = ["helper"]\n',
      "sub/test_s.py": "def test_s():\n    pass\n",
      "helper.py": "import pytest\n",
      "test_r.py": "def test_r():\n    pass\n",
    }, []);
  });

  it("a conftest with collection hooks makes --collect-only ask the interpreter", () => {
    const dir = inlineFiles({ ...ignoring, "conftest.py": "def pytest_collection_modifyitems(items):\n    items.reverse()\n" });
    const ours = runCli(["--co", "-q"], dir, { FASTEST_DEBUG_DISCOVERY: "1" });
    expect(ours.stderr).toMatch(/static discovery: not used \(.*defines pytest_collection_modifyitems\)/);
    expect(normalize(ours.stdout)).toBe(normalize(runPytest(["--co", "-q"], dir).stdout));
  });
});

describe("hooks fastest does not call", () => {
  it("are named on stderr, not ignored in silence, and leave the report as pytest's", () => {
    const files = {
      "conftest.py": "def pytest_collectreport(report):\n    pass\n",
      "test_a.py": "def test_a():\n    pass\n",
    };
    const ours = expectSameReport(files, []);
    expect(ours.stderr).toMatch(/^fastest: \S+conftest\.py defines pytest_collectreport, a hook fastest does not call/m);
  });
});
