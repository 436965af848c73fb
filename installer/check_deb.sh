#!/usr/bin/env bash
# Install the .deb on this machine (root; apt resolves its Depends), check what it put where, start
# the installed app under Xvfb with a fresh data directory and wait for its first-run window, run
# the installed `creditdesk --self-test` and `creditdesk-admin`, then remove the package again.
#
#   installer/check_deb.sh [build/package/creditdesk_<version>_amd64.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${CREDITDESK_BUILD:-build/package}
DEB=${1:-$(ls -t "$OUT"/creditdesk_*.deb | head -1)}
DEB=$(realpath "$DEB")
[ "$(id -u)" = 0 ] || { echo "check_deb.sh installs a package: run it as root" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

# Xvfb and xdotool to watch the window; the package's own Depends come with it below.
need=()
for pkg in xvfb xdotool xauth desktop-file-utils; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

installed() { dpkg-query -W -f='${Status}' creditdesk 2>/dev/null | grep -q 'ok installed'; }
if installed; then
  echo "creditdesk is already installed here; refusing to replace it" >&2
  exit 1
fi

work=$(mktemp -d /tmp/creditdesk-deb-check.XXXXXX)
app_pid= xvfb_pid=
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  if installed; then
    DEBIAN_FRONTEND=noninteractive dpkg --purge creditdesk >/dev/null && echo "removed creditdesk"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

say "install $(basename "$DEB") ($(( $(stat -c %s "$DEB") / 1000000 )) MB)"
dpkg-deb --info "$DEB" | sed -n '/Package:/,/Depends:/p'
# apt installs the Depends that are missing (on this CI machine: libxcb-icccm4, libxcb-keysyms1);
# no Recommends, to leave the machine as it was apart from those
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" >/dev/null
dpkg -s creditdesk | grep -E '^(Status|Version):'
for f in /usr/bin/creditdesk /usr/bin/creditdesk-admin /opt/creditdesk/creditdesk \
         /usr/share/applications/creditdesk.desktop /usr/share/icons/hicolor/256x256/apps/creditdesk.png; do
  [ -e "$f" ] || { echo "FAIL: the package did not install $f" >&2; exit 1; }
done
desktop-file-validate /usr/share/applications/creditdesk.desktop
grep -qx 'Name=信用报告窗口' /usr/share/applications/creditdesk.desktop
grep -qx 'Categories=Office;' /usr/share/applications/creditdesk.desktop
echo "files, desktop entry (Name=信用报告窗口, Categories=Office;) and icon in place"

export CREDITDESK_HOME="$work/home"  # a fresh installation's data directory

say "installed: creditdesk under Xvfb (fresh data directory: the first-run window must appear)"
Xvfb :77 -screen 0 1280x1024x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X77 ] && break; sleep 0.1; done
export DISPLAY=:77
(unset QT_QPA_PLATFORM; exec /usr/bin/creditdesk) >"$work/app.out" 2>&1 &
app_pid=$!
found=
for _ in $(seq 60); do  # up to 30 s on a busy machine
  if ! kill -0 "$app_pid" 2>/dev/null; then
    echo "FAIL: creditdesk exited before showing a window:" >&2; cat "$work/app.out" >&2; exit 1
  fi
  found=$(xdotool search --onlyvisible --pid "$app_pid" --name '首次使用' 2>/dev/null | head -1) && [ -n "$found" ] && break
  sleep 0.5
done
if [ -z "$found" ]; then
  echo "FAIL: no first-run window (首次使用 — 信用报告窗口) within 30 s; windows of the process:" >&2
  xdotool search --pid "$app_pid" getwindowname %@ >&2 || true
  cat "$work/app.out" >&2; exit 1
fi
title=$(xdotool getwindowname "$found")
eval "$(xdotool getwindowgeometry --shell "$found")"
echo "window ${found}: «${title}», ${WIDTH}x${HEIGHT}"
[ "$WIDTH" -ge 300 ] && [ "$HEIGHT" -ge 200 ] || { echo "FAIL: the window is too small to be the dialog" >&2; exit 1; }
sleep 2  # still alive, nothing logged, a moment after showing
kill -0 "$app_pid" || { echo "FAIL: creditdesk died after showing its window" >&2; cat "$work/app.out" >&2; exit 1; }
if grep -q Traceback "$work/app.out" || [ -s "$CREDITDESK_HOME/logs/errors.log" ]; then
  echo "FAIL: creditdesk logged an error:" >&2; cat "$work/app.out" "$CREDITDESK_HOME/logs/errors.log" >&2 2>/dev/null; exit 1
fi
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true; app_pid=
kill "$xvfb_pid"; wait "$xvfb_pid" 2>/dev/null || true; xvfb_pid=
unset DISPLAY
echo "the installed app started and showed its first-run window"

say "installed: creditdesk --self-test"
rm -rf "$CREDITDESK_HOME"
QT_QPA_PLATFORM=offscreen /usr/bin/creditdesk --self-test

say "installed: creditdesk-admin"
export CREDITDESK_PASSWORD='deb-check-admin'
/usr/bin/creditdesk-admin init --admin admin
/usr/bin/creditdesk-admin --user admin audit verify

say "remove"
DEBIAN_FRONTEND=noninteractive dpkg --purge creditdesk >/dev/null
[ ! -e /opt/creditdesk/creditdesk ] && [ ! -e /usr/bin/creditdesk ] || { echo "FAIL: files left after dpkg -r" >&2; exit 1; }
echo "removed: /opt/creditdesk and /usr/bin/creditdesk are gone"
echo
echo ".deb OK: installs, starts under Xvfb, passes --self-test, removes cleanly"
