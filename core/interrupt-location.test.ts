import { describe, expect, it } from "vitest";
import { keyboardInterruptLocation } from "./interrupt-location.js";

const harness = "/lib/fastest";

describe("keyboardInterruptLocation", () => {
  it("names the innermost frame outside the harness", () => {
    const traceback = [
      "Traceback (most recent call last):",
      '  File "/lib/fastest/fastest_harness/runner.py", line 120, in phase',
      "    self._call(item)",
      '  File "/p/tests/test_a.py", line 9, in test_sleeps',
      "    time.sleep(60)",
      '  File "/p/tests/helpers.py", line 3, in wait',
      "    pass",
      '  File "/lib/python314.zip/pyodide/webloop.py", line 1145, in sleep',
      "    wait()",
      '  File "/lib/fastest/fastest_harness/sigint.py", line 31, in handler',
      "    raise KeyboardInterrupt",
      "KeyboardInterrupt",
      "",
    ].join("\n");
    expect(keyboardInterruptLocation(traceback, harness)).toBe("/p/tests/helpers.py:3");
  });

  it("takes the last of chained tracebacks", () => {
    const traceback = [
      "Traceback (most recent call last):",
      '  File "/p/test_a.py", line 4, in test_a',
      "    1 / 0",
      "ZeroDivisionError: division by zero",
      "",
      "During handling of the above exception, another exception occurred:",
      "",
      "Traceback (most recent call last):",
      '  File "/p/test_a.py", line 6, in test_a',
      "    time.sleep(9)",
      "KeyboardInterrupt",
    ].join("\n");
    expect(keyboardInterruptLocation(traceback, harness)).toBe("/p/test_a.py:6");
  });

  it("has none for other exceptions, harness-only tracebacks and plain messages", () => {
    expect(keyboardInterruptLocation('Traceback (most recent call last):\n  File "/p/t.py", line 2, in f\nValueError: x\n', harness)).toBeUndefined();
    expect(keyboardInterruptLocation('Traceback (most recent call last):\n  File "/lib/fastest/fastest_harness/api.py", line 5, in run\nKeyboardInterrupt\n', harness)).toBeUndefined();
    expect(keyboardInterruptLocation("KeyboardInterrupt (the worker's Python made no system call, so it was stopped)", harness)).toBeUndefined();
    expect(keyboardInterruptLocation('Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nKeyboardInterrupt', harness)).toBeUndefined();
  });
});
