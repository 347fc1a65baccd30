"""A product's photo, from a phone's upload to the two JPEGs the buyer's page serves.

An upload is bounded (``MAX_UPLOAD_BYTES``; ``MAX_PIXELS`` against decompression bombs),
decoded by Pillow, turned upright by its EXIF orientation, and re-encoded from the pixels
alone: EXIF, XMP, ICC and GPS do not survive, so no farm's position leaks from a picture.
Two widths (``WIDTHS``): 800 px for the page on a phone at 2x, 200 px for lists. The photo
is named by the SHA-256 of its 800 px JPEG: the same picture uploaded twice is stored once,
and its URL can be cached for ever.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from shared.errors import NguonError
from shared.readmodels.tracking import Connect, session

MAX_UPLOAD_BYTES = 8 * 1024 * 1024  # a phone camera's JPEG is 2-6 MB
MAX_PIXELS = 50_000_000  # 8000 x 6000 and a bit: larger is a bomb, not a photo
WIDTHS = (800, 200)
JPEG_QUALITY = 80
CONTENT_TYPE = "image/jpeg"


class PhotoRefused(NguonError):
    """An upload that is not a photo we store; ``code`` is stable, ``status`` the HTTP one."""

    def __init__(self, code: str, status: int) -> None:
        super().__init__(code)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Variant:
    width: int  # the variant's name, one of WIDTHS: the URL says it
    pixel_width: int  # what it has: less than ``width`` for a small upload, never enlarged
    pixel_height: int
    jpeg: bytes


@dataclass(frozen=True)
class Photo:
    digest: str  # sha256 hex of the largest variant
    variants: tuple[Variant, ...]  # largest first

    def variant(self, width: int) -> Variant:
        return next(v for v in self.variants if v.width == width)


def public_path(digest: str, width: int) -> str:
    """Where anyone fetches a stored variant (served by services/cooperative_app/products)."""
    return f"/app/products/photos/{digest}-{width}.jpg"


def prepared(upload: bytes) -> Photo:
    """The upload as stored variants; ``PhotoRefused`` (413 too large, 422 not a photo)."""
    if len(upload) > MAX_UPLOAD_BYTES:
        raise PhotoRefused("photo_too_large", 413)
    if not upload:
        raise PhotoRefused("photo_missing", 422)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(upload)) as opened:
                if opened.width * opened.height > MAX_PIXELS:
                    raise PhotoRefused("photo_too_many_pixels", 413)
                upright = ImageOps.exif_transpose(opened)
                pixels = upright.convert("RGB")
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise PhotoRefused("photo_too_many_pixels", 413) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise PhotoRefused("photo_unreadable", 422) from None
    variants = tuple(_variant(pixels, width) for width in WIDTHS)
    return Photo(digest=hashlib.sha256(variants[0].jpeg).hexdigest(), variants=variants)


def _variant(pixels: Image.Image, width: int) -> Variant:
    """``width`` px wide (never enlarged), a fresh JPEG holding nothing but the pixels."""
    scaled = pixels.copy()
    scaled.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    scaled.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Variant(width, scaled.width, scaled.height, buffer.getvalue())


def store(connect: Connect, photo: Photo) -> None:
    """Every variant, once: storing the same photo again changes nothing."""
    with session(connect) as conn, conn.transaction():
        for v in photo.variants:
            conn.execute(
                "INSERT INTO nguon_product_photos"
                " (digest, width, pixel_width, pixel_height, content_type, image)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (digest, width) DO NOTHING",
                (photo.digest, v.width, v.pixel_width, v.pixel_height, CONTENT_TYPE, v.jpeg),
            )


def fetch(connect: Connect, digest: str, width: int) -> Variant | None:
    with session(connect) as conn:
        row = conn.execute(
            "SELECT pixel_width, pixel_height, image FROM nguon_product_photos"
            " WHERE digest = %s AND width = %s",
            (digest, width),
        ).fetchone()
    return Variant(width, int(row[0]), int(row[1]), bytes(row[2])) if row else None


def exists(connect: Connect, digest: str) -> bool:
    """Whether a photo of that name was stored (a product may only name a stored one)."""
    with session(connect) as conn:
        row = conn.execute(
            "SELECT 1 FROM nguon_product_photos WHERE digest = %s LIMIT 1", (digest,)
        ).fetchone()
    return row is not None
