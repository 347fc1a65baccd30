"""The cooperative app's ``labels`` part: print a batch's labels as a PDF.

``/app/labels/{code}`` chooses the layout (A4 sheets, thermal rolls) and the count;
``/app/labels/{code}.pdf?layout=&count=`` is the print-ready file. Only the organisation that
holds or labelled the batch may print it (see ``sheet.may_print``); a bad layout or count
comes back to the form with the refusal at its field (422), nothing printed.
"""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from services.cooperative_app.context import AppContext
from services.cooperative_app.labels import sheet
from services.cooperative_app.people import NotAllowed, Worker
from shared.gs1 import label_pdf, labels
from shared.gs1.errors import InvalidLabelCount
from shared.pages.rendering import Chrome
from shared.readmodels.documents import ProvenanceDocument


def router(context: AppContext) -> APIRouter:
    routes = APIRouter()
    base = context.settings.public_base_url

    def batch(code: str, person: Worker) -> ProvenanceDocument | None:
        document = sheet.document_of(context.connect, code)
        organisation = person.actor.organisation_id
        assert organisation is not None  # Worker lets only people of an organisation in
        if document is not None and not sheet.may_print(document, organisation):
            raise NotAllowed("labels_not_yours")
        return document

    def page(
        request: Request,
        person: Worker,
        document: ProvenanceDocument | None,
        errors: dict[str, str],
        *,
        code: str,
        layout: str,
        count: str,
    ) -> Response:
        chrome: Chrome = context.pages.chrome(
            request, person_name=person.display_name, csrf_token=person.csrf_token
        )
        status = 404 if document is None else (422 if errors else 200)
        return context.pages.response(
            "labels_page.html",
            chrome,
            status_code=status,
            document=document,
            code=code,
            link=sheet.link_of(document, base) if document else None,
            layouts=[(name, f"labels_layout_{name}") for name in label_pdf.LAYOUTS],
            layout=layout,
            count=count,
            errors=errors,
            max_labels=labels.MAX_LABELS,
        )

    # Registered before ``/app/labels/{code}``, whose ``{code}`` would match ``X.pdf`` too.
    @routes.get("/app/labels/{code}.pdf", include_in_schema=False)
    def label_file(
        request: Request,
        code: str,
        person: Worker,
        layout: str | None = None,
        count: str | None = None,
    ) -> Response:
        document = batch(code, person)
        chosen = layout or label_pdf.DEFAULT_LAYOUT
        errors: dict[str, str] = {}
        t = context.pages.chrome(request).t
        try:
            shape = label_pdf.layout_named(chosen)
        except label_pdf.UnknownLayout:
            errors["layout"] = t("labels_error_layout")
        try:
            number = labels.parse_count(count)
        except InvalidLabelCount:
            errors["count"] = t("labels_error_count", max=labels.MAX_LABELS)
        if document is None or errors:
            return page(
                request, person, document, errors, code=code, layout=chosen, count=count or ""
            )
        link = sheet.link_of(document, base)
        try:
            pdf = label_pdf.label_pdf(shape, link, sheet.text_of(document), number)
        except label_pdf.LinkTooLongForLabel:
            errors["layout"] = t("labels_error_too_small")
            return page(
                request, person, document, errors, code=code, layout=chosen, count=count or ""
            )
        filename = f"{document['code']}-{shape.name}.pdf"
        headers = {
            "Content-Disposition": f'inline; filename="{filename}"',
            "Cache-Control": "private, no-store",
        }
        return Response(pdf, media_type="application/pdf", headers=headers)

    @routes.get("/app/labels/{code}", include_in_schema=False)
    def label_form(request: Request, code: str, person: Worker) -> Response:
        document = batch(code, person)
        return page(
            request,
            person,
            document,
            {},
            code=code,
            layout=label_pdf.DEFAULT_LAYOUT,
            count=str(labels.LABELS_PER_SHEET),
        )

    return routes
