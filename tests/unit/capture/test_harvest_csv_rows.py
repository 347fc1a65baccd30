"""Reading harvest rows from a spreadsheet's CSV export, before anything reaches the records."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from services.capture.errors import RowRefused
from services.capture.importing import harvest_rows
from shared.domain.errors import InvalidValue
from shared.domain.quantities import Unit

PLOT, OTHER_PLOT = uuid4(), uuid4()


def test_a_row_becomes_a_harvest_with_its_row_number() -> None:
    text = f"plot_ids,commodity,quantity,unit,harvested_on\n{PLOT},rice,1000.5,kg,2025-10-05\n"

    ((row, harvest),) = harvest_rows(text)

    command = harvest.to_command()
    assert row == 2
    assert command.plot_ids == [PLOT]
    assert command.quantity.amount == Decimal("1000.5")
    assert command.quantity.unit is Unit.KG
    assert command.harvested_on == date(2025, 10, 5)
    assert command.variety is None


def test_several_plots_share_one_cell() -> None:
    header = "plot_ids,commodity,quantity,unit,harvested_on"
    text = f'{header}\n"{PLOT}, {OTHER_PLOT}",rice,1,t,2025-10-05\n'

    ((_, harvest),) = harvest_rows(text)

    assert harvest.plot_ids == [PLOT, OTHER_PLOT]


def test_row_numbers_count_blank_lines_as_a_spreadsheet_does() -> None:
    line = f"{PLOT},rice,1,kg,2025-10-05"
    text = f"plot_ids,commodity,quantity,unit,harvested_on\n{line}\n\n,,,,\n{line}\n"

    assert [row for row, _ in harvest_rows(text)] == [2, 5]


def test_tab_separated_files_are_read() -> None:
    text = f"plot_ids\tcommodity\tquantity\tunit\tharvested_on\n{PLOT}\trice\t5\tkg\t2025-10-05\n"

    assert len(harvest_rows(text)) == 1


def test_a_bad_cell_names_its_column_and_row() -> None:
    text = (
        "plot_ids,commodity,quantity,unit,harvested_on\n"
        f"{PLOT},rice,1,kg,2025-10-05\n"
        f"{PLOT},rice,1,bao,2025-10-05\n"
    )

    with pytest.raises(RowRefused) as refused:
        harvest_rows(text)

    assert refused.value.row == 3
    assert refused.value.index == 1
    assert isinstance(refused.value.error, InvalidValue)
    assert refused.value.error.field == "unit"


def test_a_row_longer_than_the_header_is_refused() -> None:
    text = f"plot_ids,commodity,quantity,unit,harvested_on\n{PLOT},rice,1,kg,2025-10-05,extra\n"

    with pytest.raises(RowRefused) as refused:
        harvest_rows(text)

    assert refused.value.row == 2


def test_a_date_in_another_format_is_refused() -> None:
    text = f"plot_ids,commodity,quantity,unit,harvested_on\n{PLOT},rice,1,kg,05/10/2025\n"

    with pytest.raises(RowRefused) as refused:
        harvest_rows(text)

    assert isinstance(refused.value.error, InvalidValue)
    assert refused.value.error.field == "harvested_on"
