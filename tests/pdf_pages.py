"""A PDF page as a picture, and the QR codes a reader finds on it: poppler's ``pdftoppm``
renders (as a print preview would), ``zxing-cpp`` decodes (as a phone's scanner would)."""

from __future__ import annotations

import io
import shutil
import subprocess

import zxingcpp
from PIL import Image

RENDER_DPI = 300  # an office laser printer's resolution, and a thermal printer's (203 dpi) and more
Box = tuple[float, float, float, float]  # left, top, width, height in mm


def page_image(pdf: bytes, page: int = 1, dpi: int = RENDER_DPI) -> Image.Image:
    """Page ``page`` (from 1) rendered to a PNG by pdftoppm, as a Pillow image."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: install Debian's poppler-utils (make system-packages)"
    rendered = subprocess.run(
        [tool, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return Image.open(io.BytesIO(rendered.stdout))


def qr_texts(image: Image.Image) -> list[str]:
    """What every QR code found in the picture says, one entry per symbol."""
    found = zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    )
    return [str(barcode.text) for barcode in found]


def page_count(pdf: bytes) -> int:
    tool = shutil.which("pdfinfo")
    assert tool, "pdfinfo is missing: install Debian's poppler-utils"
    info = subprocess.run([tool, "-"], input=pdf, capture_output=True, check=True, text=False)
    for line in info.stdout.decode().splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    raise AssertionError("pdfinfo named no page count")


def texts_per_label(
    image: Image.Image, page_mm: tuple[float, float], boxes_mm: list[Box]
) -> list[str]:
    """Each label cut out of the page picture (as a phone frames one label) and decoded alone:
    one text per label that reads, so ``len`` is the number of labels that scan."""
    scale = image.width / page_mm[0]
    texts: list[str] = []
    for left, top, width, height in boxes_mm:
        label = image.crop(
            (
                round(left * scale),
                round(top * scale),
                round((left + width) * scale),
                round((top + height) * scale),
            )
        )
        texts.extend(qr_texts(label)[:1])
    return texts
