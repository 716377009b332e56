#!/usr/bin/env bash
# Refresh the lock: resolve every environment CI builds against today's package index and write the
# exact versions to lock/*.txt (pip constraints files). Nothing is installed: pip resolves only.
#
#   bash .ci/lock.sh            # then run `bash .ci/run` and commit lock/ only if it passes
#
# pyproject.toml keeps compatible ranges for people who install nianbao as a library; the README's
# two commands and .ci/run install with `-c lock/main.txt` so the suite's verdict does not change
# with the day's index.
set -euo pipefail
cd "$(dirname "$0")/.."
resolve() {  # resolve EXTRAS OUT: the versions `pip install -e .[EXTRAS]` would install, nianbao left out
  local extras="$1" out="$2" report
  report="$(mktemp)"
  # (the filter drops the notes pip prints for index folders this machine lacks)
  python3 -m pip install --quiet --dry-run --ignore-installed --report "$report" -e ".[${extras}]" 2> >(grep -v "is ignored: it is neither" >&2)
  {
    echo "# pip constraints: the exact versions CI tested (extras: ${extras}); refresh with bash .ci/lock.sh"
    echo "# resolved $(date -u +%Y-%m-%d) for Python $(python3 -c 'import sys; print(*sys.version_info[:2], sep=".")')"
    python3 - "$report" <<'PY'
import json, sys
from packaging.utils import canonicalize_name
items = json.load(open(sys.argv[1]))["install"]
pins = sorted(
    (canonicalize_name(i["metadata"]["name"]), i["metadata"]["version"])
    for i in items
    if canonicalize_name(i["metadata"]["name"]) != "nianbao"
)
print("\n".join(f"{n}=={v}" for n, v in pins))
PY
  } >"$out"
  rm -f "$report"
  echo "$out: $(grep -vc '^#' "$out") packages"
}
resolve dev,samples lock/main.txt
# the native PaddleOCR engine gets an environment of its own (PaddleX pins opencv-contrib-python, numpy<2.4)
resolve dev,paddle lock/paddle.txt
# `--device cuda` without onnxruntime's CUDA provider (not installed by CI: no GPU there)
resolve gpu lock/gpu.txt
