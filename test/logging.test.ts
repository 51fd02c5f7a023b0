/**
 * Log capture and live logging end to end, against real pytest on the same
 * files: `log_level` / `log_format` / `log_date_format` in the "Captured log"
 * sections and in `caplog`, and `log_cli` (the "live log <phase>" sections,
 * which turn the test loop verbose) from the ini file, `-o` and `--log-*`.
 */
import { describe, expect, it } from "vitest";
import { expectSameReport } from "./helpers/compare.js";
import { inlineFiles } from "./helpers/inline-files.js";
import { runCli, runPytest } from "./helpers/run-cli.js";

const tests = `
  import logging
  import pytest

  log = logging.getLogger("app")

  @pytest.fixture
  def resource():
      log.warning("opening")
      yield
      log.info("closing")

  def test_uses_resource(resource):
      log.info("hello %s", 1)
      log.debug("details")

  def test_fails():
      log.warning("about to fail")
      log.info("info line")
      assert 0

  def test_quiet():
      pass

  def test_caplog_sees_the_level(caplog, request):
      log.debug("debug record")
      level = request.config.getini("log_level") or request.config.getoption("log_level")
      expected = ["debug record"] if level == "DEBUG" else []
      assert [r.getMessage() for r in caplog.records] == expected
`;

describe("log capture options", () => {
  it("log_level and log_format from the ini file shape the Captured log sections", () => {
    expectSameReport(
      { "pytest.ini": "[pytest]\nlog_level = DEBUG\nlog_format = %(levelname)s [%(name)s] %(message)s\n", "test_logs.py": tests },
      ["-q"],
    );
  });

  it("--log-level, --log-format and --log-date-format on the command line", () => {
    expectSameReport({ "test_logs.py": tests }, ["-q", "--log-level=INFO", "--log-format=%(asctime)s %(levelname)s %(message)s", "--log-date-format=%Y"]);
  });

  it.each([["--log-level=loud"], ["-o", "log_cli_level=chatty"]])("a level that is no level name stops the run as in pytest (%s)", (...args) => {
    const dir = inlineFiles({ "test_logs.py": tests });
    const ours = runCli(args, dir);
    const theirs = runPytest(args, dir);
    expect(ours.status).toBe(4);
    expect(ours.status).toBe(theirs.status);
    expect(ours.stderr.trim()).toBe(theirs.stderr.trim());
  });

  it("without options: WARNING and above, pytest's default format", () => {
    expectSameReport({ "test_logs.py": tests }, ["-q"]);
  });
});

describe("live logging", () => {
  it("log_cli in the ini file shows each phase's records under 'live log' rules, -v style", () => {
    expectSameReport({ "pytest.ini": "[pytest]\nlog_cli = true\nlog_cli_level = INFO\n", "test_logs.py": tests }, []);
  });

  it("-o log_cli=true under -q keeps the test loop verbose, as pytest does", () => {
    expectSameReport({ "test_logs.py": tests }, ["-q", "-o", "log_cli=true"]);
  });

  it("--log-cli-level turns live logging on, with its own format", () => {
    expectSameReport({ "test_logs.py": tests }, ["-v", "--log-cli-level=DEBUG", "-o", "log_cli_format=%(levelname)s %(message)s"]);
  });

  it("keeps each test's live log with that test when two workers run them", () => {
    const many = Object.fromEntries(
      [1, 2, 3].map((n) => [`test_w${n}.py`, `import logging\n\ndef test_one():\n    logging.getLogger("w${n}").warning("from ${n}")\n\ndef test_two():\n    pass\n`]),
    );
    expectSameReport(many, ["-o", "log_cli=true"], 2);
  });
});
