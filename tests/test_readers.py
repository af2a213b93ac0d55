"""Document readers on real corpus texts and on PDF/DOCX/HTML files generated here."""

from __future__ import annotations

import datetime
import hashlib
import http.server
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import docx
import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from digimeter.errors import DocumentError, TooLargeError
from digimeter.ingest import readers
from digimeter.ingest.readers import (
    DEFAULT_MAX_BYTES,
    ParsedDocument,
    fetch_url,
    iter_paths,
    read_document,
    read_path,
)

CORPUS = Path("/work/shared/corpus")
SEEDS = sorted((CORPUS / "seeds").glob("*.txt"))
ZH_DOCS = sorted(
    path for path in [*(CORPUS / "dev" / "docs").glob("*_zh.txt"), *(CORPUS / "news").glob("*.txt")]
)
TRADITIONAL = CORPUS / "dev" / "docs" / "05_cn_caict_digital_economy_white_paper_2022_zh.txt"
SIMPLIFIED = CORPUS / "dev" / "docs" / "01_jiangxi_digital_economy_action_plan_2020_2022_zh.txt"

def _utf8(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings -------------------------------------------------------------------------------


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


# GBK lacks a few characters two seeds hold (©, »); those seeds are checked in GB18030 only.
SEED_ENCODINGS = [(seed, enc) for seed in SEEDS for enc in ("gbk", "gb18030")
                  if _encodable(_utf8(seed), enc)]


@pytest.mark.parametrize(("seed", "encoding"), SEED_ENCODINGS,
                         ids=lambda v: v.name if isinstance(v, Path) else v)
def test_seed_reencoded_gives_same_text_and_hash(tmp_path: Path, seed: Path,
                                                 encoding: str) -> None:
    original = read_path(seed)
    assert original.encoding == "utf-8"
    assert original.text == _utf8(seed)
    assert original.sha256 == hashlib.sha256(seed.read_bytes()).hexdigest()
    data = original.text.encode(encoding)
    copy = read_path(_write(tmp_path, seed.name, data))
    assert copy.text == original.text
    assert copy.sha256 == original.sha256
    assert copy.encoding == "gb18030"
    assert copy.title == original.title and copy.published == original.published


def test_every_seed_is_covered_by_gbk_or_gb18030() -> None:
    assert len(SEEDS) >= 5
    assert sum(_encodable(_utf8(seed), "gbk") for seed in SEEDS) >= 3


@pytest.mark.parametrize("doc", ZH_DOCS, ids=lambda p: p.name)
def test_chinese_corpus_documents_survive_gb18030(doc: Path) -> None:
    text = _utf8(doc)
    parsed = read_document(text.encode("gb18030"), name=doc.name)
    assert parsed.text == text
    assert parsed.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_traditional_chinese_big5_decodes_to_the_same_text() -> None:
    text = _utf8(TRADITIONAL)
    parsed = read_document(text.encode("big5"), name=TRADITIONAL.name)
    assert parsed.text == text
    assert parsed.encoding in ("big5", "cp950", "big5hkscs")
    assert parsed.language == "zh"
    assert parsed.sha256 == read_path(TRADITIONAL).sha256


@pytest.mark.parametrize("length", [4, 8, 16, 40])
def test_short_texts_are_not_confused_between_gb18030_and_big5(length: int) -> None:
    traditional = _utf8(TRADITIONAL).split("\n")[1][:length]
    simplified = _utf8(SIMPLIFIED)[:length]
    assert read_document(traditional.encode("big5"), name="t.txt").text == traditional
    assert read_document(simplified.encode("gbk"), name="s.txt").text == simplified


def test_utf8_bom_utf16_bom_and_crlf() -> None:
    text = _utf8(SIMPLIFIED)
    plain = read_document(text.encode("utf-8"), name="a.txt")
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16"),
                 text.encode("utf-16-be").join([b"\xfe\xff", b""])):
        parsed = read_document(data, name="a.txt")
        assert parsed.text == text and parsed.sha256 == plain.sha256
    crlf = read_document(text.replace("\n", "\r\n").encode("utf-8"), name="a.txt")
    assert crlf.text == text and "\r" not in crlf.text
    assert crlf.sha256 == plain.sha256


def test_fullwidth_characters_are_folded_only_in_text_normalized() -> None:
    text = "到２０２５年，全市５Ｇ基站达到１２万个（ＧＤＰ占比１０％）。\u3000完成。\n"
    parsed = read_document(text.encode("utf-8"), name="fw.txt")
    assert parsed.text == text
    assert "２０２５年" in parsed.text
    assert parsed.text_normalized == "到2025年,全市5G基站达到12万个(GDP占比10%)。 完成。\n"
    assert len(parsed.text_normalized) == len(parsed.text)
    assert parsed.text_normalized.index("2025") == parsed.text.index("２０２５")


def test_language_rule() -> None:
    assert read_path(SEEDS[0]).language == "en"  # English with a few Chinese names
    assert read_path(SIMPLIFIED).language == "zh"  # Chinese with "5G", "VR"
    assert read_document(b"2021 2022 100% 3.5\n", name="n.txt").language is None


# --- plain-text metadata ----------------------------------------------------------------------


def test_plain_text_metadata_from_labelled_lines() -> None:
    seed = read_path(SEEDS[0])
    assert seed.title is not None and seed.title.startswith("Local plans are released")
    assert seed.published == datetime.date(2021, 12, 30)
    assert seed.publisher == "上海证券报"
    assert seed.media_type == "text" and seed.file_name == SEEDS[0].name
    assert seed.source == str(SEEDS[0].absolute())
    assert seed.size_bytes == SEEDS[0].stat().st_size

    labelled_only = read_path(CORPUS / "seeds" / "003_fe300cc3074475da.txt")
    assert labelled_only.title is None  # first line is a metadata line, not a title
    assert labelled_only.published == datetime.date(2022, 5, 12)

    news = read_path(CORPUS / "news" / "04_guangzhou-software-2020.txt")
    assert news.publisher == "广州日报"
    assert news.published == datetime.date(2021, 2, 26)
    assert news.title == "广州2020年软件和信息服务业规模近5000亿元,同比增长14.7%"


def test_plain_text_metadata_is_conservative() -> None:
    parsed = read_document("第一段文字说明了情况。2021年12月30日召开会议。\n第二段。\n".encode(),
                           name="p.txt")
    assert parsed.title is None and parsed.published is None and parsed.publisher is None
    breadcrumb = read_path(CORPUS / "seeds" / "001_bc7dd4b855dc8a3c.txt")
    assert breadcrumb.title is not None and not breadcrumb.title.startswith("Home")


# --- HTML -------------------------------------------------------------------------------------


def _html_page(body: str, *, charset: str = "utf-8", with_article: bool = True) -> str:
    paragraphs = "".join(f"<p>{line}</p>\n" for line in body.split("\n") if line.strip())
    article = (
        "<article><h1>江西出台数字经济发展三年行动计划</h1>"
        '<time datetime="2020-04-17">2020-04-17</time>\n' + paragraphs + "</article>"
        if with_article else ""
    )
    return f"""<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>江西出台数字经济发展三年行动计划 - 江西物流网</title>
<meta property="og:site_name" content="江西物流网">
<meta property="article:published_time" content="2020-04-17T09:00:00+08:00">
<script>var tracker = "SCRIPT_SECRET"; document.write("SCRIPT_WRITE");</script>
<style>.nav {{ color: red }}</style>
</head><body>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">NAVLINK新闻中心</a></li>
<li><a href="/policy">NAVLINK政策法规</a></li>
<li><a href="/about">NAVLINK关于我们</a></li></ul></nav>
{article}
<footer><p>FOOTERTEXT 版权所有 &copy; 2020 江西物流网 赣ICP备12345678号</p>
<p><a href="/contact">NAVLINK联系我们</a></p></footer>
<script>alert("SCRIPT_ALERT")</script>
</body></html>"""


def test_html_boilerplate_removed_title_and_date_kept(tmp_path: Path) -> None:
    body = _utf8(SIMPLIFIED)
    path = _write(tmp_path, "jiangxi.html", _html_page(body).encode("utf-8"))
    parsed = read_path(path)
    assert parsed.media_type == "html" and parsed.encoding == "utf-8"
    first_paragraph = body.split("\n")[0]
    assert first_paragraph in parsed.text
    assert "我省将以数字产业化和产业数字化为主线" in parsed.text
    for marker in ("SCRIPT_SECRET", "SCRIPT_WRITE", "SCRIPT_ALERT", "NAVLINK", "FOOTERTEXT",
                   "color: red", "document.write"):
        assert marker not in parsed.text
    assert parsed.title is not None and "江西出台数字经济发展三年行动计划" in parsed.title
    assert parsed.published == datetime.date(2020, 4, 17)
    assert parsed.publisher == "江西物流网"
    assert parsed.language == "zh"


def test_html_in_gbk_with_meta_charset(tmp_path: Path) -> None:
    body = _utf8(SIMPLIFIED)
    utf8 = read_document(_html_page(body).encode("utf-8"), name="a.html")
    gbk = read_document(_html_page(body, charset="gbk").encode("gbk"), name="a.html")
    assert gbk.text == utf8.text and gbk.sha256 == utf8.sha256
    assert gbk.encoding == "gb18030"


def test_html_sniffed_despite_txt_extension() -> None:
    page = _html_page(_utf8(SIMPLIFIED)).encode("utf-8")
    assert read_document(page, name="saved.txt").media_type == "html"


def test_html_without_article_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "portal.html", _html_page("", with_article=False).encode("utf-8"))
    with pytest.raises(DocumentError, match="no article text found") as info:
        read_path(path)
    assert "portal.html" in str(info.value)


# --- PDF --------------------------------------------------------------------------------------

PDF_LINES = ["到2025年，数字经济核心产业增加值占GDP比重达到10%。", "全省累计建成5G基站12万个。"]


def _chinese_pdf(lines: list[str], *, title: str | None = "数字经济发展规划") -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)  # fixed creation date 2000-01-01
    if title:
        pdf.setTitle(title)
    for page_lines in (lines[:1], lines[1:]):
        pdf.setFont("STSong-Light", 12)
        for index, line in enumerate(page_lines):
            pdf.drawString(72, 720 - 20 * index, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_pdf_with_cid_font_chinese_text(tmp_path: Path) -> None:
    parsed = read_path(_write(tmp_path, "plan.pdf", _chinese_pdf(PDF_LINES)))
    assert parsed.media_type == "pdf" and parsed.encoding is None
    for line in PDF_LINES:
        assert line in parsed.text
    assert parsed.text.index(PDF_LINES[0]) < parsed.text.index(PDF_LINES[1])
    assert parsed.title == "数字经济发展规划"
    assert parsed.published == datetime.date(2000, 1, 1)
    assert parsed.language == "zh"
    assert parsed.text_normalized.count("2025") == 1


def test_truncated_pdf_is_refused(tmp_path: Path) -> None:
    data = _chinese_pdf(PDF_LINES)
    for cut in (len(data) // 2, len(data) - 30):
        path = _write(tmp_path, "cut.pdf", data[:cut])
        with pytest.raises(DocumentError, match="damaged PDF") as info:
            read_path(path)
        assert "cut.pdf" in str(info.value)


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(72, 72, 200, 300, fill=1)  # an image-like page: no text
    pdf.showPage()
    pdf.save()
    path = _write(tmp_path, "scan.pdf", buffer.getvalue())
    with pytest.raises(DocumentError, match=r"PDF has no text layer \(scanned\?\)") as info:
        read_path(path)
    assert "scan.pdf" in str(info.value)


# --- DOCX -------------------------------------------------------------------------------------


def _docx() -> bytes:
    document = docx.Document()
    document.core_properties.title = "余姚市数字经济政策"
    document.core_properties.created = datetime.datetime(2021, 9, 24, 8, 0)
    document.add_paragraph("到2025年，全市数字经济核心产业增加值达到300亿元。")
    table = document.add_table(rows=3, cols=3)
    rows = [["指标", "2020年", "2025年"], ["5G基站（个）", "1200", "5000"],
            ["核心产业增加值（亿元）", "150", "300"]]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("以上为预期性指标。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_table_rows(tmp_path: Path) -> None:
    parsed = read_path(_write(tmp_path, "policy.docx", _docx()))
    assert parsed.media_type == "docx" and parsed.encoding is None
    assert parsed.text.split("\n") == [
        "到2025年，全市数字经济核心产业增加值达到300亿元。",
        "指标 | 2020年 | 2025年",
        "5G基站（个） | 1200 | 5000",
        "核心产业增加值（亿元） | 150 | 300",
        "以上为预期性指标。",
    ]
    assert parsed.title == "余姚市数字经济政策"
    assert parsed.published == datetime.date(2021, 9, 24)


def test_damaged_docx_is_refused(tmp_path: Path) -> None:
    data = _docx()
    path = _write(tmp_path, "broken.docx", data[: len(data) // 2])
    with pytest.raises(DocumentError, match=r"DOCX|ZIP") as info:
        read_path(path)
    assert "broken.docx" in str(info.value)


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty document"),
        ("blank.txt", b"  \n\t\r\n \xe3\x80\x80\n", "empty document"),
        ("junk.bin", os.urandom(4096), "not a text document"),
        ("junk.txt", os.urandom(4096), "not a text document"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 8, r"cannot decode .*\(tried utf-8, gb18030"),
    ],
)
def test_unreadable_inputs_raise_one_clear_error(tmp_path: Path, name: str, data: bytes,
                                                 message: str) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(DocumentError, match=message) as info:
        read_path(path)
    assert name in str(info.value)


def test_too_large_file_is_refused_before_reading(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: no disk used
    opened: list[object] = []
    monkeypatch.setattr(readers, "open", lambda *args, **kwargs: opened.append(args),
                        raising=False)
    with pytest.raises(TooLargeError) as info:
        read_path(path)
    message = str(info.value)
    assert "huge.txt" in message
    assert f"100.0 MB ({DEFAULT_MAX_BYTES + 1} bytes)" in message
    assert f"limit of 100.0 MB ({DEFAULT_MAX_BYTES} bytes)" in message
    assert opened == []
    with pytest.raises(TooLargeError):
        read_path(_write(tmp_path, "small.txt", b"x" * 200), max_bytes=100)


def test_missing_file_and_folder_are_document_errors(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="cannot read") as info:
        read_path(tmp_path / "nope.txt")
    assert "nope.txt" in str(info.value)
    with pytest.raises(DocumentError, match="not a regular file"):
        read_path(tmp_path)


def test_unsupported_binary_formats_are_named(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="legacy Office"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), name="old.doc")


# --- iter_paths -------------------------------------------------------------------------------


def test_iter_paths_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for relative in ["b/2.txt", "b/1.txt", "a.txt", ".hidden.txt", ".git/config", "c/.x/y.txt",
                     "c/d/e.pdf"]:
        target = tmp_path / "in" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("x")
    single = tmp_path / "single.txt"
    single.write_text("y")
    found = list(iter_paths([single, tmp_path / "in"]))
    assert found == [single] + [tmp_path / "in" / r for r in
                                ["a.txt", "b/1.txt", "b/2.txt", "c/d/e.pdf"]]


# --- fetch_url --------------------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[str, bytes, bool]]] = {}

    def do_GET(self) -> None:  # http.server's method name
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        content_type, body, send_length = route
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def local_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                     "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    page = _html_page(_utf8(SIMPLIFIED), charset="gbk").encode("gbk")
    _Handler.routes = {
        "/news/jiangxi-plan.html": ("text/html; charset=gbk", page, True),
        "/big.txt": ("text/plain", b"a" * 5000, True),
        "/stream.txt": ("text/plain", b"b" * 5000, False),
        "/report.pdf": ("application/octet-stream", _chinese_pdf(PDF_LINES), True),
    }
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_fetch_url_html(local_server: str) -> None:
    url = f"{local_server}/news/jiangxi-plan.html"
    parsed = fetch_url(url, timeout=10)
    assert isinstance(parsed, ParsedDocument)
    assert parsed.media_type == "html" and parsed.encoding == "gb18030"
    assert parsed.source == url and parsed.file_name == "jiangxi-plan.html"
    assert _utf8(SIMPLIFIED).split("\n")[0] in parsed.text
    assert "SCRIPT_SECRET" not in parsed.text and "NAVLINK" not in parsed.text
    assert parsed.published == datetime.date(2020, 4, 17)


def test_fetch_url_pdf_by_signature(local_server: str) -> None:
    parsed = fetch_url(f"{local_server}/report.pdf", timeout=10)
    assert parsed.media_type == "pdf" and PDF_LINES[1] in parsed.text


def test_fetch_url_size_cap(local_server: str) -> None:
    with pytest.raises(TooLargeError, match="Content-Length") as info:
        fetch_url(f"{local_server}/big.txt", max_bytes=1000, timeout=10)
    assert "/big.txt" in str(info.value)
    with pytest.raises(TooLargeError, match=r"larger than the limit of 0\.0 MB \(1000 bytes\)"):
        fetch_url(f"{local_server}/stream.txt", max_bytes=1000, timeout=10)
    assert fetch_url(f"{local_server}/big.txt", max_bytes=5000, timeout=10).size_bytes == 5000


def test_fetch_url_errors(local_server: str) -> None:
    with pytest.raises(DocumentError, match="HTTP 404") as info:
        fetch_url(f"{local_server}/missing.html", timeout=10)
    assert "/missing.html" in str(info.value)
    for url in ("ftp://127.0.0.1/x.txt", "file:///etc/passwd", "/etc/passwd"):
        with pytest.raises(DocumentError, match="only http"):
            fetch_url(url)
