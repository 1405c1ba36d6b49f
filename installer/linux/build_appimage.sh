#!/usr/bin/env bash
# Pack dist/Modelwright (made by `make installer`) into Modelwright-<version>-x86_64.AppImage.
# Needs appimagetool (https://appimage.github.io/appimagetool/) on PATH; it is not installed by
# the Makefile because it is a downloaded binary, not a Python package.
#     installer/linux/build_appimage.sh [dist/Modelwright] [dist]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
BUNDLE="$(realpath "${1:-dist/Modelwright}")"
OUT="$(realpath "${2:-dist}")"
command -v appimagetool >/dev/null || { echo "appimagetool is not on PATH" >&2; exit 1; }
[ -x "$BUNDLE/Modelwright" ] || { echo "no bundle at $BUNDLE: run make installer first" >&2; exit 1; }
VERSION="$("$BUNDLE/modelwright-cli" --version | awk '{print $2}')"
APPDIR="$(mktemp -d)/Modelwright.AppDir"
mkdir -p "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" "$APPDIR/usr/share/mime/packages" \
         "$APPDIR/usr/share/icons/hicolor/256x256/apps"
cp -a "$BUNDLE" "$APPDIR/usr/lib/modelwright"
cp "$HERE/modelwright.desktop" "$APPDIR/modelwright.desktop"
cp "$HERE/modelwright.desktop" "$APPDIR/usr/share/applications/"
cp "$HERE/modelwright-mime.xml" "$APPDIR/usr/share/mime/packages/"
cp "$HERE/modelwright.png" "$APPDIR/modelwright.png"
cp "$HERE/modelwright.png" "$APPDIR/usr/share/icons/hicolor/256x256/apps/"
cat > "$APPDIR/AppRun" <<'RUN'
#!/bin/sh
# "cli" as the first argument runs the command line (e.g. "Modelwright.AppImage cli train p.mwproj"), anything else the window.
HERE="$(dirname "$(readlink -f "$0")")"
if [ "$1" = "cli" ]; then shift; exec "$HERE/usr/lib/modelwright/modelwright-cli" "$@"; fi
exec "$HERE/usr/lib/modelwright/Modelwright" "$@"
RUN
chmod +x "$APPDIR/AppRun"
ARCH=x86_64 appimagetool "$APPDIR" "$OUT/Modelwright-$VERSION-x86_64.AppImage"
echo "wrote $OUT/Modelwright-$VERSION-x86_64.AppImage"
