"""The cooperative app's ``products`` part: what the buyer's page says of a GTIN's product.

``/app/products`` lists the organisation's GTINs (``listing``); ``/app/products/{gtin}`` is
the form of one product: its names (Vietnamese, English), brand, shelf life and a photo taken
with the phone's camera. The photo is stored first (``shared.products.photos``: bounded,
EXIF stripped, 413/422 at its field), then ``DescribeProduct`` names it by its SHA-256; a
refusal comes back at its field in the person's language, nothing stored.

``/app/products/photos/{digest}-{width}.jpg`` serves a stored photo to anyone, without
sign-in, cached for ever: the name is the content's SHA-256, so a new picture is a new URL.
"""

from __future__ import annotations

import re

from fastapi import APIRouter
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.people import Worker, WorkerPosting
from services.cooperative_app.products import listing
from shared.accounts.gate import Person
from shared.domain import identifiers
from shared.domain.errors import DomainError, InvalidValue
from shared.i18n import Translator
from shared.i18n.refusals import refusal_message
from shared.products import photos
from shared.readmodels.tracking import Connect
from shared.records import commands as c
from shared.records.application import CommandRefused

PHOTO_PATH = "/app/products/photos/{name}"
_NAME = re.compile(r"(?P<digest>[0-9a-f]{64})-(?P<width>\d{3})\.jpg", re.ASCII)
FOREVER = "public, max-age=31536000, immutable"
LABELS = {  # each field's label, which a refusal names it by
    "name_vi": "products_name_vi",
    "name_en": "products_name_en",
    "brand": "products_brand",
    "shelf_life_days": "products_shelf_life",
    "photo": "products_photo",
}
FIELDS = tuple(LABELS)
Values = dict[str, str]


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

    @routes.get("/app/products", include_in_schema=False)
    def product_list(request: Request, person: Worker, gtin: str | None = None) -> Response:
        if gtin:  # the "open a GTIN" box: its own page, or the box again with why not
            try:
                return RedirectResponse(f"/app/products/{identifiers.gtin14(gtin)}", 303)
            except InvalidValue as refusal:
                t = context.pages.chrome(request).t
                errors = {"gtin": _worded(refusal, t)}
                return _list_page(request, person, errors, gtin, status_code=422)
        return _list_page(request, person, {}, "")

    def _list_page(
        request: Request, person: Person, errors: Values, typed: str, status_code: int = 200
    ) -> Response:
        organisation = person.actor.organisation_id
        assert organisation is not None  # Worker lets only people of an organisation in
        chrome = context.pages.chrome(request, person_name=person.display_name)
        return context.pages.response(
            "products_list.html",
            chrome,
            status_code=status_code,
            products=listing.products_of(context.connect, organisation),
            errors=errors,
            gtin=typed,
        )

    @routes.get("/app/products/{gtin}", include_in_schema=False)
    def product_form(request: Request, gtin: str, person: Worker) -> Response:
        gtin14 = _gtin14(gtin)
        if gtin14 is None:
            return _form_page(request, person, gtin, {}, {}, status_code=404)
        product = context.records.product(gtin14)
        values: Values = {}
        if product is not None:
            d = product.details
            values = {
                "name_vi": d.name_vi,
                "name_en": d.name_en or "",
                "brand": d.brand or "",
                "shelf_life_days": "" if d.shelf_life_days is None else str(d.shelf_life_days),
                "photo": d.photo or "",
            }
        saved = request.query_params.get("saved") == "1"
        return _form_page(request, person, gtin14, values, {}, saved=saved)

    @routes.post("/app/products/{gtin}", include_in_schema=False)
    async def describe(request: Request, gtin: str, person: WorkerPosting) -> Response:
        gtin14 = _gtin14(gtin)
        if gtin14 is None:
            return _form_page(request, person, gtin, {}, {}, status_code=404)
        t = context.pages.chrome(request).t
        form = await request.form()
        values = {name: str(form.get(name) or "").strip() for name in FIELDS if name != "photo"}
        values["photo"] = str(form.get("kept_photo") or "")
        errors, status = _upload(context.connect, form, values, t)
        shelf_life = _shelf_life(values["shelf_life_days"], errors, t)
        if not errors:
            command = c.DescribeProduct(
                gtin=gtin14,
                name_vi=values["name_vi"],
                name_en=values["name_en"] or None,
                brand=values["brand"] or None,
                shelf_life_days=shelf_life,
                photo=values["photo"] or None,
            )
            try:
                context.records.execute(person.actor, [command])
            except DomainError as refused:
                refusal = refused.error if isinstance(refused, CommandRefused) else refused
                errors = {_field_of(refusal): _worded(refusal, t)}
                status = 403 if refusal.code == "gtin_not_owned" else 422
            else:
                return RedirectResponse(f"/app/products/{gtin14}?saved=1", status_code=303)
        return _form_page(request, person, gtin14, values, errors, status_code=status)

    def _form_page(
        request: Request,
        person: Person,
        gtin: str,
        values: Values,
        errors: Values,
        *,
        status_code: int = 200,
        saved: bool = False,
    ) -> Response:
        chrome = context.pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        photo = values.get("photo")
        return context.pages.response(
            "product_form.html",
            chrome,
            status_code=status_code,
            gtin=gtin,
            known=status_code != 404,
            values=values,
            errors=errors,
            saved=saved,
            photo_src=photo_url(photo, 200) if photo else None,
            max_megabytes=photos.MAX_UPLOAD_BYTES // (1024 * 1024),
        )

    return routes


def _gtin14(raw: str) -> str | None:
    try:
        return identifiers.gtin14(raw)
    except InvalidValue:
        return None


def _upload(connect: Connect, form: FormData, values: Values, t: Translator) -> tuple[Values, int]:
    """Stores a photo the person chose (none chosen keeps the one before); its refusal, if any,
    at the photo field with its own status (413 too large, 422 not a photo)."""
    upload = form.get("photo")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return {}, 422
    data = upload.file.read(photos.MAX_UPLOAD_BYTES + 1)
    try:
        photo = photos.prepared(data)
    except photos.PhotoRefused as refused:
        limit = photos.MAX_UPLOAD_BYTES // (1024 * 1024)
        return {"photo": t(f"products_error_{refused.code}", limit=limit)}, refused.status
    photos.store(connect, photo)
    values["photo"] = photo.digest
    return {}, 422


def _shelf_life(typed: str, errors: Values, t: Translator) -> int | None:
    """Whole days, or blank for none; anything else is refused at its field."""
    if not typed:
        return None
    if not typed.isascii() or not typed.isdigit():
        errors.setdefault("shelf_life_days", t("products_error_shelf_life_days"))
        return None
    return int(typed)


def _field_of(refusal: DomainError) -> str:
    if isinstance(refusal, InvalidValue):
        named = refusal.params.get("field", refusal.field)
        if named in FIELDS:
            return named
    return "name_vi"  # about the whole product (who owns the GTIN): at the first field


def _worded(refusal: DomainError, t: Translator) -> str:
    params = dict(refusal.params)
    if params.get("field") in FIELDS:  # the form's label reads better than the command's name
        params["field"] = t(LABELS[params["field"]])
    return refusal_message(refusal.code, params, t.lang, refusal.message)
