"""Reading an uploaded CSV into the records' commands, without a database: Vietnamese or
English headers, Vietnamese dates, numbers and activity words, and row-numbered problems."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from services.cooperative_app.imports.columns import DIARY, HARVESTS
from services.cooperative_app.imports.rows import (
    MAX_BYTES,
    FileRefused,
    decode,
    plot_finder,
    read_rows,
)
from shared.i18n.translator import Translator
from shared.records import commands as c

PLOT = uuid4()
PLOTS = plot_finder({"VT-TH-0001": PLOT, "vt-th-0001": PLOT, str(PLOT): PLOT})
VI = Translator("vi")


def test_a_vietnamese_harvest_row_becomes_the_apis_harvest_command() -> None:
    text = (
        "thửa đất;sản phẩm;số lượng;đơn vị;ngày thu hoạch\nvt-th-0001;lúa;1.250,5;kg;05/10/2025\n"
    )
    [row] = read_rows(text, HARVESTS, PLOTS, VI)
    assert row.line == 2
    assert isinstance(row.command, c.HarvestBatch)
    assert row.command.plot_ids == [PLOT]
    assert row.command.quantity.amount == Decimal("1250.5")
    assert row.command.harvested_on == date(2025, 10, 5)


def test_english_headers_and_iso_dates_are_read_alike() -> None:
    text = "plot_ids,commodity,quantity,unit,harvested_on\nVT-TH-0001,rice,900,t,2025-10-05\n"
    [row] = read_rows(text, HARVESTS, PLOTS, VI)
    assert isinstance(row.command, c.HarvestBatch)
    assert str(row.command.quantity) == "900 t"


def test_a_diary_row_says_its_activity_in_vietnamese() -> None:
    text = "thửa đất,công việc,ngày,sản phẩm,lượng\nVT-TH-0001,Bón phân,01/09/2025,NPK,25\n"
    [row] = read_rows(text, DIARY, PLOTS, VI)
    assert isinstance(row.command, c.RecordDiaryEntry)
    assert row.command.activity == "fertilising"
    assert row.command.amount is not None
    assert str(row.command.amount) == "25 kg"  # a unit left empty is kilograms


def test_a_cell_that_cannot_be_read_names_its_column() -> None:
    text = (
        "thửa đất;sản phẩm;số lượng;ngày thu hoạch\n"
        "VT-TH-0001;lúa;nhiều;05/10/2025\n"
        "VT-X;lúa;3;05/10/2025\n"
    )
    first, second = read_rows(text, HARVESTS, PLOTS, VI)
    assert first.problem is not None
    assert first.problem.startswith("cột «số lượng»")
    assert second.problem is not None
    assert "VT-X" in second.problem


def test_an_unknown_column_refuses_the_whole_file() -> None:
    with pytest.raises(FileRefused) as refused:
        read_rows("thửa đất;màu sắc\nVT-TH-0001;đỏ\n", HARVESTS, PLOTS, VI)
    assert refused.value.message_id == "import_unknown_column"


def test_a_file_larger_than_the_bound_is_refused_before_it_is_read() -> None:
    with pytest.raises(FileRefused) as refused:
        decode(b"x" * (MAX_BYTES + 1))
    assert refused.value.message_id == "import_too_large"
