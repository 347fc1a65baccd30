"""A cooperative's staff member on a phone (360 px), in a real headless Chromium, signed in
through the real accounts: a split with the live mass-balance preview, then a spraying and a
fertilising in the farm diary, counting the taps and typed characters each takes.

Taps are real pointer events at the element's centre (DevTools ``Input.dispatchMouseEvent``)
and typing is real text input (``Input.insertText``), so a count is what a thumb would do:
a tap on a link, a tap into a field and its characters, a tap on the button. Every page passes
axe-core's WCAG 2.1 AA audit and does not scroll sideways; pictures at 360 and 1280 px go to
``NGUON_TEST_SCREENSHOTS`` when it is set.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from services.capture.context import connections_of
from services.platform.composition import WriteSide
from shared.readmodels.projections import Projections
from shared.records.actors import Role
from tests.browser import Tab, chromium, serving_built
from tests.builders import a_grower, a_harvested_batch
from tests.people_world import a_person, a_write_side, looks_right, path_of, sign_in, site_at
from tests.registry_world import project

pytestmark = pytest.mark.browser


@pytest.fixture
def side(fresh_database_admin_url: str) -> Iterator[WriteSide]:
    with a_write_side(fresh_database_admin_url) as side:
        yield side


@dataclass
class Effort:
    """What a person spends on one task: taps and typed characters."""

    tab: Tab
    taps: int = 0
    typed: int = 0

    def tap(self, selector: str, *, navigates: bool = False) -> None:
        where = self.tab.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            " el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2, r.height]; })()"
        )
        x, y, height = where
        assert height >= 44 or "input" in selector, f"{selector} is a small target ({height}px)"
        for kind in ("mousePressed", "mouseReleased"):
            self.tab.call(
                "Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1
            )
        self.taps += 1
        if navigates:
            self.tab.wait_for_load()

    def type_into(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.tab.call("Input.insertText", text=text)
        self.typed += len(text)


def _select(tab: Tab, name: str, value: str) -> None:
    tab.evaluate(
        f"(() => {{ const el = document.querySelector('[name=\"{name}\"]');"
        f" el.value = {json.dumps(value)};"
        " el.dispatchEvent(new Event('change', {bubbles: true}));"
        " })()"
    )


def test_a_staff_member_splits_a_batch_and_keeps_the_diary_with_few_taps(
    side: WriteSide,
) -> None:
    grower = a_grower(side.records)
    batch = a_harvested_batch(side.records, grower)
    projections = Projections(connections_of(side.records))
    projections.reset()
    project(side.records, projections)
    a_person(side, "0912000333", Role.COOPERATIVE, grower.cooperative_id)
    with serving_built(lambda base: site_at(side, base)) as base, chromium() as tab:
        sign_in(tab, base, "0912000333")

        tab.open(f"{base}/app/record/transform?batch={batch}")
        assert tab.evaluate("document.getElementById('balance').hidden") is False
        _select(tab, "step", "splitting")
        _select(tab, "inputs.0.batch", batch)
        assert (
            tab.evaluate("document.querySelector('[name=\"inputs.0.quantity.unit\"]').value")
            == "kg"
        )
        fields = {
            "inputs.0.quantity.amount": "1000",
            "outputs.0.commodity": "rice",
            "outputs.0.quantity.amount": "600",
            "outputs.1.commodity": "rice",
            "outputs.1.quantity.amount": "500",
        }
        for name, value in fields.items():
            tab.evaluate(
                f"(() => {{ const el = document.querySelector('[name=\"{name}\"]');"
                f" el.value = {json.dumps(value)};"
                " el.dispatchEvent(new Event('input', {bubbles: true})); })()"
            )
        assert "nhiều hơn đầu vào" in tab.text("#balance-warning")
        looks_right(tab, "changes-transform-warning")
        _select(tab, "outputs.1.quantity.amount", "400")
        assert tab.evaluate("document.getElementById('balance-warning').hidden") is True
        assert tab.text("#balance-left") == "0 kg"
        before = side.records.position()
        tab.submit("#transform-form", {})
        assert path_of(tab).startswith("/app/record/transform/done")
        assert side.records.position() - before == 3
        looks_right(tab, "changes-transform-done")

        spraying = Effort(tab)
        tab.open(f"{base}/app/lots")
        spraying.tap("nav.tabs a[href='/app/diary']", navigates=True)
        looks_right(tab, "diary-plots")
        spraying.tap(f"a[href$='plot={grower.plot_id}&activity=spraying']", navigates=True)
        looks_right(tab, "diary-new-spraying")
        spraying.type_into("[name='product']", "Regent 800WG")
        spraying.type_into("[name='active_ingredient']", "Fipronil")
        spraying.type_into("[name='dose']", "20 g/bình 16 l")
        spraying.type_into("[name='pre_harvest_days']", "14")
        before = side.records.position()
        spraying.tap("form[data-command='diary'] button[type='submit']", navigates=True)
        assert side.records.position() - before == 1
        assert "Đã ghi: Phun thuốc." in tab.text("main")
        looks_right(tab, "diary-plot")

        fertilising = Effort(tab)
        tab.open(f"{base}/app/lots")
        fertilising.tap("nav.tabs a[href='/app/diary']", navigates=True)
        fertilising.tap(f"a[href$='plot={grower.plot_id}&activity=fertilising']", navigates=True)
        fertilising.type_into("[name='product']", "NPK 16-16-8")
        fertilising.type_into("[name='amount.amount']", "25")
        fertilising.tap("form[data-command='diary'] button[type='submit']", navigates=True)
        assert "Đã ghi: Bón phân." in tab.text("main")
        again = Effort(tab)  # the same product sprayed again: the form is filled in already
        tab.open(f"{base}/app/lots")
        again.tap("nav.tabs a[href='/app/diary']", navigates=True)
        again.tap(f"a[href$='plot={grower.plot_id}&activity=spraying']", navigates=True)
        assert "Đã điền sẵn" in tab.text("main")
        before = side.records.position()
        again.tap("form[data-command='diary'] button[type='submit']", navigates=True)
        assert side.records.position() - before == 1
        print(  # the README's effort table reads these
            f"\ndiary spraying: {spraying.taps} taps, {spraying.typed} typed characters"
            f"\ndiary fertilising: {fertilising.taps} taps, {fertilising.typed} typed characters"
            f"\ndiary spraying again: {again.taps} taps, {again.typed} typed characters"
        )
        assert again.taps == 3
        assert spraying.taps <= 7
        assert fertilising.taps <= 5


def test_every_lot_change_and_import_page_passes_the_audit_on_a_phone(
    side: WriteSide, tmp_path: Path
) -> None:
    grower = a_grower(side.records)
    batch = a_harvested_batch(side.records, grower)
    projections = Projections(connections_of(side.records))
    projections.reset()
    project(side.records, projections)
    a_person(side, "0912000444", Role.COOPERATIVE, grower.cooperative_id)
    with serving_built(lambda base: site_at(side, base)) as base, chromium() as tab:
        sign_in(tab, base, "0912000444")
        for form in ("inspect", "label", "sell", "correct", "recall"):
            tab.open(f"{base}/app/record/{form}?batch={batch}")
            assert tab.evaluate(f"!!document.querySelector(\"form[data-command='{form}']\")")
            looks_right(tab, f"changes-{form}")
        tab.open(f"{base}/app/record/inspect?batch={batch}")
        tab.submit("form[data-command='inspect']", {"result": "pass"})
        assert "Phòng kiểm nghiệm" in tab.text("#error-summary")
        looks_right(tab, "changes-inspect-refused")
        tab.open(f"{base}/app/import")
        looks_right(tab, "import-upload")
        sheet = tmp_path / "thu-hoach.csv"
        sheet.write_text(
            "thửa đất;sản phẩm;số lượng;đơn vị;ngày thu hoạch\n"
            f"{grower.plot_id};lúa;1.250,5;kg;05/10/2025\n"
            f"{grower.plot_id};lúa;nhiều;kg;05/10/2025\n",
            encoding="utf-8",
        )
        root = tab.call("DOM.getDocument")["root"]["nodeId"]
        node = tab.call("DOM.querySelector", nodeId=root, selector="input[type=file]")["nodeId"]
        tab.call("DOM.setFileInputFiles", files=[str(sheet)], nodeId=node)
        tab.submit("form[action='/app/import/preview']", {})
        assert "Dòng 3:" in tab.text("main")
        looks_right(tab, "import-preview")
        before = side.records.position()
        tab.submit("form[action='/app/import/confirm']", {})
        assert path_of(tab).startswith("/app/import/done")
        assert side.records.position() - before == 1
        looks_right(tab, "import-done")
