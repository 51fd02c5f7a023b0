#!/usr/bin/env bash
# Builds the CPython-WASI engine's artifacts from Debian packages only:
#   build/wasi/python.wasm     CPython 3.11 for wasm32-wasi, linked as a reactor, zlib built in
#   build/wasi/python311.zip   the pruned standard library (.py + unchecked-hash .pyc)
#   build/wasi/manifest.json   versions, exports, sizes and checksums
# Run it with `npm run build:wasi`. It installs its tools with apt-get when
# they are missing (needs root), and keeps the result in a per-machine cache
# keyed by this script's contents, so a second run takes a second or two.
# Environment: FASTEST_WASI_CACHE (cache root), FASTEST_WASI_OUT (output dir),
# FASTEST_WASI_JOBS (make -j, default: number of cores).
set -euo pipefail
# (the whole script is one block: bash reads it before running, so editing the
# file during a build cannot derail that build)
{

PY_VERSION=3.11.2
PY_DEB_VERSION=3.11.2-6+deb12u8   # the newest bookworm .dsc (deb12u9) was missing from the mirror
ZLIB_DEB_VERSION=1:1.2.13.dfsg-1
LLVM=16
STACK_SIZE=4194304   # 4 MiB; the snapshot does not store the untouched part
# The linear memory is imported (env.memory), so the runtime can give it a
# maximum (--max-memory); its initial size is pinned so the runtime knows it
# (runtime.ts INITIAL_MEMORY_BYTES: keep the two equal).
INITIAL_MEMORY=16777216   # 16 MiB
# PyErr_SetInterruptEx: the runtime raises KeyboardInterrupt through it (Ctrl-C, timeouts) from inside a system call.
EXPORTS=(Py_InitializeEx Py_FinalizeEx Py_IsInitialized PyRun_SimpleString PyErr_Print PyErr_SetInterruptEx malloc free __stack_pointer)
APT_PACKAGES=(clang-$LLVM lld-$LLVM llvm-$LLVM wasi-libc libclang-rt-$LLVM-dev-wasm32 dpkg-dev bzip2 xz-utils make gcc libc6-dev python3)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
out="${FASTEST_WASI_OUT:-$repo/build/wasi}"
jobs="${FASTEST_WASI_JOBS:-$(nproc)}"
key="$(cat "$here/build.sh" "$here/stdlib-zip.py" | sha256sum | cut -c1-16)"
cache_root="${FASTEST_WASI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fastest-wasi}"
cache="$cache_root/$key"
started=$SECONDS

log() { printf 'build:wasi [%3ds] %s\n' $((SECONDS - started)) "$*" >&2; }

publish() {
  mkdir -p "$out"
  cp "$cache/out/python.wasm" "$cache/out/python311.zip" "$cache/out/manifest.json" "$out/"
  log "artifacts in $out (cache $cache)"
}

if [ -f "$cache/out/manifest.json" ]; then
  log "cached build $key"
  publish
  exit 0
fi

# One build per key at a time: a second run waits, then finds the first's result.
mkdir -p "$cache_root"
exec 9>"$cache_root/$key.lock"
flock 9
if [ -f "$cache/out/manifest.json" ]; then
  log "cached build $key (built meanwhile)"
  publish
  exit 0
fi

# --- tools -----------------------------------------------------------------
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "build:wasi needs these Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})" >&2
    exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

work="$cache/work"
rm -rf "$work" "$cache/out"
mkdir -p "$work" "$cache/out"

# --- sources: Debian's source packages, through a private deb-src list -----
log "fetching sources python3.11=$PY_DEB_VERSION zlib=$ZLIB_DEB_VERSION"
aptdir="$work/apt"
mkdir -p "$aptdir/lists/partial" "$aptdir/sources"
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] && sed 's/^Types:.*$/Types: deb-src/' "$f" >"$aptdir/sources/$(basename "$f")"
done
if [ -f /etc/apt/sources.list ]; then
  sed -n 's/^deb \(.*\)$/deb-src \1/p' /etc/apt/sources.list >"$aptdir/sources/main.list"
fi
apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$aptdir/sources"
  -o "Dir::State::Lists=$aptdir/lists" -o "APT::Sandbox::User=root")
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq \
  "python3.11=$PY_DEB_VERSION" "zlib=$ZLIB_DEB_VERSION" >/dev/null)
(cd "$work" && dpkg-source --no-check -x --skip-patches python3.11_*.dsc python-src >/dev/null \
  && dpkg-source --no-check -x --skip-patches zlib_*.dsc zlib-src >/dev/null)
src="$work/python-src"
# The build date would end up in sys.version: use the release's, so the same
# sources give the same bytes.
sed -i '1i #define DATE "Feb  8 2023"\n#define TIME "00:00:00"' "$src/Modules/getbuildinfo.c"

# A private sysroot: only wasi-libc, so no host header (/usr/include) leaks in.
sysroot="$work/sysroot"
mkdir -p "$sysroot/include" "$sysroot/lib"
ln -s /usr/include/wasm32-wasi "$sysroot/include/wasm32-wasi"
ln -s /usr/lib/wasm32-wasi "$sysroot/lib/wasm32-wasi"
wasm_cc="clang-$LLVM --target=wasm32-wasi --sysroot=$sysroot"
prefix_map="-ffile-prefix-map=$work=/build"

# --- zlib for wasm32 ---------------------------------------------------------
log "zlib for wasm32"
zlib="$work/zlib"
mkdir -p "$zlib/include" "$zlib/lib" "$zlib/obj"
for c in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate inftrees trees uncompr zutil; do
  $wasm_cc -O2 -w $prefix_map -DZ_HAVE_UNISTD_H -c "$work/zlib-src/$c.c" -o "$zlib/obj/$c.o"
done
llvm-ar-$LLVM rcs "$zlib/lib/libz.a" "$zlib/obj"/*.o
cp "$work/zlib-src/zlib.h" "$work/zlib-src/zconf.h" "$zlib/include/"

# --- the build Python: Debian's own python3.11 when it is the same release ---
build_python=""
# (/usr/bin explicitly: a pyenv shim or a venv earlier in PATH may be another release)
if [ -x /usr/bin/python3.11 ] && /usr/bin/python3.11 -c "import sys; sys.exit(sys.version_info[:3] != (3, 11, 2))"; then
  build_python=/usr/bin/python3.11
  log "build Python: $build_python (same release)"
else
  log "native build of CPython $PY_VERSION (the build Python)"
  mkdir -p "$work/native"
  (cd "$work/native" && "$src/configure" -C --prefix="$work/native-prefix" >/dev/null && make -j"$jobs" -s >/dev/null 2>&1)
  build_python="$work/native/python"
fi

# --- the cross build ---------------------------------------------------------
log "configuring CPython $PY_VERSION for wasm32-wasi"
cross="$work/cross"
mkdir -p "$cross"
(cd "$cross" && CONFIG_SITE="$src/Tools/wasm/config.site-wasm32-wasi" \
  CC="$wasm_cc" CPP="$wasm_cc -E" CXX="clang++-$LLVM --target=wasm32-wasi --sysroot=$sysroot" \
  AR="llvm-ar-$LLVM" RANLIB="llvm-ranlib-$LLVM" \
  CFLAGS="-Wno-error=int-conversion $prefix_map" \
  PKG_CONFIG_LIBDIR=/nonexistent \
  ZLIB_CFLAGS="-I$zlib/include" ZLIB_LIBS="-L$zlib/lib -lz" \
  ../python-src/configure -C --host=wasm32-unknown-wasi --build="$("$src/config.guess")" \
    --with-build-python="$build_python" --disable-test-modules >"$cross/configure.log" 2>&1) \
  || { tail -40 "$cross/configure.log" >&2; exit 1; }

log "compiling (make -j$jobs)"
(cd "$cross" && make -j"$jobs" >"$cross/make.log" 2>&1) || { tail -60 "$cross/make.log" >&2; exit 1; }

# Relink as a reactor: `_initialize` instead of `_start`, the entry points
# the runtime calls exported, the memory imported (and exported again, for the shim).
log "linking the reactor"
linkforshared="$(sed -n 's/^LINKFORSHARED=[[:space:]]*//p' "$cross/Makefile")"
export_flags=""
for e in "${EXPORTS[@]}"; do export_flags+=" -Wl,--export=$e"; done
rm -f "$cross/python.wasm"
(cd "$cross" && make python.wasm \
  LINKFORSHARED="$linkforshared -mexec-model=reactor -z stack-size=$STACK_SIZE -Wl,--import-memory -Wl,--export-memory -Wl,--initial-memory=$INITIAL_MEMORY $export_flags" \
  >>"$cross/make.log" 2>&1) || { tail -30 "$cross/make.log" >&2; exit 1; }
grep -q 'zlib' "$cross/Modules/config.c" || { echo "build:wasi: zlib was not built into python.wasm (see $cross/configure.log)" >&2; exit 1; }
llvm-strip-$LLVM --strip-debug -o "$cache/out/python.wasm" "$cross/python.wasm" 2>/dev/null \
  || cp "$cross/python.wasm" "$cache/out/python.wasm"

# --- the pruned standard library --------------------------------------------
log "standard library archive"
sysconfigdata="$(find "$cross/build" -name '_sysconfigdata_*.py' | head -1)"
# It records the build's folders: name them as the compiler flags do (and
# format it again, as its line breaks depend on the lengths of those paths).
"$build_python" - "$sysconfigdata" "$work" <<'PY'
import pprint, sys
path, work = sys.argv[1:]
namespace = {}
exec(open(path).read(), namespace)
build_vars = {k: v.replace(work, "/build") if isinstance(v, str) else v for k, v in namespace["build_time_vars"].items()}
with open(path, "w") as f:
    f.write("# system configuration generated and used by the sysconfig module\n")
    f.write("build_time_vars = " + pprint.pformat(build_vars) + "\n")
PY
"$build_python" "$here/stdlib-zip.py" "$src/Lib" "$sysconfigdata" "$cache/out/python311.zip"

# --- manifest -----------------------------------------------------------------
"$build_python" - "$cache/out" "$key" "$PY_VERSION" "$PY_DEB_VERSION" "$ZLIB_DEB_VERSION" "$STACK_SIZE" "$INITIAL_MEMORY" "${EXPORTS[@]}" <<'PY'
import hashlib, json, os, sys
out, key, py, pydeb, zdeb, stack, initial, *exports = sys.argv[1:]
files = {}
for name in ("python.wasm", "python311.zip"):
    data = open(os.path.join(out, name), "rb").read()
    files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
manifest = {"key": key, "python": py, "debianPython": pydeb, "debianZlib": zdeb,
            "stackSize": int(stack), "initialMemory": int(initial), "exports": exports, "files": files}
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
PY

rm -rf "$work"
# Builds of other versions of this script are of no further use; one that
# another run is building right now (its lock is held) is left alone.
for old in "$cache_root"/*/; do
  other="$(basename "$old")"
  [ "$other" = "$key" ] && continue
  (flock -n 8 && rm -rf "$old" "$cache_root/$other.lock") 8>>"$cache_root/$other.lock" || true
done
log "done"
publish
exit 0
}
