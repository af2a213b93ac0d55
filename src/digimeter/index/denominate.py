"""Denomination as COINr's ``Denominate()``: indicators divided by a per-unit denominator."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from digimeter.errors import InputError
from digimeter.index.data import Table, Units
from digimeter.index.framework import Framework


def denominators_from_meta(fw: Framework) -> dict[str, str]:
    return {c: str(fw.param(c, "Denominator")) for c in fw.indicators
            if fw.param(c, "Denominator") is not None}


def denominate(table: Table, units: Units, denomby: Mapping[str, str],
               scale: Mapping[str, float] | None = None, where: str = "denominate") -> Table:
    """Each indicator in ``denomby`` divided by its denominator / scale factor."""
    scale = scale or {}
    rows = units.lookup(table.units)
    out = table.values.copy()
    for code, denom in denomby.items():
        if code not in table.codes:
            raise InputError(f"indicator {code} is not in the data set", where=where)
        if denom not in units.denominators:
            raise InputError(f"denominator {denom!r} of {code} is not a column of iData",
                             where=where)
        d = units.denominators[denom][rows] / float(scale.get(code, 1.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, table.codes.index(code)] = table.column(code) / d
    return table.with_values(out)
