"""The cooperative app's ``products`` part: what the buyer's page shows of a product.

So far its photos: ``/app/products/photos/{digest}-{width}.jpg`` serves a stored photo
(``shared.products.photos``) to anyone, without sign-in, cached for ever: the name is the
content's SHA-256, so a new picture is a new URL. The upload form and the product's names,
brand and shelf life are still to come.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.responses import Response

from services.cooperative_app.context import AppContext
from shared.products import photos

PHOTO_PATH = "/app/products/photos/{name}"
_NAME = re.compile(r"(?P<digest>[0-9a-f]{64})-(?P<width>\d{3})\.jpg", re.ASCII)
FOREVER = "public, max-age=31536000, immutable"


def photo_url(digest: str, width: int) -> str:
    return PHOTO_PATH.format(name=f"{digest}-{width}.jpg")


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()

    @routes.get(PHOTO_PATH, include_in_schema=False)
    def photo(name: str) -> Response:
        match = _NAME.fullmatch(name)
        found = (
            photos.fetch(context.connect, match["digest"], int(match["width"])) if match else None
        )
        if found is None:
            return Response("no such photo", status_code=404, media_type="text/plain")
        headers = {"Cache-Control": FOREVER, "X-Content-Type-Options": "nosniff"}
        return Response(found.jpeg, media_type=photos.CONTENT_TYPE, headers=headers)

    return routes
