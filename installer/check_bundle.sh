#!/usr/bin/env bash
# Smoke test of a built bundle: it starts, knows its version, renders its window offscreen
# (in English and in Chinese) and runs the CLI on a bundled example.
#     installer/check_bundle.sh [dist/Modelwright]
set -euo pipefail
BUNDLE="${1:-dist/Modelwright}"
if [ -d "$BUNDLE/Contents/MacOS" ]; then BUNDLE="$BUNDLE/Contents/MacOS"; fi
GUI="$BUNDLE/Modelwright"
CLI="$BUNDLE/modelwright-cli"
for exe in "$GUI" "$CLI"; do
    [ -x "$exe" ] || { echo "check_bundle: $exe is missing or not executable" >&2; exit 1; }
done
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

version="$("$CLI" --version)"
echo "version: $version"
[[ "$version" == Modelwright\ * ]] || { echo "check_bundle: unexpected --version output: $version" >&2; exit 1; }

for lang in en zh_CN; do
    QT_QPA_PLATFORM=offscreen timeout 120 "$GUI" --screenshot "$OUT/window-$lang.png" --language "$lang" --view design
    python3 - "$OUT/window-$lang.png" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert width >= 640 and height >= 480 and len(data) > 20_000, (width, height, len(data))
print(f"screenshot: {sys.argv[1].rsplit('/', 1)[-1]} {width}x{height}, {len(data):,} bytes")
PY
done

EXAMPLES="$BUNDLE/_internal/resources/examples"
[ -d "$EXAMPLES" ] || EXAMPLES="$(dirname "$BUNDLE")/Resources/resources/examples"
timeout 300 "$CLI" validate "$EXAMPLES/iris/iris.mwproj" > "$OUT/validate.txt"
grep -q "dense" "$OUT/validate.txt" || { echo "check_bundle: validate printed no layer table" >&2; cat "$OUT/validate.txt" >&2; exit 1; }
cp "$EXAMPLES/keras-seed/keras-seed.mwproj" "$OUT/"
timeout 600 "$CLI" train "$OUT/keras-seed.mwproj" --epochs 2 --out "$OUT/run" > "$OUT/train.txt"
[ -f "$OUT/run/model.safetensors" ] || { echo "check_bundle: training wrote no model" >&2; cat "$OUT/train.txt" >&2; exit 1; }
echo "bundle: $(du -sh "$BUNDLE" | cut -f1) in $BUNDLE"
echo "check_bundle: OK"
