#!/usr/bin/env bash
# Packages the built Linux binary (build/bin/textbank, from `make build`)
# as a .deb and a tarball in build/dist. Icons at the usual sizes are made
# from build/appicon.png. Runs offline; needs dpkg-deb and ImageMagick.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=${APP:-build/bin/textbank}
VERSION=${VERSION:-$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)}
ARCH=amd64
OUT=build/dist
[ -x "$APP" ] || { echo "package: $APP is missing: run make build" >&2; exit 1; }
[ -n "$VERSION" ] || { echo "package: no productVersion in wails.json" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"

# The installed tree, shared by the .deb (under /usr) and the tarball
# (under a prefix of the user's choosing, e.g. ~/.local).
tree=$work/tree
install -Dm755 "$APP" "$tree/bin/textbank"
install -Dm644 build/linux/textbank.desktop "$tree/share/applications/textbank.desktop"
# One 8-bit 512px master keeps the resizes quick.
convert build/appicon.png -depth 8 -resize 512x512 "$work/icon512.png"
for size in 16 24 32 48 64 128 256 512; do
	dir=$tree/share/icons/hicolor/${size}x${size}/apps
	mkdir -p "$dir"
	convert "$work/icon512.png" -resize ${size}x${size} "$dir/textbank.png"
done
install -Dm644 README.md "$tree/share/doc/textbank/README.md"

# .deb
deb=$work/deb
mkdir -p "$deb/DEBIAN" "$deb/usr"
cp -a "$tree/." "$deb/usr/"
size_kb=$(du -sk "$deb/usr" | cut -f1)
cat >"$deb/DEBIAN/control" <<CONTROL
Package: textbank
Version: $VERSION
Architecture: $ARCH
Maintainer: Textbank <dev@textbank.local>
Installed-Size: $size_kb
Depends: libgtk-3-0, libwebkit2gtk-4.0-37
Recommends: xdg-utils
Section: net
Priority: optional
Homepage: https://textbank.local
Description: peer-to-peer texting for campaigns
 Textbank is the volunteer's desktop app: join a campaign with a code,
 send scripted texts one click at a time, and answer replies in an inbox.
 It sits in the tray and tells you of new replies.
CONTROL
deb_file=$OUT/textbank_${VERSION}_${ARCH}.deb
# gzip: much quicker to build than the default xz, and every dpkg reads it.
dpkg-deb --root-owner-group -Zgzip --build "$deb" "$deb_file" >/dev/null
echo "package: $deb_file"

# Tarball: textbank-<version>/{bin,share}
tar_root=$work/textbank-$VERSION
cp -a "$tree" "$tar_root"
tar_file=$OUT/textbank-${VERSION}-linux-${ARCH}.tar.gz
tar -C "$work" --owner=0 --group=0 -czf "$tar_file" "textbank-$VERSION"
echo "package: $tar_file"
