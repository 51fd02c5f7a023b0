#!/usr/bin/env node
// The `fastest` command. The TypeScript sources compile to dist/ (npm ci runs
// the build through the `prepare` script).
import { existsSync } from "node:fs";

const entry = new URL("../../dist/node-host/cli.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("fastest is not built yet: run `npm run build` in its folder first.\n");
  process.exit(4);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
