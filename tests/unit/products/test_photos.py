"""A product photo from a phone: bounded, upright, resized to 800 and 200 px, and stripped of
everything but its pixels (a phone's EXIF holds the farm's GPS position)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from shared.products import photos


def a_phone_photo(width: int = 1600, height: int = 1200, *, orientation: int = 1) -> bytes:
    """A JPEG as a phone writes it: EXIF with a GPS position and an orientation."""
    image = Image.new("RGB", (width, height), (40, 120, 60))
    image.paste((200, 30, 30), (0, 0, width // 4, height // 4))  # a red corner, top left
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = {1: "N", 2: (19.0, 48.0, 0.0), 3: "E", 4: (105.0, 46.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def test_a_phone_photo_is_resized_to_800_and_200_pixels_wide() -> None:
    photo = photos.prepared(a_phone_photo())

    assert [(v.pixel_width, v.pixel_height) for v in photo.variants] == [(800, 600), (200, 150)]
    for variant in photo.variants:
        assert Image.open(io.BytesIO(variant.jpeg)).size == (
            variant.pixel_width,
            variant.pixel_height,
        )


def test_no_exif_and_no_gps_position_survive() -> None:
    upload = a_phone_photo()
    assert Image.open(io.BytesIO(upload)).getexif().get_ifd(0x8825)  # the phone wrote GPS

    photo = photos.prepared(upload)

    for variant in photo.variants:
        image = Image.open(io.BytesIO(variant.jpeg))
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert b"PhoneMaker" not in variant.jpeg


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_goes() -> None:
    photo = photos.prepared(a_phone_photo(1600, 1200, orientation=6))  # rotate 90 degrees

    assert photo.variant(800).pixel_height > photo.variant(800).pixel_width


def test_the_same_picture_has_the_same_name() -> None:
    upload = a_phone_photo()

    assert photos.prepared(upload).digest == photos.prepared(upload).digest
    assert len(photos.prepared(upload).digest) == 64


def test_a_small_photo_is_never_enlarged() -> None:
    photo = photos.prepared(a_phone_photo(300, 200))

    assert [(v.pixel_width, v.pixel_height) for v in photo.variants] == [(300, 200), (200, 133)]


@pytest.mark.parametrize(
    ("upload", "code", "status"),
    [
        (b"", "photo_missing", 422),
        (b"not a picture at all", "photo_unreadable", 422),
        (b"\xff\xd8\xff" + b"\0" * 100, "photo_unreadable", 422),
        (b"\0" * (photos.MAX_UPLOAD_BYTES + 1), "photo_too_large", 413),
    ],
)
def test_what_is_not_a_photo_we_keep_is_refused_with_its_code(
    upload: bytes, code: str, status: int
) -> None:
    with pytest.raises(photos.PhotoRefused) as refused:
        photos.prepared(upload)

    assert (refused.value.code, refused.value.status) == (code, status)


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG")  # 100 Mpx in a few kB

    with pytest.raises(photos.PhotoRefused) as refused:
        photos.prepared(buffer.getvalue())

    assert refused.value.status == 413
