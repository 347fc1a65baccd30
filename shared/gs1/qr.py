"""QR codes for a link: SVG (qrcode's path factory), PNG (Pillow), and a bare path.

Error correction M and a 4-module quiet zone, as GS1 recommends for Digital Link QR codes on
consumer packaging. A link never changes its symbol, so each is drawn once and kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import qrcode
import qrcode.constants
from qrcode.image.pil import PilImage
from qrcode.image.svg import SvgPathFillImage, SvgPathImage

_QUIET_ZONE = 4
_PNG_BOX_PIXELS = 10
_CACHED_LINKS = 2048


@dataclass(frozen=True)
class QrSymbol:
    """The dark modules as one SVG path in a ``size`` x ``size`` box (quiet zone included)."""

    path: str
    size: int


def _code(link: str) -> qrcode.QRCode:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=_QUIET_ZONE,
        box_size=_PNG_BOX_PIXELS,
    )
    code.add_data(link)
    code.make(fit=True)
    return code


@lru_cache(maxsize=_CACHED_LINKS)
def svg(link: str) -> bytes:
    """A standalone SVG document on a white background, 1 mm per module."""
    image = _code(link).make_image(image_factory=SvgPathFillImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=_CACHED_LINKS)
def png(link: str) -> bytes:
    """A PNG of 10 pixels per module."""
    image = _code(link).make_image(image_factory=PilImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=_CACHED_LINKS)
def symbol(link: str) -> QrSymbol:
    """The path alone, to draw once in a page and reuse with ``<use>``."""
    image = _code(link).make_image(image_factory=SvgPathImage)
    path = image.path.get("d") if image.path is not None else ""
    return QrSymbol(path=str(path), size=int(image.units(image.pixel_size, text=False)))


@lru_cache(maxsize=_CACHED_LINKS)
def matrix(link: str) -> tuple[tuple[bool, ...], ...]:
    """The modules, quiet zone included, row by row (True is dark): for vector drawings (PDF)."""
    return tuple(tuple(bool(cell) for cell in row) for row in _code(link).get_matrix())
