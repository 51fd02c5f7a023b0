/**
 * `npm run build:node && node dist/bench/wasi-runtime.js [rounds]`: the
 * CPython-WASI runtime's own figures (wasm-python/wasi/runtime.ts), on the
 * artifacts of `npm run build:wasi`: compile, cold boot with the standard
 * library as a zip or unpacked into the tree, snapshot size, restore and
 * first-line latency, memory per instance.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inflateRawSync } from "node:zlib";
import { type WasiArtifacts, WasiPython } from "../wasm-python/wasi/runtime.js";
import { encodeSnapshot } from "../wasm-python/wasi/snapshot-codec.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const buildDir = path.join(root, "build", "wasi");
const rounds = Number(process.argv[2] ?? 20);
// Roughly what the harness imports: the warm-up the snapshot is taken after.
const WARMUP = "import json, re, os, sys, random, collections, dataclasses, inspect, ast, traceback, unittest, pathlib, tempfile, io, warnings, fnmatch, argparse, enum, types, contextlib";

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(1)} MiB`;

/** The members of a zip archive (stored or deflated), by name. */
function unzip(zip: Uint8Array): Map<string, Uint8Array> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.byteLength - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = zip.subarray(dataStart, dataStart + size);
    out.set(name, method === 0 ? raw : new Uint8Array(inflateRawSync(raw)));
    at += 46 + nameLength + extra;
  }
  return out;
}

function bootTimes(artifacts: WasiArtifacts, unpacked: Array<[string, Uint8Array]> | undefined): { boot: number; warm: number } {
  const started = performance.now();
  const python = unpacked
    ? WasiPython.boot({ ...artifacts, stdlib: new Uint8Array() }, { files: unpacked })
    : WasiPython.boot(artifacts);
  const booted = performance.now();
  if (python.run(WARMUP) !== 0) throw new Error("warm-up failed");
  return { boot: booted - started, warm: performance.now() - booted };
}

/** The archive's members at the places a plain stdlib folder has them: .py in /lib/python3.11, .pyc in __pycache__. */
function unpackedStdlib(zip: Uint8Array): Array<[string, Uint8Array]> {
  return [...unzip(zip)].map(([name, data]) => {
    if (!name.endsWith(".pyc")) return [`/lib/python3.11/${name}`, data];
    const dir = path.posix.dirname(name);
    const file = `__pycache__/${path.posix.basename(name, ".pyc")}.cpython-311.pyc`;
    return [dir === "." ? `/lib/python3.11/${file}` : `/lib/python3.11/${dir}/${file}`, data];
  });
}

function main(): void {
  const wasmBytes = readFileSync(path.join(buildDir, "python.wasm"));
  const stdlib = new Uint8Array(readFileSync(path.join(buildDir, "python311.zip")));
  const compileStarted = performance.now();
  const module = new WebAssembly.Module(wasmBytes);
  const compile = performance.now() - compileStarted;
  const artifacts: WasiArtifacts = { module, stdlib, buildId: "bench" };
  console.log(`python.wasm ${mib(wasmBytes.byteLength)}, python311.zip ${mib(stdlib.byteLength)}; compile ${ms(compile)}`);

  const zipBoots = Array.from({ length: 3 }, () => bootTimes(artifacts, undefined));
  const unpacked = unpackedStdlib(stdlib);
  const dirBoots = Array.from({ length: 3 }, () => bootTimes(artifacts, unpacked));
  for (const [label, boots] of [["zip", zipBoots], ["unpacked into the tree", dirBoots]] as const) {
    console.log(
      `cold boot, stdlib ${label}: boot ${ms(median(boots.map((b) => b.boot)))}, then the warm-up imports ${ms(median(boots.map((b) => b.warm)))}`,
    );
  }

  const python = WasiPython.boot(artifacts);
  python.run(WARMUP);
  const snapStarted = performance.now();
  const snapshot = python.snapshot();
  const snapTime = performance.now() - snapStarted;
  const encoded = encodeSnapshot(snapshot);
  console.log(
    `snapshot: ${ms(snapTime)} to take; memory ${mib(snapshot.memory.byteLength)}, stored ${mib(snapshot.memory.data.byteLength)} in ${snapshot.memory.runs.length / 2} runs; encoded ${mib(encoded.byteLength)}`,
  );

  const restores: number[] = [];
  const firstLines: number[] = [];
  const kept: WasiPython[] = [];
  const rssBefore = process.memoryUsage().rss;
  for (let i = 0; i < rounds; i++) {
    let firstLine = 0;
    const started = performance.now();
    const restored = WasiPython.restore(artifacts, snapshot, {
      stdout: () => {
        firstLine ||= performance.now();
      },
    });
    restores.push(performance.now() - started);
    restored.run("print('ready')");
    firstLines.push(firstLine - started);
    kept.push(restored);
  }
  const rssPer = (process.memoryUsage().rss - rssBefore) / rounds;
  console.log(
    `restore (${rounds} rounds): median ${ms(median(restores))}, min ${ms(Math.min(...restores))}; first line of Python after restore starts: median ${ms(median(firstLines))}, min ${ms(Math.min(...firstLines))}`,
  );
  console.log(`memory per instance: linear memory ${mib(kept[0]!.memoryBytes)}; process RSS grew ${mib(rssPer)} per live instance`);
}

main();
