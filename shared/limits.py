"""How long a text the platform takes, through any door.

The capture API's schemas (``services.capture.schemas.common``) and EPCIS capture
(``shared.epcis.event_fields``) both hold a partner to these, so a fact refused by one is not
stored through the other: a name of 10,000 characters would break every page that shows it.
"""

from __future__ import annotations

TEXT = 200  # a name, a place, a step, a document's number
LONG_TEXT = 2_000  # a reason, a note
FACT_KEY = 100  # a measured parameter's name
FACT_VALUE = 500  # and its value
FACTS = 100  # parameters on one inspection
