"""The one table of HTTP headers nginx and the deploy share (output/headers.py)."""

from phucdong_site.output.headers import IMMUTABLE, MEDIUM, SHORT, headers_for


def test_pages_feeds_and_index_are_short_and_utf8():
    assert headers_for("index.html") == {"Content-Type": "text/html; charset=utf-8",
                                         "Cache-Control": SHORT}
    assert headers_for("/2021/01/bai/index.html")["Cache-Control"] == SHORT
    assert headers_for("rss.xml")["Content-Type"] == "application/xml; charset=utf-8"
    assert headers_for("sitemap.xml")["Cache-Control"] == SHORT
    assert headers_for("tim-kiem/chi-muc/meta.json") == {
        "Content-Type": "application/json; charset=utf-8", "Cache-Control": SHORT}
    assert headers_for("tim-kiem/chi-muc/v/6b.json")["Cache-Control"] == SHORT
    assert headers_for("van-ban/chi-muc/meta.json")["Cache-Control"] == SHORT
    assert headers_for("tim-kiem/sw.js")["Cache-Control"] == SHORT     # not fingerprinted
    assert headers_for("robots.txt")["Content-Type"] == "text/plain; charset=utf-8"
    assert headers_for("manifest.webmanifest")["Content-Type"] == \
        "application/manifest+json; charset=utf-8"


def test_fingerprinted_theme_files_and_renditions_are_immutable():
    assert headers_for("static/css/site.2b89f6e884.css") == {
        "Content-Type": "text/css; charset=utf-8", "Cache-Control": IMMUTABLE}
    assert headers_for("static/js/search.cfdc6926bb.js")["Content-Type"] == \
        "text/javascript; charset=utf-8"
    assert headers_for("static/logo.0123456789.png") == {"Content-Type": "image/png",
                                                         "Cache-Control": IMMUTABLE}
    assert headers_for("anh/bao-cao-cover-480w-2b37b3122871.webp") == {
        "Content-Type": "image/webp", "Cache-Control": IMMUTABLE}
    assert headers_for("anh/bao-cao-og-1200w-b39147bc7f39.jpg")["Content-Type"] == "image/jpeg"
    # Same folders, no hash in the name: not immutable.
    assert headers_for("static/css/site.css")["Cache-Control"] == SHORT
    assert headers_for("anh/logo.jpg")["Cache-Control"] == MEDIUM


def test_attachments_icons_and_unknown_files():
    assert headers_for("2021/01/bai/ke-hoach.pdf") == {"Content-Type": "application/pdf",
                                                       "Cache-Control": MEDIUM}
    assert headers_for("van-ban/x/y.docx")["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert headers_for("favicon.ico") == {"Content-Type": "image/x-icon", "Cache-Control": MEDIUM}
    assert headers_for("KEY.PDF")["Content-Type"] == "application/pdf"
    assert headers_for("data.bin")["Content-Type"] == "application/octet-stream"


def test_precompressed_copies_keep_type_and_caching_of_their_file():
    assert headers_for("index.html.gz") == {"Content-Type": "text/html; charset=utf-8",
                                            "Cache-Control": SHORT, "Content-Encoding": "gzip"}
    assert headers_for("static/css/site.2b89f6e884.css.br") == {
        "Content-Type": "text/css; charset=utf-8", "Cache-Control": IMMUTABLE,
        "Content-Encoding": "br"}
    # A .gz file of the site's own, not a copy of a compressible file: served as it is.
    assert headers_for("du-lieu/bang.csv.gz") == {"Content-Type": "application/gzip",
                                                  "Cache-Control": MEDIUM}
    assert "Content-Encoding" not in headers_for("a.gz")
