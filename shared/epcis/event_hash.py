"""The CBV 2.0 canonical event hash: every EPCIS event's ``eventID``.

CBV 2.0 (§ "Event hash") defines the id as ``ni:///sha-256;<hex>?ver=CBV2.0`` over a pre-hash
string built from the event: its fields in a fixed order (eventType, eventTime, …, readPoint,
bizLocation, sensor data), each as ``name=value`` with no separator; values canonical (times in
UTC at millisecond precision, numbers without superfluous zeros, CBV words as web vocabulary
URIs, every GS1 key as a canonical GS1 Digital Link URI); lists sorted; then every remaining
field (ILMD, business transactions, sources, destinations, extensions) sorted; ``eventID``,
``recordTime``, ``errorDeclaration`` and comments take no part.  Where the standard leaves room,
this module follows what the reference implementation's published vectors show (business
transactions, sources and destinations sort with the remaining fields).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

# Fields that never take part in the hash.
_IGNORED = frozenset(
    {
        "type",
        "eventID",
        "recordTime",
        "errorDeclaration",
        "@context",
        "comment",
        "rdfs:comment",
        "#text",
    }
)
_EPC_LISTS = frozenset({"epcList", "inputEPCList", "childEPCs", "outputEPCList"})
_QUANTITY_LISTS = frozenset(
    {"quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"}
)
_PAIRED_LIST_MEMBERS = {
    "bizTransactionList": "bizTransaction",
    "sourceList": "source",
    "destinationList": "destination",
}
# The standard's order of the fields that come first, before the sorted remainder.
_ORDER = (
    "eventTime", "eventTimeZoneOffset", "certificationInfo", "parentID", "epcList", "inputEPCList",
    "childEPCs", "quantityList", "childQuantityList", "inputQuantityList", "outputEPCList",
    "outputQuantityList", "action", "transformationID", "bizStep", "disposition",
    "persistentDisposition", "readPoint", "bizLocation", "sensorElementList",
)  # fmt: skip
_QUANTITY_ORDER = ("epcClass", "quantity", "uom")
_SENSOR_METADATA_ORDER = (
    "time", "startTime", "endTime", "deviceID", "deviceMetadata", "rawData",
    "dataProcessingMethod", "bizRules",
)  # fmt: skip
_SENSOR_REPORT_ORDER = (
    "type", "exception", "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "time",
    "microorganism", "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
    "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
    "percValue",
    "uom", "coordinateReferenceSystem",
)  # fmt: skip
# Bare CBV words, by the field that holds them, and the vocabulary they belong to.
_CBV_BARE_WORDS = {
    "bizStep": "https://ref.gs1.org/cbv/BizStep-",
    "disposition": "https://ref.gs1.org/cbv/Disp-",
    "set": "https://ref.gs1.org/cbv/Disp-",
    "unset": "https://ref.gs1.org/cbv/Disp-",
}
_OLD_CBV_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def event_hash(event: Mapping[str, Any], context: Any = None) -> str:
    """The event's CBV 2.0 id, ``ni:///sha-256;<hex>?ver=CBV2.0``.

    ``context`` is the enclosing document's ``@context`` when the event carries none of its own:
    it names the namespaces of extension fields.
    """
    digest = hashlib.sha256(prehash(event, context).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


def prehash(event: Mapping[str, Any], context: Any = None) -> str:
    """The canonical pre-hash string of one EPCIS event (JSON-LD, as a mapping)."""
    return _Canonicaliser(_namespaces(context, event.get("@context"))).event(event)


def _namespaces(*contexts: Any) -> dict[str, str]:
    """Prefix → namespace IRI from the JSON-LD contexts' inline objects (remote ones name none)."""
    found: dict[str, str] = {}
    for context in contexts:
        entries = context if isinstance(context, list) else [context]
        for entry in entries:
            if isinstance(entry, Mapping):
                found.update({k: v for k, v in entry.items() if isinstance(v, str)})
    return found


class _Canonicaliser:
    def __init__(self, namespaces: Mapping[str, str]) -> None:
        self._namespaces = namespaces

    def event(self, event: Mapping[str, Any]) -> str:
        # An empty field (an empty epcList, say) is left out, as if absent.
        ordered = [
            self._ordered_field(name, event[name])
            for name in _ORDER
            if name in event and event[name] not in ([], {}, "", None)
        ]
        remainder = sorted(
            self._top_level_remainder(name, value)
            for name, value in event.items()
            if name not in _IGNORED and name not in _ORDER
        )
        return f"eventType={event.get('type', '')}" + "".join(ordered) + "".join(remainder)

    # --- the fields in the standard's order

    def _ordered_field(self, name: str, value: Any) -> str:
        if name in _EPC_LISTS:
            return name + "".join(
                sorted(f"epc={self._value('epc', epc)}" for epc in _as_list(value))
            )
        if name in _QUANTITY_LISTS:
            elements = (
                self._structure("quantityElement", element, _QUANTITY_ORDER) for element in value
            )
            return name + "".join(sorted(elements))
        if name == "persistentDisposition":
            return self._structure(name, value, ("set", "unset"))
        if name in ("readPoint", "bizLocation"):
            return self._structure(name, value, ("id",))
        if name == "sensorElementList":
            return name + "".join(sorted(self._sensor_element(element) for element in value))
        return "".join(sorted(self._scalar(name, item) for item in _as_list(value)))

    def _sensor_element(self, element: Mapping[str, Any]) -> str:
        text = "sensorElement"
        if "sensorMetadata" in element:
            text += self._structure(
                "sensorMetadata", element["sensorMetadata"], _SENSOR_METADATA_ORDER
            )
        reports = (
            self._structure("sensorReport", r, _SENSOR_REPORT_ORDER, "sensorReport")
            for r in _as_list(element.get("sensorReport", []))
        )
        text += "".join(sorted(reports))
        return text + self._extensions(element, ("sensorMetadata", "sensorReport"))

    def _structure(
        self, name: str, value: Mapping[str, Any], order: Sequence[str], context: str = ""
    ) -> str:
        """``name``, its known children in ``order`` (each group sorted), then its extensions."""
        text = name
        for child in order:
            if child in value:
                text += "".join(
                    sorted(self._scalar(child, item, context) for item in _as_list(value[child]))
                )
        return text + self._extensions(value, order)

    def _extensions(self, value: Mapping[str, Any], known: Iterable[str]) -> str:
        known = set(known)
        return "".join(
            sorted(
                self._generic(k, v)
                for k, v in value.items()
                if k not in known and k not in _IGNORED
            )
        )

    # --- everything else: sorted, generic

    def _top_level_remainder(self, name: str, value: Any) -> str:
        if name in _PAIRED_LIST_MEMBERS and isinstance(value, list):
            # A pair (type, id) in the order the standard gives, each pair as one item of the list.
            return name + "".join(sorted(self._pair(member, name) for member in value))
        if name.endswith("List") and isinstance(value, list):
            return name + "".join(sorted(self._generic(name[:-4], item) for item in value))
        return "".join(sorted(self._generic(name, item) for item in _as_list(value)))

    def _pair(self, member: Mapping[str, Any], list_name: str) -> str:
        vocabulary = "BTT-" if list_name == "bizTransactionList" else "SDT-"
        text = ""
        for key, value in member.items():
            if key == "type":
                word = str(value).strip()
                text += "type=" + (
                    f"https://ref.gs1.org/cbv/{vocabulary}{word}"
                    if _BARE_WORD.fullmatch(word)
                    else self._value(key, word)
                )
            elif key not in _IGNORED:
                text += self._generic(key, value)
        return text

    def _generic(self, name: str, value: Any) -> str:
        key = self._key(name)
        if isinstance(value, Mapping):
            children = [self._generic(k, v) for k, v in value.items() if k not in _IGNORED]
            if not any(k in ("bizTransaction", "source", "destination") for k in value):
                children.sort()
            return key + "".join(children)
        if isinstance(value, list):
            return "".join(sorted(self._generic(name, item) for item in value))
        return self._scalar(name, value)

    # --- names and values

    def _key(self, name: str) -> str:
        prefix, sep, local = name.partition(":")
        if sep and prefix in self._namespaces:
            return "{" + self._namespaces[prefix] + "}" + local
        return name

    def _scalar(self, name: str, value: Any, context: str = "") -> str:
        if isinstance(value, Mapping):
            return self._generic(name, value)
        text = self._value(name, value, context)
        return self._key(name) + (f"={text}" if text else "")

    def _value(self, name: str, value: Any, context: str = "") -> str:
        text = ("true" if value else "false") if isinstance(value, bool) else str(value).strip()
        if not text:
            return ""
        lowered = name.lower()
        if "time" in lowered and "offset" not in lowered:
            return _utc_milliseconds(text)
        if _BARE_WORD.fullmatch(text):
            if name in _CBV_BARE_WORDS:
                return _CBV_BARE_WORDS[name] + text
            if name in ("type", "exception") and context == "sensorReport":
                return "https://gs1.org/voc/" + text
        text = self._expand_prefix(text)
        for old, new in _OLD_CBV_URNS:
            text = text.replace(old, new)
        if _NUMBER.fullmatch(text):
            number = float(text)
            return str(int(number)) if number.is_integer() else str(number)
        return _canonical_gs1_uri(text) or text

    def _expand_prefix(self, text: str) -> str:
        prefix, sep, local = text.partition(":")
        if sep and prefix in self._namespaces:
            return self._namespaces[prefix] + local
        return text


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _utc_milliseconds(text: str) -> str:
    """An ISO 8601 time in UTC at millisecond precision, ``…T…:…:….mmmZ``; other text unchanged."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    milliseconds = round(moment.microsecond / 1000)
    moment = moment.replace(microsecond=0) + timedelta(milliseconds=milliseconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# --- GS1 keys as canonical Digital Link URIs (GS1 EPC Tag Data Standard, GS1 Digital Link)

_DL_ESCAPES = str.maketrans(
    {"!": "%21", "(": "%28", ")": "%29", "*": "%2A", "+": "%2B", ",": "%2C", ":": "%3A"}
)
_EPC_URN = re.compile(r"urn:epc:(id|class|idpat):([a-z]+):(.+)")
_SHORT_NAMES = {
    "gtin": "01", "itip": "8006", "cpid": "8010", "gln": "414", "party": "417", "gsrnp": "8017",
    "gsrn": "8018", "gcn": "255", "sscc": "00", "gdti": "253", "ginc": "401", "gsin": "402",
    "grai": "8003", "giai": "8004", "cpv": "22", "lot": "10", "ser": "21",
}  # fmt: skip
_PRIMARY_KEYS = (
    "01",
    "8006",
    "8010",
    "414",
    "417",
    "8017",
    "8018",
    "255",
    "00",
    "253",
    "401",
    "402",
    "8003",
    "8004",
)
_DL_PATH = re.compile(r"https?://[^/?#]+(/[^?#]*)?(\?[^#]*)?(#.*)?")


def _check_digit(digits: str) -> str:
    """GS1's mod-10 check digit: weights 3 and 1 from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str(-total % 10)


def _with_check_digit(digits: str) -> str:
    return digits + _check_digit(digits)


def _tail(parts: list[str], start: int) -> str:
    """The EPC's parts from ``start`` on (a serial may hold dots), escaped for Digital Link."""
    return ".".join(parts[start:]).translate(_DL_ESCAPES)


def _gtin(company: str, item: str) -> str:
    """GTIN-14 from an EPC's company prefix and item reference (indicator digit first)."""
    return _with_check_digit(item[:1] + company + item[1:])


def _canonical_gs1_uri(text: str) -> str | None:
    """The canonical GS1 Digital Link URI of a GS1 key (EPC URI, EPC class or pattern, Digital
    Link on any domain), at its finest level and without qualifiers that are not part of the id;
    ``None`` when ``text`` names no GS1 key."""
    urn = _EPC_URN.fullmatch(text)
    if urn:
        return _from_epc_urn(urn.group(1), urn.group(2), urn.group(3).split("."))
    if text.startswith(("http://", "https://")):
        return _from_digital_link(text)
    return None


def _from_epc_urn(kind: str, scheme: str, parts: list[str]) -> str | None:  # noqa: PLR0912
    base = "https://id.gs1.org/"
    if not parts[0].isdigit():
        return None
    company = parts[0]
    if kind == "id":
        if scheme == "sgtin" and len(parts) >= 3:
            return f"{base}01/{_gtin(company, parts[1])}/21/{_tail(parts, 2)}"
        if scheme == "sscc" and len(parts) == 2:
            return f"{base}00/{_with_check_digit(parts[1][:1] + company + parts[1][1:])}"
        if scheme == "sgln" and len(parts) >= 3:
            extension = ".".join(parts[2:])
            gln = _with_check_digit(company + parts[1])
            return f"{base}414/{gln}" + (
                "" if extension == "0" else f"/254/{extension.translate(_DL_ESCAPES)}"
            )
        if scheme == "pgln" and len(parts) == 2:
            return f"{base}417/{_with_check_digit(company + parts[1])}"
        if scheme == "grai" and len(parts) >= 3:
            return f"{base}8003/{_with_check_digit('0' + company + parts[1])}{_tail(parts, 2)}"
        if scheme == "giai" and len(parts) >= 2:
            return f"{base}8004/{company}{_tail(parts, 1)}"
        if scheme in ("gsrn", "gsrnp") and len(parts) == 2:
            ai = "8018" if scheme == "gsrn" else "8017"
            return f"{base}{ai}/{_with_check_digit(company + parts[1])}"
        if scheme == "gdti" and len(parts) >= 3:
            return f"{base}253/{_with_check_digit(company + parts[1])}{_tail(parts, 2)}"
        if scheme == "sgcn" and len(parts) == 3:
            return f"{base}255/{_with_check_digit(company + parts[1])}{parts[2]}"
        if scheme == "cpi" and len(parts) >= 3:
            part = (company + ".".join(parts[1:-1])).translate(_DL_ESCAPES)
            return f"{base}8010/{part}/8011/{parts[-1]}"
        if scheme == "ginc" and len(parts) >= 2:
            return f"{base}401/{company}{_tail(parts, 1)}"
        if scheme == "gsin" and len(parts) == 2:
            return f"{base}402/{_with_check_digit(company + parts[1])}"
        if scheme == "itip" and len(parts) >= 5:
            serial = ".".join(parts[4:]).translate(_DL_ESCAPES)
            return f"{base}8006/{_gtin(company, parts[1])}{parts[2]}{parts[3]}/21/{serial}"
        if scheme == "upui" and len(parts) >= 3:
            return f"{base}01/{_gtin(company, parts[1])}/235/{_tail(parts, 2)}"
        return None
    if kind == "class" and scheme == "lgtin" and len(parts) >= 3:
        return f"{base}01/{_gtin(company, parts[1])}/10/{_tail(parts, 2)}"
    if kind == "idpat" and parts[-1] == "*":
        if scheme in ("sgtin", "upui") and len(parts) == 3:
            return f"{base}01/{_gtin(company, parts[1])}"
        if scheme == "grai" and len(parts) == 3:
            return f"{base}8003/{_with_check_digit('0' + company + parts[1])}"
        if scheme == "gdti" and len(parts) == 3:
            return f"{base}253/{_with_check_digit(company + parts[1])}"
        if scheme == "sgcn" and len(parts) == 3:
            return f"{base}255/{_with_check_digit(company + parts[1])}"
        if scheme == "cpi" and len(parts) >= 3:
            return f"{base}8010/{(company + '.'.join(parts[1:-1])).translate(_DL_ESCAPES)}"
        if scheme == "itip" and len(parts) == 5:
            return f"{base}8006/{_gtin(company, parts[1])}{parts[2]}{parts[3]}"
    return None


def _from_digital_link(uri: str) -> str | None:
    match = _DL_PATH.fullmatch(uri)
    if not match or not match.group(1):
        return None
    segments = [_SHORT_NAMES.get(s, s) for s in match.group(1).strip("/").split("/")]
    start = next(
        (i for i, s in enumerate(segments) if s in _PRIMARY_KEYS and i + 1 < len(segments)), None
    )
    if start is None or not segments[start + 1][:4].isdigit():
        return None
    key, value, *qualifiers = segments[start:]
    if key == "01" and value.isdigit() and len(value) in (8, 12, 13):
        value = value.zfill(14)
    pairs = [(qualifiers[i], qualifiers[i + 1]) for i in range(0, len(qualifiers) - 1, 2)]
    pairs = [
        (ai, v) for ai, v in pairs if ai != "22"
    ]  # a consumer product variant is not part of the id
    if any(ai == "21" for ai, _ in pairs):
        pairs = [(ai, v) for ai, v in pairs if ai != "10"]  # the serial is finer than the lot
    return "https://id.gs1.org/" + "/".join([key, value, *(f"{ai}/{v}" for ai, v in pairs)])
