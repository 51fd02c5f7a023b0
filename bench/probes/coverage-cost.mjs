// What `--cov` costs inside the interpreter (docs/COVERAGE.md, "Cost"):
// 1. a loop-heavy function run unmeasured, measured, and measured with
//    branches (interleaved rounds, median);
// 2. the end-of-run analysis (statements, exclusions, branch arcs) of every
//    .py file under a folder, without and with branches.
//
//   node bench/probes/coverage-cost.mjs [folder to analyse] [rounds]
//
// Loads the harness's cov_measure.py and cov_analysis.py into a bare
// Pyodide, outside the sandbox: measurement only.
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const folder = path.resolve(process.argv[2] ?? path.join(repo, "examples", "coverage"));
const rounds = Number(process.argv[3] ?? 5);
const py = await loadPyodide();
py.setStdout({ batched: (line) => console.log(line) });
py.FS.mkdirTree("/probe/cov");
py.FS.writeFile("/probe/cov/__init__.py", "");
for (const name of ["cov_measure.py", "cov_analysis.py"]) {
  py.FS.writeFile(`/probe/cov/${name}`, readFileSync(path.join(repo, "wasm-python", "python", "fastest_harness", name)));
}
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (!stat) return [];
    return stat.isDirectory() ? walk(full) : full.endsWith(".py") ? [full] : [];
  });
const files = walk(folder);
for (const file of files) {
  py.FS.mkdirTree(path.posix.dirname(file));
  py.FS.writeFile(file, readFileSync(file));
}
py.globals.set("files", py.toPy(files));
py.globals.set("rounds", rounds);
await py.runPythonAsync(`
import statistics, sys, time
sys.path.insert(0, "/probe")
from cov import cov_analysis, cov_measure

source = '''
def work(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            total += i
        elif i % 3 == 1:
            total -= 1
        else:
            total ^= i
    return total

def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
'''
code = compile(source, "/probe/loop/mod.py", "exec")
times = {"unmeasured": [], "lines": [], "branches": []}
for _ in range(rounds):
    for mode in times:
        measurement = None
        if mode != "unmeasured":
            measurement = cov_measure.Measurement(["/probe/loop"], mode == "branches", "/probe", False)
            measurement.start()
        namespace = {}
        exec(code, namespace)
        started = time.perf_counter()
        namespace["work"](300_000)
        namespace["fib"](22)
        times[mode].append(time.perf_counter() - started)
        if measurement is not None:
            measurement.stop()
for mode, values in times.items():
    print(f"loop {mode}: median {statistics.median(values):.3f} s over {rounds} rounds")

lines = sum(open(f).read().count("\\n") for f in files)
for branch in (False, True):
    spent = []
    for _ in range(rounds):
        started = time.perf_counter()
        for f in files:
            cov_analysis.analyse(open(f).read(), f, branch)
        spent.append(time.perf_counter() - started)
        cov_analysis.clear_cache()
    print(f"analysis {'with' if branch else 'without'} branches: median {statistics.median(spent):.3f} s for {len(files)} files, {lines} lines")
`);
