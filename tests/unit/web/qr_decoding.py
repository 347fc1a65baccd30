"""Reading QR codes back with a real decoder (zxing-cpp), from PNG bytes or our SVG paths.

qrcode's SVG path factory draws each dark module as ``Mx,yHx'Vy'Hxz``; the rasteriser fills
those unit squares on a white canvas so the decoder sees exactly what a printer would print.
"""

from __future__ import annotations

import io
import re

import zxingcpp
from PIL import Image, ImageDraw

_MODULE = re.compile(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z")
_VIEWBOX = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_PIXELS_PER_MODULE = 8


def decode_png(data: bytes) -> list[str]:
    return _texts(Image.open(io.BytesIO(data)))


def decode_svg(svg: str) -> list[str]:
    size = _VIEWBOX.search(svg)
    assert size, "the SVG has a viewBox"
    path = re.search(r'<path[^>]* d="([^"]+)"', svg)
    assert path, "the SVG has a path"
    return decode_path(path.group(1), int(size.group(1)))


def decode_path(path: str, size: int) -> list[str]:
    scale = _PIXELS_PER_MODULE
    canvas = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(canvas)
    for x0, y0, x1, y1 in _MODULE.findall(path):
        box = (int(x0) * scale, int(y0) * scale, int(x1) * scale - 1, int(y1) * scale - 1)
        draw.rectangle(box, fill=0)
    return _texts(canvas)


def _texts(image: Image.Image) -> list[str]:
    return [str(barcode.text) for barcode in zxingcpp.read_barcodes(image)]
