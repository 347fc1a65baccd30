"""What can go wrong on a public page, each mapped to one HTTP status in ``app.install``.

Each error names a catalogue message (see ``i18n``) so the page explains it in the reader's
language; ``detail`` is the raw value the reader sent, shown back to them escaped.
"""

from __future__ import annotations

from shared.errors import NguonError


class WebError(NguonError):
    """Root of the errors a public page shows as a friendly page."""

    status_code = 500
    title_key = "error_title"
    message_key = "error_message"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"{type(self).__name__}: {detail}")
        self.detail = detail


class MalformedRequestError(WebError):
    """A value in the address cannot be an identifier we issue."""

    status_code = 400
    title_key = "malformed_title"
    message_key = "malformed_message"


class MalformedBatchCodeError(MalformedRequestError):
    message_key = "malformed_code_message"


class MalformedGtinError(MalformedRequestError):
    message_key = "malformed_gtin_message"


class MalformedLotError(MalformedRequestError):
    message_key = "malformed_lot_message"


class MalformedDigitalLinkError(MalformedRequestError):
    """Not a GS1 Digital Link path: odd segments, an unknown or out-of-order qualifier."""

    message_key = "malformed_link_message"


class MalformedPositionError(MalformedRequestError):
    message_key = "malformed_position_message"


class BatchNotFoundError(WebError):
    """The identifier is well formed, but no batch carries it (yet)."""

    status_code = 404
    title_key = "not_found_title"
    message_key = "not_found_message"


class ProductNotFoundError(BatchNotFoundError):
    """A well-formed GTIN that no batch of ours carries."""

    message_key = "product_not_found_message"


class LinkTypeNotFoundError(WebError):
    """The resolver holds no link of the ``linkType`` asked for (GS1-Conformant Resolver)."""

    status_code = 404
    title_key = "link_type_not_found_title"
    message_key = "link_type_not_found_message"


class ProjectionsBehindError(WebError):
    """The client asked to read its own write, and the read side has not caught up in time."""

    status_code = 503
    title_key = "behind_title"
    message_key = "behind_message"
