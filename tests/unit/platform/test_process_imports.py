"""Each production process loads only its own service: a relay or a projector does not carry the
HTTP apps, PDF labels and fonts that ``nguon serve`` needs (half the memory, a tenth the start)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HTTP_APPS = ("services.web.app", "services.capture.app", "services.province.app", "fpdf")


def _loaded_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_the_command_line_alone_loads_no_app() -> None:
    loaded = _loaded_after("import services.platform.cli")

    assert not loaded & set(HTTP_APPS)
    assert "services.platform.composition" not in loaded


@pytest.mark.parametrize(
    ("process", "own"),
    [
        ("relay", "services.relay.relay"),
        ("projector", "services.projector.projector"),
    ],
)
def test_a_kafka_process_loads_its_own_service_and_no_app(process: str, own: str) -> None:
    loaded = _loaded_after(f"import services.platform.cli\nimport {own}")

    assert own in loaded
    assert not loaded & set(HTTP_APPS), process
