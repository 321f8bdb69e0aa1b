#!/usr/bin/env bash
# Renders the icon's drawings into the committed PNGs, .ico and .icns, so building the package
# needs no renderer. Run it after editing assets/icons/*.svg, look at the results, commit them.
#
#   assets/icons/connect-console.svg        the master drawing (1024 x 1024), every size >= 32
#   assets/icons/connect-console-small.svg  the same mark on a 16-pixel grid, for 16 px
#
# Needs rsvg-convert (Debian: librsvg2-bin) and python3 (standard library only).
set -euo pipefail
cd "$(dirname "$0")/../assets/icons"

command -v rsvg-convert >/dev/null || {
  echo "render-icons.sh: rsvg-convert is missing (apt-get install librsvg2-bin)" >&2
  exit 1
}

for size in 16 32 48 64 128 256 512 1024; do
  src=connect-console.svg
  if [ "$size" -eq 16 ]; then src=connect-console-small.svg; fi
  rsvg-convert --width "$size" --height "$size" --keep-aspect-ratio "$src" -o "$size.png"
done
# The window icon (src/ui/window.rs): 256 px is plenty for any window manager.
cp 256.png ../icon.png

# Windows .ico (16, 32, 48, 256) and macOS .icns (16 to 1024), each entry a PNG.
python3 - <<'PY'
import struct

def png(size):
    with open(f"{size}.png", "rb") as f:
        return f.read()

sizes = [16, 32, 48, 256]
images = [png(s) for s in sizes]
offset = 6 + 16 * len(sizes)
header = struct.pack("<HHH", 0, 1, len(sizes))
entries = b""
for size, data in zip(sizes, images):
    side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
    entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
with open("connect-console.ico", "wb") as f:
    f.write(header + entries + b"".join(images))

# The types macOS's own iconutil writes: each size, and each at twice the pixels.
types = [("icp4", 16), ("ic11", 32), ("icp5", 32), ("ic12", 64), ("ic07", 128), ("ic13", 256),
         ("ic08", 256), ("ic14", 512), ("ic09", 512), ("ic10", 1024)]
body = b""
for kind, size in types:
    data = png(size)
    body += kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data
with open("connect-console.icns", "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY

ls -l ./*.png connect-console.ico connect-console.icns ../icon.png
