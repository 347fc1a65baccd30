"""Request and answer models of the capture API (pydantic; the OpenAPI schema comes from them)."""
