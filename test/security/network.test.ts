import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bystanderOutcomes, bystanders, expectCompleteRun, failureText, hostCanary, runInSandbox, type SandboxRun } from "./sandbox-run.js";

const message = "network access is disabled in the fastest sandbox";

/**
 * A TCP server on the host, in its own process (the CLI runs synchronously
 * in this one): it writes `marker` when anything connects, so a test that
 * reached the network is seen from the host side.
 */
function listenOnHost(marker: string): Promise<{ server: ChildProcess; port: number }> {
  const code = `
    const net = require("node:net"), fs = require("node:fs");
    const server = net.createServer((socket) => { fs.writeFileSync(${JSON.stringify(marker)}, "connected"); socket.destroy(); });
    server.listen(0, "127.0.0.1", () => console.log(server.address().port));
  `;
  const server = spawn(process.execPath, ["-e", code], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    server.stdout!.once("data", (chunk: Buffer) => resolve({ server, port: Number(chunk.toString().trim()) }));
    server.once("error", reject);
  });
}

describe("network access fails with a clear message, and nothing reaches the host's network", () => {
  const host = hostCanary();
  const marker = host.marker("connected");
  let server: ChildProcess | undefined;
  let run: SandboxRun;

  beforeAll(async () => {
    const listening = await listenOnHost(marker);
    server = listening.server;
    const port = listening.port;
    run = runInSandbox({
      ...bystanders,
      "test_network.py": `
        import asyncio
        import pytest

        PORT = ${port}
        MESSAGE = ${JSON.stringify(message)}

        def test_plain_before():
            pass

        def test_socket_connect():
            import socket
            with pytest.raises(PermissionError, match=MESSAGE):
                socket.socket().connect(("127.0.0.1", PORT))

        def test_create_connection():
            import socket
            with pytest.raises(OSError, match=MESSAGE):
                socket.create_connection(("127.0.0.1", PORT), timeout=1)

        def test_listen_on_a_host_port():
            import socket
            with pytest.raises(OSError, match=MESSAGE):
                server = socket.socket()
                server.bind(("127.0.0.1", 0))
                server.listen()

        def test_raw_socket_below_the_socket_module():
            import _socket
            with pytest.raises(PermissionError):
                _socket.socket().connect(("127.0.0.1", PORT))

        def test_dns_lookup():
            import socket
            with pytest.raises(OSError, match=MESSAGE):
                socket.gethostbyname("example.com")
            with pytest.raises(OSError, match=MESSAGE):
                socket.getaddrinfo("example.com", 80)

        def test_urllib():
            import urllib.request
            with pytest.raises(OSError, match=MESSAGE):
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/", timeout=1)

        def test_http_client():
            import http.client
            with pytest.raises(OSError, match=MESSAGE):
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/")

        def test_asyncio_open_connection():
            with pytest.raises(OSError, match=MESSAGE):
                asyncio.run(asyncio.open_connection("127.0.0.1", PORT))

        def test_pyodide_pyfetch():
            from pyodide.http import pyfetch
            with pytest.raises(OSError, match=MESSAGE):
                asyncio.run(pyfetch(f"http://127.0.0.1:{PORT}/"))

        def test_pyodide_open_url():
            from pyodide.http import open_url
            with pytest.raises(OSError, match=MESSAGE):
                open_url(f"http://127.0.0.1:{PORT}/")

        def test_unhandled_shows_the_message():
            import urllib.request
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/")

        def test_plain_after():
            pass

        # Last: reloading undoes the clear messages (the refusal below Python stays) for later tests of this worker.
        def test_reloaded_socket_module():
            import importlib
            import socket
            fresh = importlib.reload(socket)
            with pytest.raises(PermissionError):
                fresh.socket().connect(("127.0.0.1", PORT))
      `,
    });
  }, 180_000);

  afterAll(() => {
    server?.kill();
  });

  it("fails each attempt inside the sandbox; the other tests keep their outcomes", () => {
    const expected: Record<string, string> = { ...bystanderOutcomes };
    for (const name of [
      "plain_before", "socket_connect", "create_connection", "listen_on_a_host_port", "raw_socket_below_the_socket_module",
      "reloaded_socket_module", "dns_lookup", "urllib", "http_client", "asyncio_open_connection", "pyodide_pyfetch",
      "pyodide_open_url", "plain_after",
    ]) {
      expected[`test_network.py::test_${name}`] = "passed";
    }
    expected["test_network.py::test_unhandled_shows_the_message"] = "failed";
    expectCompleteRun(run, expected);
  });

  it("tells the user why in the failure of a test that needed the network", () => {
    expect(failureText(run, "test_network.py::test_unhandled_shows_the_message")).toContain(message);
  });

  it("never connects to the host's network", () => {
    expect(existsSync(marker)).toBe(false);
  });
});
