#!/usr/bin/env bash
# Package the one-folder bundle (installer/build_linux.sh) as a Debian package with dpkg-deb:
#   /opt/creditdesk/…                    the bundle
#   /usr/bin/creditdesk, creditdesk-admin small wrappers (input-method fallback, see below)
#   /usr/share/applications/creditdesk.desktop, hicolor icons (installer/make_icons.py)
#
#   installer/build_deb.sh     # -> build/package/creditdesk_<version>_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
OUT=${CREDITDESK_BUILD:-build/package}
BUNDLE="$OUT/dist/creditdesk"
[ -x "$BUNDLE/creditdesk" ] || { echo "no bundle at $BUNDLE: run installer/build_linux.sh first" >&2; exit 1; }

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(dpkg --print-architecture)
DEB="$OUT/creditdesk_${VERSION}_${ARCH}.deb"
ROOT="$OUT/deb-root"
rm -rf "$ROOT" && mkdir -p "$ROOT/DEBIAN" "$ROOT/opt" "$ROOT/usr/bin" "$ROOT/usr/share/applications"
cp -a "$BUNDLE" "$ROOT/opt/creditdesk"

# Wrappers rather than symlinks: one place to adjust the environment for every start.
# Input methods: the bundle carries Qt's ibus plugin (PySide6 ships no fcitx one). A session whose
# QT_IM_MODULE names fcitx gets "fcitx;ibus" as Qt's list (QT_IM_MODULES, Qt ≥ 6.8): a matching
# fcitx plugin is used if one is found, otherwise IBus — which fcitx5 also answers through its IBus
# frontend. docs/install.md explains what a clerk's PC needs.
for name in creditdesk creditdesk-admin; do
  cat > "$ROOT/usr/bin/$name" <<EOF
#!/bin/sh
case "\${QT_IM_MODULE:-}" in
  fcitx|fcitx5) [ -n "\${QT_IM_MODULES:-}" ] || export QT_IM_MODULES="fcitx;ibus" ;;
esac
exec /opt/creditdesk/$name "\$@"
EOF
  chmod 755 "$ROOT/usr/bin/$name"
done

cat > "$ROOT/usr/share/applications/creditdesk.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Version=1.0
Name=信用报告窗口
Name[zh_CN]=信用报告窗口
GenericName=专用信用报告出具与核验
Comment=查询企业、出具和核验专用信用报告
Exec=/usr/bin/creditdesk
Icon=creditdesk
Terminal=false
Categories=Office;
Keywords=信用报告;核验;CreditDesk;
StartupWMClass=creditdesk
EOF
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$ROOT/usr/share/applications/creditdesk.desktop"
fi

icons="$OUT/icons"
"$PYTHON" installer/make_icons.py "$icons" >/dev/null
for size in 16 24 32 48 64 128 256; do
  dir="$ROOT/usr/share/icons/hicolor/${size}x${size}/apps"
  mkdir -p "$dir" && cp "$icons/creditdesk-$size.png" "$dir/creditdesk.png"
done

# System libraries the bundle relies on (PyInstaller leaves libc, libGL/EGL and the X/Wayland
# client libraries to the system). Package names are Debian 12's; 统信UOS 20 and 麒麟 V10 carry
# the same names (t64 renames of Debian 13 are accepted as alternatives).
installed_kb=$(du -sk "$ROOT/opt" | cut -f1)
cat > "$ROOT/DEBIAN/control" <<EOF
Package: creditdesk
Version: $VERSION
Section: misc
Priority: optional
Architecture: $ARCH
Maintainer: CreditDesk <creditdesk@localhost>
Installed-Size: $installed_kb
Depends: libc6 (>= 2.31), libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0 | libglib2.0-0t64, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render-util0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-xfixes0, libxcb-xkb1, libwayland-client0, libwayland-cursor0, libwayland-egl1, libcups2 | libcups2t64
Recommends: libpulse0
Description: CreditDesk 信用报告窗口 — special credit report counter
 The counter application (creditdesk) and the administrator's command line
 (creditdesk-admin) for Suzhou's 专用信用报告: look up enterprises, issue,
 print and verify signed reports. Self-contained (PyInstaller) under
 /opt/creditdesk; "creditdesk --self-test" checks an installation.
EOF
cat > "$ROOT/DEBIAN/postinst" <<'EOF'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
EOF
cp "$ROOT/DEBIAN/postinst" "$ROOT/DEBIAN/postrm"
chmod 755 "$ROOT/DEBIAN/postinst" "$ROOT/DEBIAN/postrm"

# root-owned files whoever builds; gzip (166 MB in 100 s; xz: 127 MB but 7 min on two busy CPUs); any
# dpkg (统信UOS 20 has Debian 10's 1.19, which cannot read zstd) unpacks it
dpkg-deb --root-owner-group -Zgzip --build "$ROOT" "$DEB" >/dev/null
rm -rf "$ROOT"
echo "$DEB: $(( $(stat -c %s "$DEB") / 1000000 )) MB (installed $(( installed_kb / 1000 )) MB)"
