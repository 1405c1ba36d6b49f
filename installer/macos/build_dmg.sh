#!/usr/bin/env bash
# Pack dist/Modelwright.app (made by `make installer` on macOS; the spec's BUNDLE step sets
# the bundle id, version, icon and the *.mwproj document type) into a compressed DMG with an
# Applications shortcut. Uses only tools that come with macOS (hdiutil, codesign).
#     installer/macos/build_dmg.sh [dist/Modelwright.app] [dist]
# Signing: set CODESIGN_IDENTITY="Developer ID Application: ..." to sign with the hardened
# runtime (entitlements.plist allows the JIT and unsigned libraries torch needs); then notarise
# with `xcrun notarytool submit <dmg> --wait` and `xcrun stapler staple <dmg>`.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
APP="${1:-dist/Modelwright.app}"
OUT="${2:-dist}"
[ -d "$APP" ] || { echo "no app bundle at $APP: run make installer on macOS first" >&2; exit 1; }
VERSION="$(/usr/libexec/PlistBuddy -c 'Print :CFBundleShortVersionString' "$APP/Contents/Info.plist")"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --deep --force --options runtime --timestamp \
        --entitlements "$HERE/entitlements.plist" --sign "$CODESIGN_IDENTITY" "$APP"
fi
STAGE="$(mktemp -d)"
cp -R "$APP" "$STAGE/"
ln -s /Applications "$STAGE/Applications"
DMG="$OUT/Modelwright-$VERSION.dmg"
rm -f "$DMG"
hdiutil create -volname "Modelwright $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"
echo "wrote $DMG"
