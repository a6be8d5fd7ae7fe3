"""Web-server access logs of a known mix, for the tests of `phucdong-site views`.

A log here is a list of Hits (one request each) written out in one of the formats a server
writes: nginx/Apache "combined" (plain, or with the fields nginx configs add after the user
agent: x-forwarded-for, request time, host=, purpose=), Apache vhost_combined, S3 server
access logs and CloudFront standard logs; plain or gzip (the gzip module), with real times.

The expected counts are made by construction, never by counting the log: each hit is added
with the page it is a view of (or None), chosen by the scenario that writes it, which knows
why (a crawler, a repeat 10 minutes later, a HEAD, ...). Keep it that way: a second counter
here would share the counter's mistakes.
"""

from __future__ import annotations

import gzip
import random
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HANOI = timezone(timedelta(hours=7))     # Asia/Ho_Chi_Minh has no daylight saving
UTC = timezone.utc
HOST = "phucdong.gov.vn"
EXTRA_HOST = "phucdong.longbien.gov.vn"  # site.toml [views] hosts of the generated site

# Real browsers' user agents, none of them a crawler by crawlerdetect (checked: 0.4.2).
BROWSERS = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; Android 13; SM-A536E) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; CPH2239) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Mobile Safari/537.36 Zalo android/12110801",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "coc_coc_browser/117.0.182 Chrome/111.0.5563.182 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
)
# Crawlers by crawlerdetect's list (checked: 0.4.2).
CRAWLERS = (
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "curl/8.5.0",
    "python-requests/2.31.0",
)
# A client that reads robots.txt but says it is a browser: only robots.txt gives it away.
SNEAKY = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")

ROTATE_AT = 30                           # hours after the mix's first midnight: 06:00 day 2

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@dataclass(frozen=True)
class SitePages:
    """The generated site's pages, by their path under the site root (as the data file)."""

    articles: tuple[str, ...]
    page: str
    document: str
    front_views: dict[str, int]          # article path -> views: in its front matter
    attachment: str                      # the document's PDF, published beside it

    @property
    def all(self) -> tuple[str, ...]:
        return (*self.articles, self.page, self.document)


def make_site(site, hosts: tuple[str, ...] = (EXTRA_HOST,)) -> SitePages:
    """Three articles, a page and a document in the ScratchSite SITE, and [views] HOSTS."""
    site.article("2021/ban-thuong-vu.md", """\
        title: "Ban Thường vụ Quận ủy Long Biên làm việc với phường Phúc Đồng"
        date: 2021-01-07 18:11
        views: 188
        slug: ban-thuong-vu-lam-viec
        """)
    site.article("2026/tiem-chung.md", """\
        title: "Tiêm chủng mở rộng tháng 11"
        date: 2026-11-02 08:00
        views: 5
        slug: tiem-chung
        """)
    site.article("2026/ve-sinh.md", """\
        title: "Tổng vệ sinh môi trường cuối tuần"
        date: 2026-11-09 07:30
        slug: tong-ve-sinh
        """)
    site.article("trang/gioi-thieu.md", """\
        title: "Giới thiệu"
        """, "Phường Phúc Đồng thuộc quận Long Biên.\n")
    document = site.article("van-ban/2026/12-kh-ubnd.md", """\
        so_ky_hieu: 12/KH-UBND
        loai: Kế hoạch
        co_quan: UBND phường Phúc Đồng
        ngay_ban_hanh: 2026-11-15
        trich_yeu: Kế hoạch tổng vệ sinh môi trường
        tep: 12-kh-ubnd.pdf
        """)
    (document.parent / "12-kh-ubnd.pdf").write_bytes(PDF)
    if hosts:
        listed = ", ".join(f'"{host}"' for host in hosts)
        with (site.root / "site.toml").open("a", encoding="utf-8") as toml:
            toml.write(f"\n[views]\nhosts = [{listed}]\n")
    return SitePages(
        articles=("/2021/01/ban-thuong-vu-lam-viec/", "/2026/11/tiem-chung/",
                  "/2026/11/tong-ve-sinh/"),
        page="/gioi-thieu/", document="/van-ban/12-kh-ubnd/",
        front_views={"/2021/01/ban-thuong-vu-lam-viec/": 188, "/2026/11/tiem-chung/": 5,
                     "/2026/11/tong-ve-sinh/": 0},
        attachment="/van-ban/12-kh-ubnd/12-kh-ubnd.pdf")


@dataclass(frozen=True)
class Hit:
    """One request, as a log line tells it."""

    when: datetime                       # timezone-aware
    address: str
    agent: str
    target: str                          # the request target as written: path?query
    method: str = "GET"
    status: int = 200
    host: str = HOST                     # the Host header
    purpose: str = "-"                   # Sec-Purpose / Purpose header, "prefetch" for those
    size: int = 18_204
    referer: str = "-"


@dataclass
class LogMix:
    """Hits and the views they are meant to give, by (local date, path)."""

    hits: list[Hit] = field(default_factory=list)
    expected: Counter = field(default_factory=Counter)
    clients: int = 0                     # addresses handed out so far

    def add(self, hit: Hit, view: str | None = None) -> Hit:
        """HIT, which is a view of the page at path VIEW (or of nothing)."""
        self.hits.append(hit)
        if view is not None:
            self.expected[(hit.when.astimezone(HANOI).date(), view)] += 1
        return hit

    def address(self, v6: bool = False) -> str:
        """A new client address (documentation and Vietnamese ISP ranges, IPv4 or IPv6)."""
        self.clients += 1
        n = self.clients
        if v6:
            return f"2001:db8:{n // 256:x}::{n % 256 + 1:x}"
        return f"113.{160 + n // 65536}.{n // 256 % 256}.{n % 256}"

    def rows(self) -> list[tuple[date, str, int]]:
        """The data file's rows these hits should give: by date, then path."""
        return sorted((day, path, views) for (day, path), views in self.expected.items()
                      if views)

    def total(self) -> int:
        return sum(self.expected.values())

    def addresses(self) -> set[str]:
        return {hit.address for hit in self.hits}

    def agents(self) -> set[str]:
        return {hit.agent for hit in self.hits if hit.agent not in ("", "-")}


def known_mix(pages: SitePages, day: date = date(2026, 11, 28), seed: int = 19,
              visitors: int = 120, portable: bool = False) -> LogMix:
    """Three local days from DAY (Hanoi), every kind of line the counter must tell apart.
    PORTABLE: only what every log format can say (no Host, no Purpose, no absolute URI)."""
    rng = random.Random(seed)
    mix = LogMix()
    start = datetime(day.year, day.month, day.day, tzinfo=HANOI)

    def at(hours: float) -> datetime:
        return start + timedelta(hours=hours)

    def spread() -> datetime:              # a time in the three days, whole seconds
        return start + timedelta(seconds=rng.randrange(3 * 86400))

    # Real visits: many clients, each reading a few different pages, each page once.
    for n in range(visitors):
        address, agent = mix.address(v6=n % 7 == 0), rng.choice(BROWSERS)
        for path in rng.sample(pages.all, rng.randint(1, 3)):
            when = spread()
            # Its page's assets come along, and are not views.
            mix.add(Hit(when, address, agent, path, referer="https://www.google.com/"), path)
            mix.add(Hit(when + timedelta(seconds=1), address, agent,
                        "/static/css/site.3f2a1b.css", referer=f"https://{HOST}{path}"))
            mix.add(Hit(when + timedelta(seconds=1), address, agent,
                        "/anh/le-ra-quan-480w-9c1d.jpg", size=40_311))

    article = pages.articles[0]
    # Crawlers read everything, status 200: none is a view.
    for agent in CRAWLERS:
        address = mix.address()
        for path in (*pages.all, "/", "/tin-tuc/", "/sitemap.xml"):
            mix.add(Hit(spread(), address, agent, path))
    # Empty user agents are no visitors either.
    for agent in ("-", ""):
        mix.add(Hit(spread(), mix.address(), agent, article))
    # A client that reads robots.txt, then pages, is a crawler that day (even with a
    # browser's user agent)...
    sneaky = mix.address()
    mix.add(Hit(at(9), sneaky, SNEAKY, "/robots.txt"))
    for minutes, path in enumerate(pages.all):
        mix.add(Hit(at(9 + (minutes + 1) / 60), sneaky, SNEAKY, path))
    mix.add(Hit(at(23.9), sneaky, SNEAKY, pages.page))          # late the same local day
    # ...and only that day: the next day, without robots.txt, it reads like anyone.
    mix.add(Hit(at(24 + 10), sneaky, SNEAKY, pages.page), pages.page)
    # Same address, another user agent: another client, not marked.
    mix.add(Hit(at(9.5), sneaky, BROWSERS[0], pages.page), pages.page)

    # Repeats: less than 30 minutes after the same client's previous request of the page is
    # no new view; the 30 minutes run from the previous request, counted or not.
    reader = mix.address()
    agent = BROWSERS[1]
    for minutes, view in ((0, True), (10, False), (39, False), (68, False), (100, True),
                          (200, True), (229, False)):
        mix.add(Hit(at(14) + timedelta(minutes=minutes), reader, agent, article),
                article if view else None)
    # Exactly 30 minutes is not "less than 30 minutes": a view.
    mix.add(Hit(at(15), reader, agent, pages.page), pages.page)
    mix.add(Hit(at(15.5), reader, agent, pages.page), pages.page)
    # Another page in between does not matter: the rule is per page.
    mix.add(Hit(at(16), reader, agent, pages.document), pages.document)
    mix.add(Hit(at(16.1), reader, agent, pages.articles[1]), pages.articles[1])
    mix.add(Hit(at(16.2), reader, agent, pages.document))
    # 304 (revalidated from the browser's cache) is a view; a repeat of it is not.
    mix.add(Hit(at(20), reader, agent, pages.articles[2], status=304, size=0),
            pages.articles[2])
    mix.add(Hit(at(20.1), reader, agent, pages.articles[2], status=304, size=0))
    # Across the rotation (ROTATE_AT): the older file's request makes the newer one's a
    # repeat, in whichever order the files are given.
    rotating = mix.address()
    mix.add(Hit(at(ROTATE_AT - 0.1), rotating, agent, pages.document), pages.document)
    mix.add(Hit(at(ROTATE_AT + 0.2), rotating, agent, pages.document))
    # Many phones behind one address (an office's NAT): each user agent is its own client.
    office = mix.address()
    for n, agent in enumerate(BROWSERS[:4]):
        mix.add(Hit(at(8) + timedelta(minutes=n), office, agent, article), article)

    # Not GET, not 200/304, not a page of the site: no view.
    visitor, agent = mix.address(), BROWSERS[2]
    for hit in (Hit(at(10), visitor, agent, article, method="HEAD", size=0),
                Hit(at(10.01), visitor, agent, article, method="POST"),
                Hit(at(10.02), visitor, agent, article, method="OPTIONS", status=204),
                Hit(at(10.03), visitor, agent, article.rstrip("/"), status=301, size=178),
                Hit(at(10.04), visitor, agent, "/2021/01/khong-co-bai-nay/", status=404),
                Hit(at(10.05), visitor, agent, pages.articles[1], status=404),
                Hit(at(10.06), visitor, agent, pages.articles[1], status=500),
                Hit(at(10.07), visitor, agent, pages.articles[1], status=206),
                Hit(at(10.08), visitor, agent, "/"),
                Hit(at(10.09), visitor, agent, "/tin-tuc/"),
                Hit(at(10.10), visitor, agent, "/tin-tuc/page/2/"),
                Hit(at(10.11), visitor, agent, "/van-ban/"),
                Hit(at(10.12), visitor, agent, "/chuyen-muc/tin-tuc-su-kien/"),
                Hit(at(10.13), visitor, agent, "/tim-kiem/?q=ti%C3%AAm+ch%E1%BB%A7ng"),
                Hit(at(10.14), visitor, agent, pages.attachment, size=81_920),
                Hit(at(10.15), visitor, agent, "/rss.xml"),
                Hit(at(10.16), visitor, agent, "/favicon.ico", status=404),
                Hit(at(10.17), visitor, agent, "/wp-login.php", status=404),
                Hit(at(10.18), visitor, agent, "/2021/01/ban-thuong-vu-lam-viec/anh.jpg")):
        mix.add(hit)
    # The same visitor's GET after all that is its first view of the page.
    mix.add(Hit(at(10.2), visitor, agent, article), article)

    # The same page under other spellings of its address: one page.
    for target in (f"{article}?utm_source=zalo&fbclid=IwAR0x", f"{article}index.html",
                   f"{article}index.html?ref=home", "/gioi%2Dthieu/", "/gioi-thieu/?",
                   *(() if portable else (f"https://{HOST}{pages.articles[1]}",))):
        hit = Hit(spread(), mix.address(), rng.choice(BROWSERS), target)
        path = {"/gioi%2Dthieu/": pages.page, "/gioi-thieu/?": pages.page}.get(
            target, article if target.startswith(article) else pages.articles[1])
        mix.add(hit, path)
    # One client, two spellings within 30 minutes: the second is a repeat of the page.
    twice = mix.address()
    mix.add(Hit(at(11), twice, BROWSERS[3], pages.articles[2]), pages.articles[2])
    mix.add(Hit(at(11.1), twice, BROWSERS[3], pages.articles[2] + "index.html?x=1"))

    if not portable:
        _hosts_and_prefetches(mix, pages, rng, at, spread)
    # Near local midnight: the local date decides, however the log writes the time.
    for hours in (23.99, 24.01, 47.5, 48.2):
        when = at(hours).astimezone(UTC)
        mix.add(Hit(when, mix.address(), rng.choice(BROWSERS), pages.articles[2]),
                pages.articles[2])
    return mix


def _hosts_and_prefetches(mix: LogMix, pages: SitePages, rng: random.Random, at, spread
                          ) -> None:
    # Hosts: base_url's, its www. twin and site.toml's [views] hosts count, case and port
    # aside; another site's lines on the same server do not.
    for host, counts in ((f"www.{HOST}", True), (HOST.upper(), True), (f"{HOST}:443", True),
                         (EXTRA_HOST, True), ("phucloi.gov.vn", False),
                         ("longbien.gov.vn", False), (f"{HOST}.evil.example", False),
                         ("113.160.5.5", False)):
        hit = Hit(spread(), mix.address(), rng.choice(BROWSERS), pages.page, host=host)
        mix.add(hit, pages.page if counts else None)
    # An absolute request URI names its host too.
    mix.add(Hit(spread(), mix.address(), BROWSERS[4], f"http://phucloi.gov.vn{pages.page}"))

    # Prefetches (a browser's or a link preview's guess) are not views, and do not make
    # the visit that follows a repeat.
    early = mix.address()
    mix.add(Hit(at(12), early, BROWSERS[5], pages.articles[1], purpose="prefetch"))
    mix.add(Hit(at(12) + timedelta(minutes=1), early, BROWSERS[5], pages.articles[1]),
            pages.articles[1])
    mix.add(Hit(at(13), mix.address(), BROWSERS[6], pages.document,
                purpose="prefetch;prerender"))


# -- writing logs ------------------------------------------------------------------------

def clf_time(when: datetime, offset: timezone) -> str:
    """01/Dec/2026:10:00:00 +0700: the time as nginx and Apache write it, at OFFSET."""
    local = when.astimezone(offset)
    sign = "+" if local.utcoffset() >= timedelta(0) else "-"
    minutes = abs(int(local.utcoffset().total_seconds())) // 60
    return (f"{local.day:02d}/{MONTHS[local.month - 1]}/{local.year}:{local:%H:%M:%S} "
            f"{sign}{minutes // 60:02d}{minutes % 60:02d}")


def line(hit: Hit, style: str = "extended", offset: timezone = HANOI) -> str:
    """HIT as one line (no newline) in STYLE: combined, extended, vhost, s3, cloudfront."""
    request = f"{hit.method} {hit.target} HTTP/1.1"
    if style == "combined":
        return (f'{hit.address} - - [{clf_time(hit.when, offset)}] "{request}" {hit.status} '
                f'{hit.size} "{hit.referer}" "{hit.agent}"')
    if style == "extended":        # log_format with $http_x_forwarded_for $request_time ...
        return (f'{hit.address} - - [{clf_time(hit.when, offset)}] "{request}" {hit.status} '
                f'{hit.size} "{hit.referer}" "{hit.agent}" "-" 0.012 host={hit.host} '
                f'purpose={hit.purpose}')
    if style == "vhost":           # Apache's vhost_combined: %v:%p first
        host = hit.host if ":" in hit.host else f"{hit.host}:443"
        return (f'{host} {hit.address} - - [{clf_time(hit.when, offset)}] "{request}" '
                f'{hit.status} {hit.size} "{hit.referer}" "{hit.agent}"')
    if style == "s3":              # S3 server access log of a website bucket (UTC)
        owner = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
        key = hit.target.split("?")[0].lstrip("/")
        key = key + "index.html" if key.endswith("/") or not key else key
        return (f'{owner} {HOST} [{clf_time(hit.when, UTC)}] {hit.address} - 3E57427F3EXAMPLE '
                f'WEBSITE.{hit.method}.OBJECT {key} "{request}" {hit.status} - {hit.size} '
                f'{hit.size} 7 6 "{hit.referer}" "{hit.agent}" - '
                f's9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= '
                f'- - - {hit.host} - - -')
    if style == "cloudfront":      # tab-separated, UTC, user agent %-encoded
        when = hit.when.astimezone(UTC)
        path, _, query = hit.target.partition("?")
        agent = (hit.agent or "-").replace(" ", "%20")
        return "\t".join((
            f"{when:%Y-%m-%d}", f"{when:%H:%M:%S}", "HAN50-C1", str(hit.size), hit.address,
            hit.method, "d111111abcdef8.cloudfront.net", path, str(hit.status),
            hit.referer, agent, query or "-", "-", "Hit",
            "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==", hit.host, "https",
            "231", "0.001", "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", "Hit", "HTTP/2.0", "-",
            "-", "51234", "0.001", "Hit", "text/html", str(hit.size), "-", "-"))
    raise ValueError(style)


CLOUDFRONT_HEADER = (
    "#Version: 1.0\n"
    "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem "
    "sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type "
    "x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for "
    "ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status "
    "fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type "
    "sc-content-type sc-content-len sc-range-start sc-range-end\n")


def text(hits: list[Hit], style: str = "extended", offset: timezone = HANOI) -> bytes:
    """The log of HITS in the order given, each line ended by a newline."""
    head = CLOUDFRONT_HEADER if style == "cloudfront" else ""
    return (head + "".join(line(hit, style, offset) + "\n" for hit in hits)).encode()


def write(path: Path, hits: list[Hit], style: str = "extended", offset: timezone = HANOI,
          compress: bool | None = None) -> Path:
    """Write HITS to PATH (gzip when its name ends .gz, or COMPRESS); returns PATH."""
    data = text(hits, style, offset)
    if compress or (compress is None and path.name.endswith(".gz")):
        data = gzip.compress(data, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def in_time_order(mix: LogMix, jitter: int = 0, seed: int = 19) -> list[Hit]:
    """MIX's hits as a server writes them: by time, and with JITTER, some neighbours swapped
    (a request is logged when it ends, so a slow one comes after a later fast one)."""
    hits = sorted(mix.hits, key=lambda hit: hit.when)
    rng = random.Random(seed)
    for _ in range(jitter):
        n = rng.randrange(len(hits) - 1)
        hits[n], hits[n + 1] = hits[n + 1], hits[n]
    return hits


def rotated(mix: LogMix, folder: Path, day: date = date(2026, 11, 28), jitter: int = 0
            ) -> tuple[Path, Path]:
    """MIX (of known_mix from DAY) as logrotate leaves it: access.log.1.gz (before ROTATE_AT,
    a server clock in UTC) and access.log (from then, +07:00)."""
    cut = datetime(day.year, day.month, day.day, tzinfo=HANOI) + timedelta(hours=ROTATE_AT)
    hits = in_time_order(mix, jitter)
    older = [hit for hit in hits if hit.when < cut]
    newer = [hit for hit in hits if hit.when >= cut]
    return (write(folder / "access.log.1.gz", older, offset=UTC),
            write(folder / "access.log", newer, offset=HANOI))


def visits(pages: SitePages, day: date, count: int, start_client: int = 0,
           hour: float = 9.0) -> LogMix:
    """COUNT plain views, each of a new client, spread over the pages from HOUR on DAY."""
    mix = LogMix(clients=start_client)
    start = datetime(day.year, day.month, day.day, tzinfo=HANOI) + timedelta(hours=hour)
    for n in range(count):
        path = pages.all[n % len(pages.all)]
        mix.add(Hit(start + timedelta(seconds=37 * n), mix.address(),
                    BROWSERS[n % len(BROWSERS)], path), path)
    return mix


def shifted(hit: Hit, **changes) -> Hit:
    return replace(hit, **changes)
