"""Browser fixtures: a demo site built by the real CLI, served over HTTP on 127.0.0.1 under a
sub-path, and Debian's Chromium driven by Playwright. Registered by conftest.py as a plugin."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, ScratchSite

from playwright import sync_api as playwright_api

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SUB_PATH = "/cong-thong-tin/"          # the site is served under a sub-path, as on a shared host
SCREENSHOTS = REPO / "test-results"

class DemoSite:
    """The built demo site and where it is served."""

    def __init__(self, site: ScratchSite, out: Path):
        self.site, self.out = site, out
        self.base = ""

    def url(self, path: str = "") -> str:
        return f"{self.base}{path}"


def _write_demo_articles(site: ScratchSite) -> None:
    site.photo("photos/hoi-nghi.jpg", (800, 600), color=(40, 90, 160))
    site.photo("photos/ve-sinh.jpg", (800, 600), color=(60, 140, 60))
    site.article("2024/hoi-nghi.md", """
        title: "Hội nghị tổng kết công tác năm 2024 của phường Phúc Đồng"
        date: 2024-12-20 08:30
        views: 120
        photos:
          - src: photos/hoi-nghi.jpg
            caption: "Toàn cảnh hội nghị tổng kết"
          - src: photos/ve-sinh.jpg
            caption: "Ra quân tổng vệ sinh tại tổ dân phố số 5"
    """, body="""
        UBND phường tổ chức hội nghị tổng kết công tác năm với sự tham dự của các tổ dân phố.

        Hội nghị đánh giá kết quả giữ gìn vệ sinh môi trường và trật tự đô thị trên địa bàn.
    """)
    site.article("2024/dong-xuan.md", """
        title: "Chương trình văn nghệ mùa đông chào xuân mới"
        date: 2024-12-28 19:00
        summary: "Các câu lạc bộ biểu diễn vào mùa đông, đón năm mới."
    """, body="""
        Buổi văn nghệ diễn ra vào mùa đông tại nhà văn hoá tổ dân phố số 2.
    """)
    site.article("2024/tiep-dan.md", """
        title: "Lịch tiếp công dân tháng 12"
        date: 2024-12-01 07:30
    """, body="""
        Lãnh đạo Ủy ban nhân dân phường tiếp công dân vào sáng thứ Năm hằng tuần.

        Người dân phường Phúc Đồng có thể gửi kiến nghị tại bộ phận một cửa.
    """)
    site.article("2024/moi-truong.md", """
        title: "Ra quân làm sạch đường làng ngõ xóm"
        date: 2024-11-15 07:00
    """, body="""
        Đoàn viên thanh niên cùng người dân dọn rác, khơi thông cống rãnh để bảo vệ môi trường.

        Công tác vệ sinh được duy trì vào sáng chủ nhật hằng tuần.
    """)
    site.article("2024/phong-chay.md", """
        title: "Tập huấn phòng cháy chữa cháy cho hộ kinh doanh"
        date: 2024-10-10 14:00
    """, body="""
        Các hộ kinh doanh được hướng dẫn sử dụng bình chữa cháy và lối thoát hiểm.
    """)
    site.article("2024/cat-dien.md", """
        title: "Thông báo tạm ngừng cấp điện ngày 05/12"
        date: 2024-12-02 10:00
        expires: 2024-12-05 17:00
    """, body="Khu vực tổ dân phố số 3 tạm ngừng cấp điện để bảo dưỡng lưới.\n")
    site.article("trang/gioi-thieu.md", """
        title: "Giới thiệu"
        updated: 2025-06-01
    """, body="""
        Phường thuộc quận Long Biên, thành phố Hà Nội.

        Xem [Cơ cấu tổ chức](gioi-thieu/co-cau-to-chuc.md) và [Liên hệ](lien-he.md).
    """)
    site.article("trang/gioi-thieu/co-cau-to-chuc.md", """
        title: "Cơ cấu tổ chức"
    """, body="""
        | Chức vụ | Họ và tên | Điện thoại |
        |---|---|---|
        | Chủ tịch | [Điền họ tên] | [Điền số] |
    """)
    site.article("trang/lien-he.md", """
        title: "Liên hệ"
        translation: /en/contact/
    """, body="Địa chỉ: trụ sở phường, quận Long Biên, thành phố Hà Nội.\n")
    site.article("trang/en/contact.md", """
        title: "Contact"
        updated: 2025-06-01
    """, body="Address: the ward office, Long Bien District, Hanoi.\n")
    # Enough older articles for a second listing page; none mentions the searched words.
    for n in range(1, 8):
        site.article(f"2023/ban-tin-{n}.md", f"""
            title: "Bản tin tuần số {n}"
            date: 2023-0{n}-05 09:00
        """, body=f"Tóm tắt công việc của tuần thứ {n} trong năm.\n")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> DemoSite:
    root = tmp_path_factory.mktemp("demo") / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    site = ScratchSite(root)
    _write_demo_articles(site)
    served = root.parent / "www"
    out = served / SUB_PATH.strip("/")
    result = site.build("-o", str(out), "--base-url", f"https://phucdong.gov.vn{SUB_PATH}")
    assert result.returncode == 0, result.stderr
    return DemoSite(site, out)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(demo_site: DemoSite):
    """A real HTTP server on 127.0.0.1, on a free port, serving the folder above the site."""
    handler = functools.partial(QuietHandler, directory=str(demo_site.out.parent))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    demo_site.base = f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH}"
    yield demo_site
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server, request):
    """A fresh page (360×800, a phone) that saves a screenshot if the test fails."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False)
                 for when in ("setup", "call"))
    if failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-120:]
        tab.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
