#!/usr/bin/env bash
# Build the Linux one-folder bundle with installer/creditdesk.spec, hold it to the size budget and
# prove it works: the bundle's `creditdesk --self-test`, then `creditdesk-admin` on a throw-away
# embedded database (init, demo data, a signing key, a clerk, a report issued and verified, the
# audit check).
#
#   installer/build_linux.sh            # -> build/package/dist/creditdesk (build/ is git-ignored)
#
# Env: PYTHON (default .venv/bin/python, with '.[package]' installed), CREDITDESK_BUILD (output
# folder, default build/package), BUNDLE_BUDGET_MB (default below).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
OUT=${CREDITDESK_BUILD:-build/package}
# Size budget of the unpacked bundle. Measured 2026-11-28: 371-375 MB (PySide6 6.11.3, numpy 2.4,
# 54 MB of CJK fonts; 402 MB before stripping, 415 MB from the spec before pruning); about 12 %
# headroom. Over it, something new was pulled in (QtWebEngine alone is 200+ MB): find what with
# du -sh build/package/dist/creditdesk/_internal/* | sort -h  before raising it.
BUDGET_MB=${BUNDLE_BUDGET_MB:-420}

say() { printf '\n== %s\n' "$*"; }

say "PyInstaller bundle -> $OUT/dist/creditdesk"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$OUT/dist" --workpath "$OUT/work" installer/creditdesk.spec
echo "built in $(( $(date +%s) - start )) s"

BUNDLE="$OUT/dist/creditdesk"
# Strip symbol tables (libpython alone carries 17 MB of them) — but not from libraries auditwheel
# patched with patchelf (the wheels' *.libs folders, and the modules whose RUNPATH points there):
# stripped, those no longer load ("ELF load command address/offset not page-aligned").
stripped=0
while IFS= read -r -d '' so; do
  case "$so" in *.libs/*) continue ;; esac
  readelf -d "$so" 2>/dev/null | grep -qE 'R(UN)?PATH.*\.libs' && continue
  strip --strip-unneeded "$so" 2>/dev/null && stripped=$((stripped + 1))
done < <(find "$BUNDLE" -type f -name '*.so*' -print0)
echo "stripped $stripped shared libraries"
size_mb=$(( $(du -sb "$BUNDLE" | cut -f1) / 1000000 ))
echo "bundle size: ${size_mb} MB (budget ${BUDGET_MB} MB)"
if [ "$size_mb" -gt "$BUDGET_MB" ]; then
  echo "FAIL: the bundle is ${size_mb} MB, over its ${BUDGET_MB} MB budget; the largest parts:" >&2
  du -sh "$BUNDLE"/_internal/* | sort -h | tail -12 >&2
  exit 1
fi
# Qt modules nobody imports must not come back unnoticed.
for unwanted in QtNetwork QtSvg QtTest QtQml QtQuick QtWebEngineCore QtMultimediaWidgets; do
  if [ -e "$BUNDLE/_internal/PySide6/$unwanted.abi3.so" ]; then
    echo "FAIL: PySide6.$unwanted is in the bundle; the program does not import it" >&2
    exit 1
  fi
done

work=$(mktemp -d /tmp/creditdesk-bundle-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
export CREDITDESK_HOME="$work/home"  # never the builder's own data directory

# Its last check connects to the configured database: pointed at the PostgreSQL server when one
# answers (CI's), that proves the bundled psycopg/libpq too (a connection only; nothing is written).
PG_URL=${CREDITDESK_CHECK_PG_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  say "bundle: creditdesk --self-test (configured database: $PG_URL)"
  CREDITDESK_DB="$PG_URL" QT_QPA_PLATFORM=offscreen "$BUNDLE/creditdesk" --self-test
else
  say "bundle: creditdesk --self-test (no PostgreSQL server here: embedded database only)"
  QT_QPA_PLATFORM=offscreen "$BUNDLE/creditdesk" --self-test
fi

say "bundle: creditdesk-admin on a throw-away embedded database"
admin() { "$BUNDLE/creditdesk-admin" "$@"; }
export CREDITDESK_PASSWORD='bundle-check-admin'
admin --help >/dev/null
admin init --admin admin
admin --user admin profile use national-2025  # in force today, whatever the date (suzhou-2024 has ended)
admin --user admin demo --enterprises 30 --seed 3
admin --user admin keys init
NEW_PW='bundle-check-clerk' admin --user admin users add clerk1 --role 窗口人员 --password-env NEW_PW
uscc=$(CREDITDESK_PASSWORD='bundle-check-clerk' admin --user clerk1 lookup 有限公司 --limit 1 --json \
  | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)[0]["uscc"])')
admin uscc "$uscc"
payload=$(CREDITDESK_PASSWORD='bundle-check-clerk' admin --user clerk1 report issue --uscc "$uscc" \
  --purpose 融资 --out "$work/report.pdf" --json | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["qr_payload"])')
head -c 5 "$work/report.pdf" | grep -q '%PDF-' || { echo "FAIL: report.pdf is not a PDF" >&2; exit 1; }
admin verify "$payload"  # exit 0: valid, checked against the archive
admin --user admin audit verify
echo
echo "bundle OK: ${size_mb} MB, self-test and creditdesk-admin passed"
