"""The platform's one error root for code outside the domain: ``shared.errors.NguonError``.

It is defined in ``shared.domain.errors`` because the pure domain must derive its refusals from it
and may import nothing above itself.
"""

from __future__ import annotations

from shared.domain.errors import NguonError

__all__ = ["NguonError"]
