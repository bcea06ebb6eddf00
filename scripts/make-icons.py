#!/usr/bin/env python3
"""Draws the Lineage icon (three linked versions on a violet tile) as PNGs, with no image library:
the same shapes as src-renderer/public/favicon.svg. Run once when the design changes; the PNGs
are committed assets (electron-builder and the tray read them)."""
import math, struct, sys, zlib
from pathlib import Path

def png(size):
    s = size / 64.0
    bg, fg = (0x4b, 0x3f, 0xd1), (255, 255, 255)
    dots = [(20, 44), (32, 20), (44, 44)]
    def inside_tile(x, y):
        r = 14
        cx = min(max(x, r), 64 - r); cy = min(max(y, r), 64 - r)
        return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
    def seg_dist(px, py, ax, ay, bx, by):
        dx, dy = bx - ax, by - ay
        t = max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            # 4x supersampling for smooth edges
            acc = [0, 0, 0, 0]
            for sj in range(2):
                for si in range(2):
                    x = (i + (si + 0.5) / 2) / s; y = (j + (sj + 0.5) / 2) / s
                    if not inside_tile(x, y): continue
                    on = any(math.hypot(x - dx, y - dy) <= 6 for dx, dy in dots)
                    on = on or seg_dist(x, y, 20, 44, 32, 20) <= 1.75 or seg_dist(x, y, 32, 20, 44, 44) <= 1.75
                    c = fg if on else bg
                    acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 255
            row += bytes([acc[0] // 4, acc[1] // 4, acc[2] // 4, acc[3] // 4])
        rows.append(bytes(row))
    raw = zlib.compress(b''.join(rows), 9)
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) + chunk(b'IDAT', raw) + chunk(b'IEND', b'')

out = Path(sys.argv[1] if len(sys.argv) > 1 else 'build-resources')
out.mkdir(parents=True, exist_ok=True)
(out / 'icon.png').write_bytes(png(512))
(out / 'tray.png').write_bytes(png(32))
(out / 'tray@2x.png').write_bytes(png(64))
