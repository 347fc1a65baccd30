"""A cooperative's staff member and a partner enterprise use the app on a phone: a real
platform under uvicorn, a real headless Chromium at 360 px, signed in through real accounts.

The cooperative records a harvest, sees it in My lots, dries it and ships it to the chain's
lead; the enterprise receives it. Every tap is a real mouse press on the element's centre and
every typed character goes through the DevTools protocol's text input, so the counts printed
are what a person spends (a pick from a list costs two taps: open it, choose). Each page passes
axe-core's WCAG 2.1 AA audit and does not scroll sideways.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from services.platform.composition import WriteSide
from shared.readmodels.projections import Projections
from shared.records.actors import Role
from tests.browser import Tab, chromium, serving_built
from tests.people_world import a_person, a_write_side, looks_right, path_of, sign_in, site_at
from tests.registry_world import World, a_registry, project

pytestmark = pytest.mark.browser


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    with a_write_side(fresh_database_admin_url) as side:
        yield side


class Thumb:
    """Counts what a person spends: taps and typed characters."""

    def __init__(self, tab: Tab) -> None:
        self.tab = tab
        self.taps = 0
        self.typed = 0

    def tap(self, selector: str, *, navigates: bool = False) -> None:
        box = self.tab.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            " e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        x, y = box
        for kind in ("mousePressed", "mouseReleased"):
            self.tab.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        self.taps += 1
        if navigates:
            self.tab.wait_for_load()

    def type(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.tab.evaluate(f"document.querySelector({json.dumps(selector)}).select?.(); true")
        self.tab.call("Input.insertText", text=text)
        self.typed += len(text)

    def pick(self, selector: str, value: str) -> None:
        """Opens a list and chooses in it: two taps (headless Chromium draws no popup)."""
        self.tab.evaluate(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)});"
            f" e.value = {json.dumps(value)};"
            " e.dispatchEvent(new Event('change', {bubbles: true})); return true; })()"
        )
        self.taps += 2

    def spent(self) -> tuple[int, int]:
        spent = (self.taps, self.typed)
        self.taps = self.typed = 0
        return spent


def test_a_harvest_is_dried_shipped_and_received_in_few_taps(side: WriteSide) -> None:
    world: World = a_registry(side.records)
    projections = Projections(side.connect)
    projections.reset()
    project(side.records, projections)
    a_person(side, "0912000001", Role.COOPERATIVE, world.thieu)
    a_person(side, "0912000002", Role.ENTERPRISE, world.enterprise)
    effort: dict[str, tuple[int, int]] = {}
    with serving_built(lambda base: site_at(side, base)) as base, chromium() as tab:
        thumb = Thumb(tab)
        sign_in(tab, base, "0912000001")
        looks_right(tab, "home")

        thumb.tap("a[href='/app/record/harvest']", navigates=True)
        looks_right(tab, "harvest")
        thumb.type("#field-quantity\\.amount", "1250")
        thumb.tap("form[data-command=harvest] button[type=submit]", navigates=True)
        effort["harvest"] = thumb.spent()
        assert path_of(tab).startswith("/app/record/harvest/done?code=TH-")
        code = tab.text("strong.mono")
        looks_right(tab, "harvest-done")

        project(side.records, projections)  # the projector, by position
        tab.open(f"{base}/app/lots")
        assert code in tab.text("main")
        looks_right(tab, "my-lots")
        tab.open(f"{base}/app/record/harvest/done?code={code}")

        thumb.tap(f"a[href='/app/record/process?batch={code}']", navigates=True)
        looks_right(tab, "process")
        thumb.type("#field-quantity_after\\.amount", "5000")
        thumb.tap("form[data-command=process] button[type=submit]", navigates=True)
        assert "nhiều hơn số lượng hiện có" in tab.text("#error-quantity_after\\.amount")
        looks_right(tab, "process-refused")
        thumb.spent()  # the refusal is not part of a drying's count
        tab.open(f"{base}/app/record/process?batch={code}")
        thumb.type("#field-quantity_after\\.amount", "1100")
        thumb.tap("form[data-command=process] button[type=submit]", navigates=True)
        assert path_of(tab).startswith(f"/app/record/process/done?code={code}")
        thumb.taps += 1  # the tap from the harvest's confirmation to the form, opened above
        effort["drying"] = thumb.spent()

        thumb.tap(f"a[href='/app/record/ship?batch={code}']", navigates=True)
        looks_right(tab, "ship")
        thumb.pick("#field-to", str(world.enterprise))
        thumb.tap("form[data-command=ship] button[type=submit]", navigates=True)
        assert path_of(tab).startswith(f"/app/record/ship/done?code={code}")
        effort["shipment"] = thumb.spent()
        project(side.records, projections)

        tab.open(f"{base}/app/lots/{code}")
        assert "Đã gửi đến" in tab.text("main")
        looks_right(tab, "lot")
        tab.submit("form[action='/sign-out']", {})

        sign_in(tab, base, "0912000002")
        assert code in tab.text("main")
        thumb.tap(f"main a[href='/app/record/receive?batch={code}']", navigates=True)
        looks_right(tab, "receive")
        thumb.tap("form[data-command=receive] button[type=submit]", navigates=True)
        assert path_of(tab).startswith(f"/app/record/receive/done?code={code}")
        effort["receiving"] = thumb.spent()
        looks_right(tab, "receive-done")

    for task, (taps, typed) in effort.items():
        print(f"effort: {task}: {taps} taps, {typed} typed characters")
    assert effort["harvest"][0] <= 6
    assert effort["harvest"][1] <= 4
