#!/usr/bin/env bash
# What CI runs after the tests (.ci/run): the bundle, the .deb, and their checks, each step timed.
#   installer/ci.sh        (root: check_deb.sh installs and removes the package)
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1
timed() {
  local start=$SECONDS
  "$@"
  echo "-- $1: $((SECONDS - start)) s"
}
timed .venv/bin/pip install -q -e '.[package]'
timed installer/build_linux.sh
timed installer/build_deb.sh
timed installer/check_deb.sh
echo "-- packaging total: ${SECONDS} s"
