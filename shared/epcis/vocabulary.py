"""The CBV 2.0 words the mapping uses, and the units of measure (UN/ECE Recommendation 20).

Bare words, as EPCIS 2.0 JSON-LD writes them under GS1's default context (``shipping`` stands for
``https://ref.gs1.org/cbv/BizStep-shipping``).
"""

from __future__ import annotations

# The GS1 context, and the platform's own terms for facts CBV has no word for.
GS1_CONTEXT = "https://ref.gs1.org/standards/epcis/epcis-context.jsonld"
NGUON_PREFIX = "nguon"
NGUON_NAMESPACE = "urn:nguon:vocab:"
CONTEXT = [GS1_CONTEXT, {NGUON_PREFIX: NGUON_NAMESPACE}]

# Domain units → UN/ECE Rec 20 codes. A bundle (bó: vegetables, herbs) is Rec 20's XBE (the
# package types of Rec 21 that Rec 20 lists with an X), so bundles never add up with pieces.
UOM = {"kg": "KGM", "t": "TNE", "L": "LTR", "piece": "H87", "bundle": "XBE"}

# Processing steps → CBV business steps. CBV names few food-processing steps; where it has none
# (drying, milling, …) the event says ``other`` and names the step in ``nguon:step``.
PROCESSING_STEPS = {"packing": "packing", "storing": "storing", "sorting": "inspecting"}
OTHER = "other"

# Vietnam keeps one time zone, without daylight saving.
VIETNAM_OFFSET = "+07:00"
