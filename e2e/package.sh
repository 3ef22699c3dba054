#!/usr/bin/env bash
# Tests the Linux packages: builds them from build/bin/textbank, unpacks the
# .deb into a clean directory with dpkg -x, checks its metadata, icons and
# .desktop file (desktop-file-validate), checks the tarball, then starts
# the INSTALLED binary in demo mode under Xvfb (e2e/smoke.sh: screenshot
# not blank, clean exit on SIGTERM).
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "package test: $*" >&2; exit 1; }

bash build/package/package.sh
VERSION=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
deb=build/dist/textbank_${VERSION}_amd64.deb
tarball=build/dist/textbank-${VERSION}-linux-amd64.tar.gz
[ -f "$deb" ] || fail "no $deb"
[ -f "$tarball" ] || fail "no $tarball"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$deb" "$root"

depends=$(dpkg-deb -f "$deb" Depends)
for dep in libgtk-3-0 libwebkit2gtk-4.0-37; do
	grep -q "$dep" <<<"$depends" || fail "Depends ($depends) lacks $dep"
done
[ "$(dpkg-deb -f "$deb" Package)" = textbank ] || fail "package name is not textbank"
[ "$(dpkg-deb -f "$deb" Version)" = "$VERSION" ] || fail "version is not $VERSION"

[ -x "$root/usr/bin/textbank" ] || fail "no executable /usr/bin/textbank"
desktop=$root/usr/share/applications/textbank.desktop
[ -f "$desktop" ] || fail "no .desktop file"
command -v desktop-file-validate >/dev/null || fail "desktop-file-validate missing (apt-get install desktop-file-utils)"
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $desktop"
grep -q '^Exec=textbank' "$desktop" || fail ".desktop does not run textbank"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in 16 32 48 64 128 256 512; do
	png=$root/usr/share/icons/hicolor/${size}x${size}/apps/$icon.png
	[ -f "$png" ] || fail "no ${size}px icon"
	got=$(identify -format '%wx%h' "$png")
	[ "$got" = "${size}x${size}" ] || fail "${size}px icon is $got"
done

tar -tzf "$tarball" | grep -qx "textbank-$VERSION/bin/textbank" || fail "tarball lacks bin/textbank"
tar -tzf "$tarball" | grep -qx "textbank-$VERSION/share/applications/textbank.desktop" || fail "tarball lacks the .desktop file"

echo "package test: .deb and tarball look right; starting the installed binary"
APP="$root/usr/bin/textbank" bash e2e/smoke.sh
echo "package test: 1 passed, 0 failed"
