/**
 * A small static file server over the built site (`dist/web/`), so browser
 * tests load the pages exactly as a static host would serve them, with or
 * without the cross-origin isolation headers that enable SharedArrayBuffer.
 */
import { existsSync, createReadStream, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { repoRoot } from "../../helpers/run-cli.js";

/**
 * The built site: where `npm run build:web` writes it, or `FASTEST_WEB_DIR`
 * (a copy built elsewhere, e.g. with `npx vite build --outDir /tmp/site`, so
 * a rebuild of dist/web cannot pull files away from a running test).
 */
export const siteDir = process.env["FASTEST_WEB_DIR"] ? path.resolve(process.env["FASTEST_WEB_DIR"]) : path.join(repoRoot, "dist", "web");

const mimeTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".zip": "application/zip",
  ".whl": "application/zip",
  ".tar": "application/x-tar",
  ".gz": "application/gzip",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".py": "text/plain; charset=utf-8",
  ".data": "application/octet-stream",
  ".bin": "application/octet-stream",
};

/** The headers that make a page cross-origin isolated (`crossOriginIsolated === true`). */
export const isolationHeaders: Record<string, string> = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export interface StaticServerOptions {
  /** Folder to serve (default: the built site, `dist/web/`). */
  root?: string;
  /** Send COOP/COEP/CORP headers so the page is cross-origin isolated. */
  isolated: boolean;
}

export interface StaticServer {
  /** Base URL ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  url: string;
  /** Paths requested so far (for tests that check what a page loaded). */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serve `root` on a free port of 127.0.0.1. Fails when the built site is
 * missing instead of letting browser tests skip: `npm test` builds first, and
 * a test run without the site should say so.
 */
export async function startStaticServer(options: StaticServerOptions): Promise<StaticServer> {
  const root = path.resolve(options.root ?? siteDir);
  if (!existsSync(path.join(root, "index.html"))) {
    throw new Error(`${path.join(root, "index.html")} is missing: build the site first (\`npm run build\` or \`npm run build:web\`).`);
  }
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
    requests.push(pathname);
    const extraHeaders = options.isolated ? isolationHeaders : {};
    const file = resolveFile(root, pathname);
    if (!file || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(file ? 405 : 404, { "Content-Type": "text/plain; charset=utf-8", ...extraHeaders });
      response.end(file ? "method not allowed" : "not found");
      return;
    }
    // As `vite preview` (and most static hosts) do: the browser revalidates
    // each file and gets a 304 when it has not changed, so a second visit
    // uses its HTTP cache (and Chromium's cache of compiled WebAssembly).
    const { size, mtime } = statSync(file);
    const etag = `W/"${size.toString(16)}-${mtime.getTime().toString(16)}"`;
    const caching = { "Cache-Control": "no-cache", ETag: etag, "Last-Modified": mtime.toUTCString() };
    if (request.headers["if-none-match"] === etag) {
      response.writeHead(304, { ...caching, ...extraHeaders });
      response.end();
      return;
    }
    response.writeHead(200, {
      "Content-Type": mimeTypes[path.extname(file).toLowerCase()] ?? "application/octet-stream",
      "Content-Length": String(size),
      ...caching,
      ...extraHeaders,
    });
    if (request.method === "HEAD") response.end();
    else createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The file a URL path names inside `root`, `index.html` for folders; null when missing or outside `root`. */
function resolveFile(root: string, pathname: string): string | null {
  if (pathname.includes("\0")) return null;
  let file = path.resolve(root, `.${pathname}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
  return existsSync(file) && statSync(file).isFile() ? file : null;
}
