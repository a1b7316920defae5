#!/usr/bin/env python3
"""Draws the site icon (a white globe on the site's blue) as src/InfraTerra.Web/wwwroot/favicon.ico.

The same drawing as wwwroot/favicon.svg, rasterised here with the standard library only, so the
icon is made by the project and not taken from elsewhere. Run it again after changing the drawing.
"""
import math
import os
import struct
import zlib

BLUE = (0x0B, 0x5C, 0xAD)
WHITE = (0xFF, 0xFF, 0xFF)
SIZES = (16, 32, 48)
SAMPLES = 4  # per axis, for smooth edges


def inside_rounded_square(x, y):
    r = 6.0
    cx = min(max(x, r), 32 - r)
    cy = min(max(y, r), 32 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def on_globe(x, y):
    d = math.hypot(x - 16, y - 16)
    if abs(d - 10) <= 1.25:  # the outline
        return True
    if d < 10:
        if abs(y - 16) <= 1.0:  # the equator
            return True
        e = ((x - 16) / 4.5) ** 2 + ((y - 16) / 10) ** 2  # the meridian
        return abs(math.sqrt(e) - 1) * 4.5 <= 1.0
    return False


def pixels(size):
    rows = []
    step = 32 / size
    for py in range(size):
        row = bytearray([0])  # PNG filter: none
        for px in range(size):
            r = g = b = a = 0.0
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    x = (px + (sx + 0.5) / SAMPLES) * step
                    y = (py + (sy + 0.5) / SAMPLES) * step
                    if not inside_rounded_square(x, y):
                        continue
                    colour = WHITE if on_globe(x, y) else BLUE
                    r, g, b, a = r + colour[0], g + colour[1], b + colour[2], a + 1
            n = SAMPLES * SAMPLES
            row += bytes([round(r / a) if a else 0, round(g / a) if a else 0, round(b / a) if a else 0, round(255 * a / n)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(size):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels(size), 9)) + chunk(b"IEND", b"")


def ico():
    images = [png(s) for s in SIZES]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(SIZES, images):
        out += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


if __name__ == "__main__":
    target = os.path.join(os.path.dirname(__file__), "..", "src", "InfraTerra.Web", "wwwroot", "favicon.ico")
    with open(target, "wb") as f:
        f.write(ico())
