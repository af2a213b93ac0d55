#!/usr/bin/env python3
"""Build the dashboard's map boundaries (src/digimeter/web/static/maps/) keyed by GB/T 2260 code.

    python scripts/build_boundaries.py                  # npm pack echarts@4.9.0 into a temp dir
    python scripts/build_boundaries.py --tarball PATH   # use a tarball already downloaded

Source: the map data that Apache ECharts shipped in its npm package up to 4.9.0
(``map/json/china.json``: provinces, ``map/json/china-cities.json``: prefecture-level
divisions), released by the Apache Software Foundation under Apache-2.0. Only the data is
used. The geometry there is quantised and "UTF-8 encoded" (ECharts' compact form); this
script decodes it to plain GeoJSON, simplifies it (Douglas-Peucker, coordinates rounded) and
keys every feature by the current GB/T 2260 code from ``digimeter.regions``: the source's
codes date from about 2015, so a division that has been renamed, recoded or merged since
then follows the region table's successor links (莱芜 → 济南, 吐鲁番地区 → 吐鲁番市, ...),
and features that land on the same current code are joined into one MultiPolygon. The
source's name is checked against the region table's; what cannot be mapped, and current
divisions with no shape, are listed in SOURCES.md. The output depends only on the tarball and
the region table, so a rebuild is byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from digimeter.errors import UnknownRegionError
from digimeter.regions import load_regions
from digimeter.regions.table import RegionTable

PACKAGE = "echarts"
VERSION = "4.9.0"
TARBALL_SHA256 = "d2bdf8af1b218d3885a518072788a3b7f0c2d3f8925ec8585a36be5ee5add3f2"
OUT = Path(__file__).resolve().parents[1] / "src" / "digimeter" / "web" / "static" / "maps"
LEVELS = {
    # level: (file in the tarball, output file, tolerance in degrees, decimals, min ring area)
    1: ("package/map/json/china.json", "china-provinces.geojson", 0.03, 2, 0.02),
    2: ("package/map/json/china-cities.json", "china-cities.geojson", 0.02, 2, 0.002),
}


# --- ECharts' compact geometry -------------------------------------------------------------

def decode_ring(text: str, offsets: list[int], scale: float = 1024.0) -> list[list[float]]:
    """ECharts' ``UTF8Encoding``: zigzag-coded deltas of quantised coordinates, two
    characters a point, starting from ``encodeOffsets``."""
    x, y = offsets
    out = []
    for i in range(0, len(text) - 1, 2):
        dx, dy = ord(text[i]) - 64, ord(text[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        out.append([x / scale, y / scale])
    return out


def decode_geometry(geometry: dict) -> list[list[list[list[float]]]]:
    """The geometry as a list of polygons, each a list of rings."""
    coords, offsets = geometry["coordinates"], geometry["encodeOffsets"]
    if geometry["type"] == "Polygon":
        coords, offsets = [coords], [offsets]
    return [[decode_ring(ring, off) for ring, off in zip(poly, poly_off, strict=True)]
            for poly, poly_off in zip(coords, offsets, strict=True)]


# --- simplification ------------------------------------------------------------------------

def _distance(p: list[float], a: list[float], b: list[float]) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    if dx == dy == 0:
        return ((px - ax) ** 2 + (py - ay) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return ((px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2) ** 0.5


def douglas_peucker(points: list[list[float]], tolerance: float) -> list[list[float]]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, at = 0.0, None
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > worst:
                worst, at = d, i
        if at is not None and worst > tolerance:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1],
                                                                      strict=True))) / 2


def simplify_ring(ring: list[list[float]], tolerance: float, decimals: int
                  ) -> list[list[float]] | None:
    if ring[0] != ring[-1]:
        ring = [*ring, ring[0]]
    # split the closed ring in two so that the end points of each half are far apart
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2
              + (ring[i][1] - ring[0][1]) ** 2)
    half = douglas_peucker(ring[:far + 1], tolerance)[:-1] + douglas_peucker(ring[far:],
                                                                              tolerance)
    out: list[list[float]] = []
    for x, y in half:
        point = [round(x, decimals), round(y, decimals)]
        if not out or out[-1] != point:
            out.append(point)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def simplify(polygons: list, tolerance: float, decimals: int, min_area: float) -> list:
    """Polygons simplified; islands and holes below ``min_area`` (square degrees) dropped,
    except that a division always keeps its largest polygon."""
    biggest = max(polygons, key=lambda p: area(p[0]))
    out = []
    for poly in polygons:
        if poly is not biggest and area(poly[0]) < min_area:
            continue
        rings = []
        for i, ring in enumerate(poly):
            if i and area(ring) < min_area:
                continue
            simple = simplify_ring(ring, tolerance, decimals)
            if simple is None and i == 0:
                simple = [[round(x, decimals), round(y, decimals)] for x, y in ring]
            if simple is not None:
                rings.append(simple)
            elif i == 0:
                break
        if rings:
            out.append(rings)
    return out


# --- names to codes ------------------------------------------------------------------------

def same_name(short: str, full: str) -> bool:
    """The source writes short names ("合肥", "内蒙古", "克孜勒苏"); the table full ones."""
    return full.startswith(short) or short.startswith(full)


def map_feature(table: RegionTable, code: str, name: str, level: int
                ) -> tuple[str | None, str]:
    """The current code of a source feature and a note of how it was found."""
    try:
        region = table.get(code)
    except UnknownRegionError:
        found = [r for r in table.candidates(name) if r.is_current and r.level == level]
        if len(found) == 1:
            return found[0].code, f"code {code} unknown; matched by name {name}"
        return None, f"code {code} unknown and name {name} matches {len(found)} divisions"
    if not same_name(name, region.name_zh):
        return None, f"name {name} differs from the table's {region.name_zh} for {code}"
    if region.is_current:
        return region.code, ""
    try:
        now = table.current(code)
    except UnknownRegionError as exc:
        return None, str(exc)
    while now.level > level and now.parent_code and now.parent_code != "CN":
        parent = table.get(now.parent_code)
        if parent.level < level:
            break
        now = parent
    return now.code, (f"{region.name_zh} ({code}, until {region.valid_to}) → "
                      f"{now.name_zh} ({now.code})")


def build_level(table: RegionTable, source: dict, level: int, tolerance: float,
                decimals: int, min_area: float) -> tuple[dict, list[str], list[str]]:
    merged: dict[str, list] = {}
    sources: dict[str, list[str]] = {}
    notes, unmapped = [], []
    for feature in source["features"]:
        props = feature["properties"]
        code = str(feature.get("id") or props.get("id"))
        name = props["name"]
        current, note = map_feature(table, code, name, level)
        if current is None:
            unmapped.append(f"{name} ({code}): {note}")
            continue
        if note:
            notes.append(note)
        merged.setdefault(current, []).extend(decode_geometry(feature["geometry"]))
        sources.setdefault(current, []).append(code)
    features = []
    for code in sorted(merged):
        polygons = simplify(merged[code], tolerance, decimals, min_area)
        region = table.get(code)
        geometry = ({"type": "Polygon", "coordinates": polygons[0]} if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons})
        features.append({"type": "Feature", "id": code,
                         "properties": {"code": code, "name_zh": region.name_zh,
                                        "name_en": region.name_en,
                                        "source_codes": sorted(sources[code])},
                         "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}, notes, unmapped


def missing(table: RegionTable, collection: dict, level: int) -> list[str]:
    """Current divisions of this level that no feature covers (by itself or a parent)."""
    have = {f["id"] for f in collection["features"]}
    out = []
    for r in table.at_level(level):
        if r.code in have or any(p.code in have for p in table.parents(r.code)):
            continue
        out.append(f"{r.name_zh} {r.name_en} ({r.code})")
    return out


# --- the run -------------------------------------------------------------------------------

def download(tmp: Path) -> Path:
    subprocess.run(["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}"], cwd=tmp, check=True,
                   stdout=subprocess.DEVNULL)
    return tmp / f"{PACKAGE}-{VERSION}.tgz"


def dump(collection: dict) -> str:
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="echarts-4.9.0.tgz already downloaded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or download(Path(tmp))
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if TARBALL_SHA256 and digest != TARBALL_SHA256:
            raise SystemExit(f"{tarball}: sha256 {digest}, expected {TARBALL_SHA256}")
        with tarfile.open(tarball) as tar:
            licence = tar.extractfile("package/LICENSE").read().decode("utf-8")
            sources = {level: json.load(tar.extractfile(member))
                       for level, (member, *_rest) in LEVELS.items()}
    table = load_regions()
    OUT.mkdir(parents=True, exist_ok=True)
    report = []
    for level, (member, name, tolerance, decimals, min_area) in LEVELS.items():
        collection, notes, unmapped = build_level(table, sources[level], level, tolerance,
                                                  decimals, min_area)
        text = dump(collection)
        (OUT / name).write_text(text + "\n", encoding="utf-8")
        report.append((level, member, name, len(sources[level]["features"]),
                       len(collection["features"]), len(text.encode("utf-8")) + 1,
                       tolerance, decimals, notes, unmapped, missing(table, collection, level)))
        print(f"{name}: {len(collection['features'])} features, {len(text) // 1024} KB, "
              f"{len(unmapped)} unmapped")
    assert "Apache License" in licence
    (OUT / "SOURCES.md").write_text(sources_md(digest, report), encoding="utf-8")


def sources_md(digest: str, report: list) -> str:
    lines = [
        "# Map boundaries: sources",
        "",
        "Generated by `scripts/build_boundaries.py`; do not edit the files here by hand. "
        "Rebuild with",
        "",
        "    python scripts/build_boundaries.py            # npm pack echarts@4.9.0",
        "    python scripts/build_boundaries.py --tarball PATH/echarts-4.9.0.tgz",
        "",
        "## Source",
        "",
        f"The npm package `{PACKAGE}@{VERSION}` (Apache ECharts 4.9.0, released by the Apache "
        "Software Foundation), tarball sha256 "
        f"`{digest}`: its files `map/json/china.json` (provinces) and "
        "`map/json/china-cities.json` (prefecture-level divisions). Only the data is used.",
        "",
        "Licence: Apache License 2.0, the licence of the whole ECharts 4.9.0 release, which "
        "carried these files (ECharts 5 and later no longer ship map data; the maintainers "
        "advise that the old files may be out of date). The ECharts map data originates from "
        "Baidu's ECharts project, which published it under BSD-3-Clause before donating "
        "ECharts to the ASF. Attribution: Apache ECharts, Copyright 2017-2020 The Apache "
        "Software Foundation. Changes: decoded from ECharts' compact encoding, simplified, "
        "rekeyed to current GB/T 2260 codes, divisions merged since the source was made "
        "joined.",
        "",
        "Caution: these boundaries are for showing statistics, not for delimiting territory. "
        "They have no map-review number (审图号); a map of China published to the public in "
        "China needs one (《地图管理条例》), so a public deployment there should replace them "
        "with an approved base map in the same GeoJSON form (features keyed by `id` = code).",
        "",
        "## Files",
        "",
        "| file | level | source features | features | bytes | tolerance (°) | decimals |",
        "|---|---|---|---|---|---|---|",
    ]
    for level, _member, name, n_src, n_out, size, tol, dec, *_ in report:
        lines.append(f"| `{name}` | {level} | {n_src} | {n_out} | {size:,} | {tol} | {dec} |")
    lines += ["", "Each feature has `id` = the current six-digit code and properties `code`, "
              "`name_zh`, `name_en` (from the region table) and `source_codes` (the codes the "
              "source used for it). Municipalities, Hong Kong, Macao and Taiwan appear as one "
              "feature on the city map; county-level cities administered directly by a "
              "province (海南, 新疆, 湖北, 河南) appear under their own codes."]
    for level, _member, name, *_rest, notes, unmapped, absent in report:
        lines += ["", f"## `{name}`: recoded divisions", ""]
        lines += [f"- {n}" for n in notes] or ["- none"]
        lines += ["", f"## `{name}`: source features that could not be mapped", ""]
        lines += [f"- {u}" for u in unmapped] or ["- none"]
        lines += ["", f"## `{name}`: current level-{level} divisions with no shape", ""]
        lines += [f"- {m}" for m in absent] or ["- none"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
