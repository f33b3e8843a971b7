"""Region reference data and name handling (``dak_monitor._regions``)."""

from __future__ import annotations

import pytest

from dak_monitor._regions import short_name


@pytest.mark.parametrize(("name", "short"), [
    ("Kabupaten Garut", "Kab. Garut"), ("KOTA BANJAR", "Kota Banjar"),
    ("Kab. Bandung Barat", "Kab. Bandung Barat"), ("Kota Adm. Jakarta Pusat", "Kota Jakarta Pusat"),
    (None, ""), (float("nan"), ""),
])
def test_short_names(name: object, short: str) -> None:
    """OPD names are shortened to 'Kab. X' / 'Kota Y' for tables and axes; missing is blank."""
    assert short_name(name) == short
