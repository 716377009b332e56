#!/usr/bin/env bash
# The package as a user gets it: build the sdist and the wheel, install the WHEEL (not editable)
# into a fresh virtual environment, and from a folder outside the checkout check the one import
# name and run the command on two samples. A file missing from the package fails here.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python -m pip install --quiet -c "$REPO/lock/main.txt" build
python -m build --sdist --wheel --outdir "$WORK/dist" "$REPO" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
WHEEL="$(ls "$WORK"/dist/nianbao-*.whl)"
ls "$WORK"/dist/nianbao-*.tar.gz >/dev/null

# the wheel's top level holds only nianbao and its dist-info
top="$(python -c 'import sys, zipfile; print(" ".join(sorted({n.split("/")[0] for n in zipfile.ZipFile(sys.argv[1]).namelist()})))' "$WHEEL")"
case "$top" in
  "nianbao nianbao-"*".dist-info") echo "wheel top level: $top" ;;
  *) echo "wheel top level is not only nianbao: $top" >&2; exit 1 ;;
esac

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install --quiet --upgrade pip
"$WORK/venv/bin/python" -m pip install --quiet -c "$REPO/lock/main.txt" "$WHEEL"

mkdir "$WORK/elsewhere" && cd "$WORK/elsewhere"
PY="$WORK/venv/bin/python"
"$PY" - <<'PY'
import importlib

import nianbao

assert callable(nianbao.process) and callable(nianbao.open) and callable(nianbao.run_batch)
assert nianbao.Settings().ocr_dpi > 0
import importlib.resources as r

assert r.files("nianbao").joinpath("py.typed").is_file(), "py.typed is not shipped"
for name in ("pipeline", "checks", "extractors", "normalizers"):
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        continue
    raise SystemExit(f"`import {name}` works after installing the wheel: it must not be installed at top level")
print("imports ok: nianbao", nianbao.__version__)
PY
test "$("$WORK/venv/bin/nianbao" --version)" = "$("$PY" -m nianbao --version)"
"$WORK/venv/bin/nianbao" extract "$REPO/samples/seed_shape_2022.txt" "$REPO/samples/planted_errors.pdf" --out out --workers 2
"$PY" - <<'PY'
import nianbao

out = nianbao.open("out")
docs = out.documents
assert set(docs["status"]) <= {"ok", "partial"}, docs["status"]
assert len(out.disclosure) == 2 * 200, len(out.disclosure)
assert out.db.execute("SELECT count(*) FROM findings WHERE severity = 'error'").fetchone()[0] > 0
print("wheel run ok:", len(docs), "documents,", len(out.disclosure), "cells,", len(out.findings), "findings")
PY
