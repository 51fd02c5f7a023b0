import { describe, expect, it } from "vitest";
import { cwdRelativeNodeid, relativePath } from "./paths.js";

describe("paths", () => {
  it("computes POSIX relative paths", () => {
    expect(relativePath("/a/b", "/a/b/c/d.py")).toBe("c/d.py");
    expect(relativePath("/a/b/x", "/a/b/c.py")).toBe("../c.py");
    expect(relativePath("/a", "/a")).toBe(".");
  });

  it("shows node ids relative to the invocation folder, like pytest", () => {
    expect(cwdRelativeNodeid("sub/test_ok.py::test_f", "/tmp/relp/proj", "/tmp/relp")).toBe("proj/sub/test_ok.py::test_f");
    expect(cwdRelativeNodeid("sub/test_ok.py::test_f", "/tmp/relp/proj", "/tmp/relp/proj")).toBe("sub/test_ok.py::test_f");
    expect(cwdRelativeNodeid("sub/test_ok.py", "/r", "/r/sub")).toBe("test_ok.py");
  });
});
