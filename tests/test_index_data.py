"""Reading COINr's iData/iMeta (CSV and Excel) and the errors that name row and column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from digimeter.errors import InputError, RowError
from digimeter.index.data import load, read_meta
from digimeter.index.pipeline import load_pipeline
from tests.index_helpers import ASEM, needs_oracle

META = "Level,iCode,iName,Direction,Weight,Parent,Type\n"
GOOD_META = META + ("1,a,A,1,1,P,Indicator\n1,b,B,-1,1,P,Indicator\n1,c,C,1,2,Q,Indicator\n"
                    "2,P,P,1,1,T,Aggregate\n2,Q,Q,1,1,T,Aggregate\n3,T,T,1,1,,Aggregate\n"
                    ",grp,Group,,,,Group\n")
GOOD_DATA = "uCode,uName,grp,a,b,c\nX1,One,g1,1,2,3\nX2,Two,g2,4,NA,6\nX3,Three,g1,7,8,\n"


def _write(tmp_path, meta=GOOD_META, data=GOOD_DATA):
    (tmp_path / "m.csv").write_text(meta)
    (tmp_path / "d.csv").write_text(data)
    return tmp_path / "d.csv", tmp_path / "m.csv"


def test_a_small_framework_loads_with_missing_cells(tmp_path):
    d = load(*_write(tmp_path))[0]
    assert d.framework.level_codes(2) == ("P", "Q")
    assert d.units.codes == ("X1", "X2", "X3")
    assert np.isnan(d.raw.values[1, 1]) and np.isnan(d.raw.values[2, 2])
    assert list(d.units.groups["grp"]) == ["g1", "g2", "g1"]


@pytest.mark.parametrize("meta_edit, message, row, column", [
    (("2,Q,Q,1,1,T,Aggregate", "2,Q,Q,1,1,Nowhere,Aggregate"), "not an iCode", 6, "Parent"),
    (("2,P,P,1,1,T,Aggregate\n2,Q,Q,1,1,T,Aggregate",
      "2,P,P,1,1,Q,Aggregate\n2,Q,Q,1,1,P,Aggregate"), "cycle", 6, "Parent"),
    (("1,b,B,-1,1,P", "1,b,B,-2,1,P"), "not 1 or -1", 3, "Direction"),
    (("1,c,C,1,2,Q", "1,c,C,1,heavy,Q"), "not a number", 4, "Weight"),
    (("1,c,C,1,2,Q,Indicator", "1,c,C,1,2,Q,Indicatr"), "Type", 4, "Type"),
    (("1,c,C,1,2,Q", "1,a,C,1,2,Q"), "duplicate iCode", 4, "iCode"),
    (("1,c,C,1,2,Q", "2,c,C,1,2,Q"), "not 1", 4, "Level"),
])
def test_meta_errors_name_row_and_column(tmp_path, meta_edit, message, row, column):
    meta = GOOD_META.replace(*meta_edit)
    assert meta != GOOD_META
    with pytest.raises(RowError, match=message) as err:
        load(*_write(tmp_path, meta=meta))
    assert (err.value.row, err.value.column) == (row, column)


def test_aggregate_without_children(tmp_path):
    meta = GOOD_META.replace("1,c,C,1,2,Q,", "1,c,C,1,2,P,")
    with pytest.raises(RowError, match="no children") as err:
        load(*_write(tmp_path, meta=meta))
    assert err.value.row == 6


def test_indicator_without_data_names_its_imeta_row(tmp_path):
    data = GOOD_DATA.replace(",c\n", "\n").replace(",3\n", "\n").replace(",6\n", "\n") \
        .replace(",8,\n", ",8\n")
    with pytest.raises(RowError, match="indicator c has no column") as err:
        load(*_write(tmp_path, data=data))
    assert err.value.file.endswith("m.csv") and err.value.row == 4


def test_non_numeric_cell_names_row_and_column(tmp_path):
    with pytest.raises(RowError, match="'n/a!' is not a number") as err:
        load(*_write(tmp_path, data=GOOD_DATA.replace("4,NA,6", "4,n/a!,6")))
    assert (err.value.row, err.value.column) == (3, "b")
    assert "d.csv, row 3, column 'b'" in str(err.value)


def test_unknown_column_and_duplicate_unit(tmp_path):
    with pytest.raises(RowError, match="not in iMeta"):
        load(*_write(tmp_path, data=GOOD_DATA.replace("uCode,uName,grp,a,b,c",
                                                       "uCode,uName,grp,a,b,zz")))
    with pytest.raises(RowError, match="duplicate uCode") as err:
        load(*_write(tmp_path, data=GOOD_DATA.replace("X3,", "X1,")))
    assert err.value.row == 4


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_meta(tmp_path / "none.csv")
    (tmp_path / "p.yaml").write_text("steps:\n  - treat: {winmax: [\n")
    with pytest.raises(InputError, match="YAML"):
        load_pipeline(tmp_path / "p.yaml")
    (tmp_path / "p.yaml").write_text("steps:\n  - smooth: {}\n")
    with pytest.raises(InputError, match="unknown step 'smooth'") as err:
        load_pipeline(tmp_path / "p.yaml")
    assert "step 1" in str(err.value)


def test_a_panel_splits_into_one_data_set_per_time(tmp_path):
    data = ("uCode,Time,a,b,c\nX1,2020,1,2,3\nX2,2020,4,5,6\nX1,2021,2,3,4\nX2,2021,5,6,7\n")
    parts = load(*_write(tmp_path, data=data))
    assert [p.units.time[0] for p in parts] == [2020, 2021]
    assert parts[1].raw.values[0, 0] == 2


@needs_oracle
def test_excel_tables_read_like_csv(tmp_path):
    for name in ("ASEM_iData", "ASEM_iMeta"):
        pd.read_csv(ASEM / f"{name}.csv").to_excel(tmp_path / f"{name}.xlsx", index=False)
    from_excel = load(tmp_path / "ASEM_iData.xlsx", tmp_path / "ASEM_iMeta.xlsx")[0]
    from_csv = load(ASEM / "ASEM_iData.csv", ASEM / "ASEM_iMeta.csv")[0]
    assert from_excel.raw.codes == from_csv.raw.codes
    assert np.allclose(from_excel.raw.values, from_csv.raw.values, equal_nan=True, rtol=1e-15)
