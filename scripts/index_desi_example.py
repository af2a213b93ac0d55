"""Write the bundled DESI 2022 example (iData, iMeta) from ../shared/data/eu_desi2022_*.

    .venv/bin/python scripts/index_desi_example.py ../shared/data \
        src/digimeter/index/examples/desi2022
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(src: Path, out: Path) -> None:
    meta = pd.read_csv(src / "eu_desi2022_indicator_metadata.csv", dtype={"dimension_code": str})
    long = pd.read_csv(src / "eu_desi2022_indicators_long.csv")
    long = long[long.desi_edition == 2022]
    wide = long.pivot(index="country", columns="indicator_code", values="value")
    wide = wide[list(meta.indicator_code)]
    wide.columns = [f"i{c}" for c in wide.columns]
    wide.insert(0, "Time", 2022)
    wide.insert(0, "uCode", wide.index)
    wide.to_csv(out / "iData.csv", index=False)
    rows = []
    for r in meta.itertuples():
        rows.append({"Level": 1, "iCode": f"i{r.indicator_code}", "iName": r.indicator_name,
                     "Direction": r.direction, "Weight": r.weight_in_subdimension,
                     "Parent": f"s{r.subdimension_code}", "Type": "Indicator",
                     "goalpost_lower": r.norm_min, "goalpost_upper": r.norm_max,
                     "goalpost_scale": 100, "goalpost_trunc2posts": "FALSE", "Unit": r.unit})
    subs = meta.drop_duplicates("subdimension_code")
    for r in subs.itertuples():
        rows.append({"Level": 2, "iCode": f"s{r.subdimension_code}", "iName": r.subdimension_name,
                     "Direction": 1, "Weight": r.subdimension_weight_in_dimension,
                     "Parent": f"d{r.dimension_code}", "Type": "Aggregate"})
    for r in subs.drop_duplicates("dimension_code").itertuples():
        rows.append({"Level": 3, "iCode": f"d{r.dimension_code}", "iName": r.dimension_name,
                     "Direction": 1, "Weight": r.dimension_weight, "Parent": "DESI",
                     "Type": "Aggregate"})
    rows.append({"Level": 4, "iCode": "DESI", "iName": "Digital Economy and Society Index",
                 "Direction": 1, "Weight": 1, "Type": "Aggregate"})
    pd.DataFrame(rows).to_csv(out / "iMeta.csv", index=False)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
