"""The pages in real headless Chromium (Debian's, driven by Playwright): navigation from the
overview to a quote in its document, both languages, inert untrusted text, a curation.

Runs when Chromium is installed (``.ci/run`` installs it); DIGIMETER_TEST_CHROMIUM names
another binary, and a run that names one that is missing fails rather than skips.
Screenshots are kept in build/test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from digimeter.imports import import_file
from digimeter.ingest import read_document
from digimeter.store.documents import add_document
from digimeter.store.tokens import create_token
from tests.conftest import ROOT, served
from tests.test_web_pages import EVIL, records_of

CHROMIUM = os.environ.get("DIGIMETER_TEST_CHROMIUM") or shutil.which("chromium")
ARTIFACTS = ROOT / "build" / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and "DIGIMETER_TEST_CHROMIUM" not in os.environ,
    reason="Chromium is not installed (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from digimeter.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('site') / 'site.db'}"
    engine = open_store(url)
    add_document(engine, read_document(EVIL.encode("utf-8"), name="evil.txt"), records_of)
    stats = tmp_path_factory.mktemp("stats") / "stats.csv"  # a second point for the charts
    stats.write_text("region,indicator,year,value,unit,source\n"
                     "广州市,fiveg_base_stations,2022,6.5,万个,广州市统计局\n", encoding="utf-8")
    import_file(engine, stats)
    token = create_token(engine, "li", "editor")
    engine.dispose()
    with served(url) as base:
        yield base, token


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM and Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def fit_a_phone(page, base: str, paths: tuple[str, ...], lang: str) -> None:
    """Each page in ``lang`` is no wider than the 390 px phone screen of ``page``."""
    for path in paths:
        page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"{path} overflows a phone screen ({width}px)"


def test_overview_to_region_to_quote_in_its_document(site, page):
    base, _ = site
    page.goto(base + "/?lang=en")
    page.click("text=Guangzhou")
    assert page.url.endswith("/regions/440100")
    page.click("text=到2025年，广州市5G基站达到8万座")
    assert "/documents/1#r1" in page.url
    mark = page.locator("mark#r1")
    assert mark.is_visible() and mark.inner_text() == "到2025年，广州市5G基站达到8万座"
    outline = mark.evaluate("m => getComputedStyle(m).outlineStyle")
    assert outline == "solid"  # the :target highlight
    page.screenshot(path=str(ARTIFACTS / "document-quote.png"), full_page=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_in_both_languages_at_phone_width(site, page, lang):
    base, _ = site
    fit_a_phone(page, base, ("/", "/regions/440100", "/documents", "/documents/1",
                             "/records/1"), lang)
    page.screenshot(path=str(ARTIFACTS / f"record-{lang}.png"), full_page=True)


def test_untrusted_document_stays_inert(site, page):
    base, _ = site
    page.goto(base + "/documents/1")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    article = page.locator("article.document")
    assert article.locator("script, img, a").count() == 0
    assert "<script>alert('x')</script>" in article.inner_text()


def test_curation_with_a_token_shows_in_the_history(site, page):
    base, token = site
    page.goto(base + "/login?lang=en")
    page.fill("input[name=token]", token)
    page.click("button:has-text('Sign in')")
    page.goto(base + "/records/2?lang=en")
    page.fill("input[name=reason]", "restates the plan")
    page.click("button[value=confirm]")
    page.wait_for_url(base + "/records/2")
    history = page.locator("table.history").inner_text()
    assert "li" in history and "confirm" in history and "restates the plan" in history
    page.screenshot(path=str(ARTIFACTS / "curation.png"), full_page=True)


# --- charts: drawn by the vendored ECharts from /static, with no network -------------------

INK = """el => {
    const canvases = [...el.querySelectorAll('canvas')];
    let ink = 0, total = 0;
    const colours = new Set();
    for (const c of canvases) {
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        total += c.width * c.height;
        for (let i = 3; i < data.length; i += 4) {
            if (data[i] > 0) {
                ink++;
                colours.add((data[i-3] << 16) | (data[i-2] << 8) | data[i-1]);
            }
        }
    }
    return {canvases: canvases.length, ink, total, colours: colours.size};
}"""
# the colour the map shows at a longitude and latitude (ECharts converts to pixels)
COLOUR_AT = """([el, lon, lat]) => {
    const chart = echarts.getInstanceByDom(el);
    const [x, y] = chart.convertToPixel({seriesIndex: 0}, [lon, lat]);
    const c = el.querySelector('canvas');
    const ratio = c.width / el.clientWidth;
    const d = c.getContext('2d')
        .getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data;
    return [d[0], d[1], d[2], d[3]];
}"""

# the centres of the ink blobs in a chart's top-right corner (its toolbox icons), in CSS px
ICONS = """el => {
    const c = el.querySelector('canvas'), ratio = c.width / el.clientWidth;
    const w = Math.round(90 * ratio), h = Math.round(50 * ratio), x0 = c.width - w;
    const d = c.getContext('2d').getImageData(x0, 0, w, h).data;
    const cols = [], rows = [];
    for (let x = 0; x < w; x++) for (let y = 0; y < h; y++)
        if (d[(y * w + x) * 4 + 3] > 0) { cols[x] = true; rows.push(y); }
    const runs = [];
    for (let x = 0; x < w; x++) {
        if (cols[x] && !cols[x - 1]) runs.push([x, x]);
        if (cols[x]) runs[runs.length - 1][1] = x;
    }
    const top = Math.min(...rows), bottom = Math.max(...rows);
    return runs.map(([a, b]) => [(x0 + (a + b) / 2) / ratio, (top + bottom) / 2 / ratio]);
}"""


def drawn(page, selector: str) -> dict:
    """Wait until the chart's canvas has ink (ECharts animates in), then measure it."""
    page.wait_for_function(
        f"() => {{ const el = document.querySelector({selector!r}); return el && "
        "el.dataset.state === 'ready' && el.querySelector('canvas'); }")
    page.wait_for_function(f"el => ({INK})(el).ink > 0.02 * ({INK})(el).total",
                           arg=page.locator(selector).element_handle())
    return page.locator(selector).evaluate(INK)


@pytest.fixture
def wide_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    failed: list[str] = []
    pg.on("requestfailed", lambda r: failed.append(r.url))
    pg.on("pageerror", lambda e: failed.append(str(e)))
    pg.failed = failed
    yield pg
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_map_is_coloured_by_share_on_track(site, wide_page, lang):
    base, _ = site
    page = wide_page
    page.goto(f"{base}/?lang={lang}")
    ink = drawn(page, "#map")
    assert ink["canvases"] >= 1 and ink["colours"] > 10
    # Guangdong (Guangzhou's target on track: 48,000 → 65,000 by 2022 towards 80,000 in
    # 2025) is green; Xinjiang, with no targets, is the grey of an area without data
    map_el = page.locator("#map").element_handle()
    guangdong = page.evaluate(COLOUR_AT, [map_el, 113.3, 23.6])
    xinjiang = page.evaluate(COLOUR_AT, [map_el, 85.0, 41.5])
    assert guangdong[3] == 255 and guangdong[1] > guangdong[0] + 40, guangdong
    assert abs(xinjiang[0] - xinjiang[1]) < 20 and xinjiang[0] > 150, xinjiang
    words = page.evaluate("JSON.parse(document.getElementById('chart-text').textContent)")
    assert words["chart_map_title"] in page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('map')).getOption().title[0].text")
    page.screenshot(path=str(ARTIFACTS / f"overview-map-{lang}.png"), full_page=True)
    # by city: Guangzhou itself is coloured
    page.click("[data-map-level='2']")
    page.wait_for_function("document.getElementById('map').dataset.level === '2' && "
                           "document.getElementById('map').dataset.state === 'ready'")
    guangzhou = page.evaluate(COLOUR_AT, [map_el, 113.4, 23.3])
    assert guangzhou[1] > guangzhou[0] + 40, guangzhou
    page.screenshot(path=str(ARTIFACTS / f"overview-map-cities-{lang}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # the map follows a phone's width
    page.wait_for_function("document.getElementById('map').clientWidth <= 390")
    assert drawn(page, "#map")["ink"] > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.screenshot(path=str(ARTIFACTS / f"overview-map-phone-{lang}.png"), full_page=True)
    assert page.failed == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_series_chart_with_target_and_trajectory(site, wide_page, lang):
    base, _ = site
    page = wide_page
    page.goto(f"{base}/regions/440100?lang={lang}")
    ink = drawn(page, "#series .chart.series")
    assert ink["canvases"] >= 1 and ink["colours"] > 5
    option = page.evaluate("""() => {
        const o = echarts.getInstanceByDom(document.querySelector('#series .chart')).getOption();
        return {title: o.title[0].text, series: o.series.map(s => [s.name, s.data.length])};
    }""")
    words = page.evaluate("JSON.parse(document.getElementById('chart-text').textContent)")
    assert option["series"] == [[words["chart_observed"], 2], [words["chart_target"], 1],
                                [words["chart_trajectory"], 6]]
    assert option["title"] == ("5G base stations (cumulative stock)" if lang == "en"
                               else "5G基站数")
    page.locator("#series").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"region-series-{lang}.png"), full_page=True)
    assert page.failed == []


def test_charts_save_as_png_and_svg(site, wide_page, tmp_path):
    base, _ = site
    page = wide_page
    page.goto(f"{base}/regions/440100?lang=en")
    drawn(page, "#series .chart.series")
    chart = page.locator("#series .chart.series")
    box = chart.bounding_box()
    icons = chart.evaluate(ICONS)
    assert len(icons) == 2, icons  # the toolbox, top right: PNG, then SVG
    (png_x, png_y), (svg_x, svg_y) = icons
    with page.expect_download() as png:
        page.mouse.click(box["x"] + png_x, box["y"] + png_y)
    with page.expect_download() as svg:
        page.mouse.click(box["x"] + svg_x, box["y"] + svg_y)
    png_path, svg_path = tmp_path / "chart.png", tmp_path / "chart.svg"
    png.value.save_as(png_path)
    svg.value.save_as(svg_path)
    assert png.value.suggested_filename.endswith(".png")
    assert png_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg_path.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "5G base stations" in text and "<path" in text


# --- stored indices: rank intervals, the map by index, a region against a benchmark ------

@pytest.fixture(scope="module")
def index_site(tmp_path_factory):
    from tests.web_index_helpers import store_runs

    folder = tmp_path_factory.mktemp("index-site")
    url = f"sqlite:///{folder / 'site.db'}"
    ids = store_runs(url, folder)
    with served(url) as base:
        yield base, ids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_view_draws_rank_intervals(index_site, wide_page, lang):
    base, ids = index_site
    page = wide_page
    page.goto(f"{base}/indexes/{ids['provinces']}?lang={lang}")
    ink = drawn(page, "#rank-band")
    assert ink["colours"] > 5
    option = page.evaluate("""() => {
        const o = echarts.getInstanceByDom(document.getElementById('rank-band')).getOption();
        return {units: o.yAxis[0].data, series: o.series.map(s => s.data.length)};
    }""")
    assert len(option["units"]) == 8 and option["series"] == [8, 8, 8, 8]
    page.screenshot(path=str(ARTIFACTS / f"index-ranks-{lang}.png"), full_page=True)
    assert page.failed == []


def test_overview_map_coloured_by_a_macro_region_index(index_site, wide_page):
    base, ids = index_site
    page = wide_page
    page.goto(f"{base}/?lang=en")
    page.select_option("select[name=index]", str(ids["groups"]))  # submits the form
    page.wait_for_url(f"{base}/?index={ids['groups']}")
    drawn(page, "#map")
    map_el = page.locator("#map").element_handle()
    beijing, shanghai, sichuan = (page.evaluate(COLOUR_AT, [map_el, lon, lat])
                                  for lon, lat in ((116.4, 40.2), (121.4, 31.1), (103.0, 30.5)))
    assert beijing == shanghai  # both painted with the eastern region's score
    assert beijing != sichuan and beijing[3] == sichuan[3] == 255
    page.screenshot(path=str(ARTIFACTS / "overview-map-index-en.png"), full_page=True)
    assert page.failed == []


def test_region_pillars_against_a_chosen_benchmark(index_site, wide_page):
    base, ids = index_site
    page = wide_page
    page.goto(f"{base}/regions/440000?lang=en")
    drawn(page, "#pillars")
    page.select_option("select[name=benchmark]", "510000")
    page.wait_for_url(lambda u: "benchmark=510000" in u)
    drawn(page, "#pillars")
    legend = page.evaluate("echarts.getInstanceByDom(document.getElementById('pillars'))"
                           ".getOption().legend[0].data")
    assert legend == ["广东省", "四川省"]
    page.screenshot(path=str(ARTIFACTS / "region-benchmark-en.png"), full_page=True)
    assert page.failed == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_index_pages_fit_a_phone(index_site, page, lang):
    base, ids = index_site
    fit_a_phone(page, base, ("/indexes", f"/indexes/{ids['provinces']}",
                             f"/indexes/{ids['desi']}", f"/?index={ids['groups']}",
                             "/regions/440000"), lang)
    page.screenshot(path=str(ARTIFACTS / f"region-benchmark-phone-{lang}.png"), full_page=True)
