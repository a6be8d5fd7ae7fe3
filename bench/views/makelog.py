"""A generated nginx "combined" access log of a generated site, for bench/views.

    python bench/views/makelog.py SITE OUT.log [--size 1000] [--days 7] [--seed 19]
                                  [--plain] [--truth TRUTH.json] [--make-site 2000]

SITE's URLs (its articles, pages and register documents, read with the generator's own
loader) are visited for DAYS days (from 2026-11-23, +07:00) until the log holds about SIZE
MB: readers on phones and desktops (IPv4 and IPv6, some sharing an address behind carrier
NAT) arriving from search, Facebook, Zalo or directly, reading a few pages each and fetching
the theme's CSS and JS, photos (JPEG and WebP), the favicon and PDFs (some by range, 206);
revisits (304), reloads within minutes, HEAD checks, addresses without their trailing slash
and old aliases (301), speculative prefetches, broken links and vulnerability scanners (404), query strings (utm_,
fbclid, search), feeds and the sitemap, an uptime monitor; crawlers (Googlebot, bingbot,
AhrefsBot, SemrushBot, YandexBot, GPTBot and others, plus a few bots that name themselves
only in a way one crawler list may not know), fetching robots.txt first; and clients whose
user agent looks like a browser but which fetch robots.txt. The format is "combined" with
one more field, the request's Sec-Purpose header ("-", or "prefetch" on a browser's
speculative fetch of a linked page). The same arguments always give the same bytes.

--plain writes the variant for comparing per-URL counts with GoAccess, in which the rules
GoAccess cannot apply never bite: no client (address + user agent) gets the same page twice
(200 or 304) within 31 minutes, nobody fetches robots.txt, and no line is a prefetch (the
bare combined format, without the Sec-Purpose field).
--truth then writes, per page path, how many GET 200/304 requests of it each user agent
made (the user agents listed by number), so that each difference between two counters can
be put down to the user agents one treats as crawlers and the other does not.

--make-site N first writes SITE: bench/scale_corpus.py's N articles, bench/register's N/10
documents, and four pages (one with an alias, one in English).

Lines are built per session with precomputed strings and gathered per second of the day; a
day is written out once no later session can reach it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import time
from bisect import bisect
from itertools import accumulate
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

FIRST_DAY = (2026, 11, 23)       # a Monday
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
TZ = "+0700"
SPILL = 3 * 3600                 # no session lasts longer than this

# Readers' browsers: (user agent, weight). Vietnamese traffic: mostly phones, Chrome, Safari,
# Cốc Cốc, Zalo's and Facebook's in-app browsers.
BROWSERS = [
    ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Mobile Safari/537.36", 18),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/18.1.1 Mobile/15E148 Safari/604.1", 12),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", 6),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", 12),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "coc_coc_browser/137.0.196 Chrome/131.0.6778.2 Safari/537.36", 8),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", 4),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0", 2),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/18.1 Safari/605.1.15", 3),
    ("Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
     "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36", 5),
    ("Mozilla/5.0 (Linux; Android 13; 23053RN02A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.107 Mobile Safari/537.36 "
     "Zalo android/12110735 ZaloTheme/light ZaloLanguage/vi", 9),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Mobile/15E148 Zalo iOS/498 ZaloTheme/light ZaloLanguage/vi", 5),
    ("Mozilla/5.0 (Linux; Android 14; V2247 Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
     "(KHTML, like Gecko) Version/4.0 Chrome/131.0.6778.39 Mobile Safari/537.36 "
     "[FB_IAB/FB4A;FBAV/490.0.0.52.79;]", 6),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
     "like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/490.0.0.35.108;FBBV/676843427;FBDV/iPhone14,7;"
     "FBMD/iPhone;FBSN/iOS;FBSV/18.1.1;FBSS/3;FBCR/;FBID/phone;FBLC/vi_VN;FBOP/80]", 3),
    ("Mozilla/5.0 (Linux; Android 12; CPH2269) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/130.0.0.0 Mobile Safari/537.36 OPR/85.0.4341.79", 1),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36", 1),
    ("Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1", 2),
]
# Crawlers: (user agent, address prefix, share of crawler sessions, pages a session, fetches
# robots.txt first). The last ones name themselves in ways a crawler list may not know.
CRAWLERS = [
    ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
     "like Gecko) Chrome/131.0.6778.69 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
     "+http://www.google.com/bot.html)", "66.249.66.", 14, 40, True),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
     "66.249.79.", 6, 30, True),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
     "+http://www.bing.com/bingbot.htm) Chrome/131.0.0.0 Safari/537.36", "40.77.167.", 8, 30,
     True),
    ("Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "54.36.148.", 8,
     60, True),
    ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
     "185.191.171.", 5, 50, True),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "5.255.231.", 3, 25,
     True),
    ("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
     "220.181.108.", 2, 20, True),
    ("Mozilla/5.0 (compatible; DotBot/1.2; +https://opensiteexplorer.org/dotbot; "
     "help@moz.com)", "216.244.66.", 2, 30, True),
    ("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)", "136.243.228.", 2, 30,
     True),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
     "+https://openai.com/gptbot)", "20.171.207.", 3, 40, True),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
     "+claudebot@anthropic.com)", "3.17.24.", 2, 40, True),
    ("Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/"
     "537.36 (compatible; Bytespider; spider-feedback@bytedance.com)", "110.249.202.", 3, 30,
     True),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Version/17.4 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
     "17.241.219.", 2, 20, True),
    ("Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
     "Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
     "114.119.132.", 2, 25, True),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
     "69.171.249.", 4, 2, False),
    ("Zalo", "118.102.2.", 2, 1, False),
    ("TelegramBot (like TwitterBot)", "149.154.161.", 1, 1, False),
    ("Mozilla/5.0 (compatible; Coc Coc bot/1.0; +http://help.coccoc.com/searchengine)",
     "123.30.175.", 3, 25, True),
    ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 3 subscribers; like FeedFetcher-Google)",
     "34.71.12.", 1, 1, False),
    ("curl/8.5.0", "103.57.220.", 1, 3, False),
    ("python-requests/2.32.3", "103.97.125.", 1, 5, False),
    ("Go-http-client/1.1", "45.79.19.", 1, 4, False),
    ("Wget/1.21.3", "171.244.62.", 1, 3, False),
    ("Mozilla/5.0 (compatible; SeznamBot/4.0; +https://o-seznam.cz/napoveda/vyhledavani/en/"
     "seznambot-crawler/)", "77.75.79.", 1, 15, True),
    ("Mozilla/5.0 (compatible; Barkrowler/0.9; +https://babbar.tech/crawler)", "51.68.236.",
     1, 20, True),
    ("Mozilla/5.0 (compatible; VietnamWebIndexer/2.1; +https://chiso-web.vn/gioi-thieu)",
     "113.190.232.", 1, 20, True),
    ("WardNewsArchiver/0.4 (+https://luutru-tin.example/ve-chung-toi)", "203.162.4.", 1, 15,
     True),
]
MONITOR = ("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
           "216.144.250.")
# Vulnerability scanners look like browsers and ask for what is not there (404).
SCANNER_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
              "Gecko) Chrome/120.0.0.0 Safari/537.36")
SCANNED = ["/wp-login.php", "/xmlrpc.php", "/.env", "/.git/config", "/wp-admin/setup-config.php",
           "/phpmyadmin/index.php", "/admin/login", "/vendor/phpunit/phpunit/src/Util/PHP/"
           "eval-stdin.php", "/cgi-bin/luci/;stok=/locale", "/administrator/index.php",
           "/wp-content/plugins/wp-file-manager/readme.txt", "/.aws/credentials",
           "/server-status", "/boaform/admin/formLogin", "/index.php?option=com_users"]
# Clients with a browser's user agent that read robots.txt: caught only by robots.txt.
SNEAKY_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
             "Gecko) Chrome/129.0.0.0 Safari/537.36")
REFERRERS = [("-", 30), ("https://www.google.com/", 25), ("https://www.google.com.vn/", 8),
             ("https://m.facebook.com/", 12), ("https://l.facebook.com/", 5),
             ("https://zalo.me/", 6), ("https://coccoc.com/search", 4),
             ("https://www.bing.com/", 2), ("android-app://com.google.android.gm/", 1)]
QUERIES = ["?fbclid=IwZXh0bgNhZW0CMTEAAR2", "?utm_source=zalo&utm_medium=social",
           "?utm_source=facebook&utm_medium=post&utm_campaign=tin-moi", "?zarsrc=30",
           "?gidzl=Jt3kQ9", "?amp", "?ref=home", "?print=1"]
SEARCHES = ["lich+tiem+chung", "thu+tuc+ho+tich", "phong+chay", "gio+lam+viec", "hoc+bong",
            "v%C4%83n+b%E1%BA%A3n", "to+dan+pho+5", "rac+thai"]
# The theme's files, fingerprinted, and their sizes.
THEME = [("/static/css/site.4f9a2c1e.css", 14820), ("/static/js/site.9be03d77.js", 5210),
         ("/static/js/search.1c7e88a0.js", 13104)]
FAVICON = ("/favicon.ico", 4286)
PROTOCOLS = [("HTTP/1.1", 6), ("HTTP/2.0", 10)]
# The main log's format: combined with the Sec-Purpose request header after the user agent
# ("$http_sec_purpose": "-" when absent, "prefetch" or "prefetch;prerender" for a browser's
# speculative fetch), as a site that wants prefetches told apart configures nginx. The
# --plain log is the bare combined format.
PURPOSE_NONE = ' "-"'
PURPOSE_PREFETCH = (' "prefetch"', ' "prefetch;prerender"')


def combined_site_toml(text: str) -> str:
    return text + ('\n[english]\nname = "Phuong Mau"\n\n[documents]\n'
                   'issuer = "UBND phường Phúc Đồng"\n')


PAGES = {
    "gioi-thieu.md": '---\ntitle: "Giới thiệu"\nupdated: 2024-06-01\nmenu: true\n---\n\n'
                     "Phường Mẫu là một phường được tạo ra cho phép đo.\n",
    "gioi-thieu/co-cau-to-chuc.md": '---\ntitle: "Cơ cấu tổ chức"\nmenu: "/gioi-thieu/"\n'
                                    "---\n\nỦy ban nhân dân, các ban, ngành, đoàn thể.\n",
    "lien-he.md": '---\ntitle: "Liên hệ"\ntranslation: /en/contact/\n'
                  "aliases: [/lien-he.html]\nmenu: true\n---\n\nĐịa chỉ: trụ sở phường.\n",
    "en/contact.md": '---\ntitle: "Contact"\nupdated: 2024-06-01\nmenu: true\n---\n\n'
                     "Address: the ward's office.\n",
}


def make_site(dest: Path, articles: int) -> None:
    """DEST: ARTICLES generated articles, ARTICLES/10 register documents, four pages."""
    import scale_corpus
    from register import corpus as register_corpus

    scale_corpus.generate(dest, articles)
    scratch = dest.with_name(dest.name + ".register")
    register_corpus.generate(scratch, max(1, articles // 10))
    shutil.move(str(scratch / "content" / "van-ban"), str(dest / "content" / "van-ban"))
    shutil.rmtree(scratch)
    toml = dest / "site.toml"
    toml.write_text(combined_site_toml(toml.read_text(encoding="utf-8")), encoding="utf-8")
    for name, text in PAGES.items():
        path = dest / "content" / "trang" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def site_urls(site: Path) -> dict:
    """The URL paths of SITE's articles (newest first), pages, documents and their PDFs,
    aliases, and listings, as the server sees them (base_url's path included)."""
    from urllib.parse import urlsplit

    from phucdong_site.config import load_config
    from phucdong_site.content import load_site
    from phucdong_site.pages import urls

    config = load_config(site)
    loaded = load_site(config)
    root = urlsplit(config.base_url).path or "/"
    if not root.endswith("/"):
        root += "/"

    def path(url: str) -> str:
        return root + url.lstrip("/")

    documents = [path(d.url) for d in loaded.register]
    pdfs = [p + p.rstrip("/").rsplit("/", 1)[1] + ".pdf" for p in documents]
    categories = sorted({a.category for a in loaded.articles})
    listings = ([path(""), path("tin-tuc/"), path("van-ban/"), path("tim-kiem/")]
                + [path(f"tin-tuc/page/{n}/") for n in range(2, 12)]
                + [path(urls.category_url(c)) for c in categories])
    return {"articles": [path(a.url) for a in loaded.articles],
            "pages": [path(p.url) for p in loaded.pages],
            "documents": documents, "pdfs": pdfs,
            "aliases": [path(a.lstrip("/")) for p in (*loaded.pages, *loaded.articles)
                        for a in p.aliases],
            "listings": listings, "root": root,
            "origin": f"{urlsplit(config.base_url).scheme}://{urlsplit(config.base_url).netloc}"}


class Log:
    """Lines gathered per second (the time stamp written in at the end), written day by day."""

    def __init__(self, out, days: int):
        self.out = out
        self.days = days
        self.buckets: dict[int, list[list[str]]] = {}
        self.lines = 0
        self.bytes = 0
        self.day_bytes: list[int] = []
        hms = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60)
               for s in range(60)]
        self.hms = hms

    def add(self, second: int, line: str) -> None:
        day, rest = divmod(second, 86400)
        if day >= self.days:
            return               # past the log's end
        bucket = self.buckets.get(day)
        if bucket is None:
            bucket = self.buckets[day] = [[] for _ in range(86400)]
        bucket[rest].append(line)

    def flush(self, day: int, stamp: str) -> None:
        """Write DAY (its date written STAMP, as dd/Mon/yyyy) out."""
        seconds = self.buckets.pop(day, None)
        if seconds is None:
            return
        parts = []
        hms = self.hms
        for second, lines in enumerate(seconds):
            if lines:
                self.lines += len(lines)
                parts.append("".join(lines).replace("\0", f"{stamp}:{hms[second]} {TZ}"))
        data = "".join(parts).encode("ascii")
        self.bytes += len(data)
        self.day_bytes.append(len(data))
        self.out.write(data)


def choices_table(weighted: list[tuple[object, float]]):
    values = [v for v, _ in weighted]
    cum = list(accumulate(w for _, w in weighted))
    total = cum[-1]
    return values, cum, total


def generate(site_urls_: dict, out_path: Path, size_mb: float, days: int, seed: int,
             plain: bool, truth_path: Path | None, progress: bool = True) -> dict:
    rng = random.Random(seed)
    rand = rng.random
    randrange = rng.randrange
    u = site_urls_
    root = u["root"]
    origin = u["origin"]
    articles, pages, documents = u["articles"], u["pages"], u["documents"]
    countable = articles + pages + documents
    # Popularity: the newest 40 articles are the news of the week; the rest fall off as a
    # power law over a fixed shuffle (old articles found by search), pages and documents
    # in between.
    order = list(range(len(articles)))
    tail = order[40:]
    random.Random(seed + 1).shuffle(tail)
    weights = []
    for rank, index in enumerate(order[:40] + tail):
        weights.append((articles[index], (30.0 if rank < 40 else 0.0) + 8.0 / (rank + 1) ** 0.8))
    weights += [(p, 3.0) for p in pages] + [(d, 0.4) for d in documents]
    page_values, page_cum, page_total = choices_table(weights)
    listing_values, listing_cum, listing_total = choices_table(
        [(u["listings"][0], 40)] + [(x, 3) for x in u["listings"][1:]])
    ref_values, ref_cum, ref_total = choices_table(REFERRERS)
    br_values, br_cum, br_total = choices_table(BROWSERS)
    crawler_values, crawler_cum, crawler_total = choices_table(
        [(c, c[2]) for c in CRAWLERS])
    proto_values, proto_cum, proto_total = choices_table(PROTOCOLS)
    # diurnal profile, local time: quiet at night, peaks mid-morning and evening
    hourly = [1, 0.6, 0.4, 0.3, 0.4, 1, 3, 6, 9, 10, 10, 9, 7, 7, 8, 8, 7, 6, 7, 9, 10, 9, 6, 3]
    hour_cum = list(accumulate(hourly))

    ua_index: dict[str, int] = {}
    truth: dict[str, dict[int, int]] = {}
    seen: dict[tuple[str, str, str], list[int]] = {}  # plain: (ip, ua, page) → times

    # Readers: addresses (IPv4 from Vietnamese carriers' ranges, a third IPv6), each with one
    # to three browsers (carrier NAT and shared family phones).
    v4_prefixes = ["14.{}.{}.{}", "27.{}.{}.{}", "42.{}.{}.{}", "113.{}.{}.{}",
                   "171.{}.{}.{}", "116.{}.{}.{}", "1.{}.{}.{}", "125.{}.{}.{}"]
    v6_prefixes = ["2001:ee0:{:x}:{:x}::{:x}", "2402:800:{:x}:{:x}::{:x}",
                   "2405:4802:{:x}:{:x}:{:x}::1", "2402:9d80:{:x}:{:x}::{:x}"]
    readers = []
    for number in range(60000):
        if rand() < 0.33:
            address = rng.choice(v6_prefixes).format(randrange(65536), randrange(65536),
                                                     randrange(1, 65536))
        else:
            address = rng.choice(v4_prefixes).format(randrange(256), randrange(256),
                                                     randrange(1, 255))
        browsers = 1 if rand() < 0.85 else rng.randint(2, 3)
        for _ in range(browsers):
            readers.append((address, rng.choices(br_values, cum_weights=br_cum)[0]))
    # A few readers come often (staff, residents following the news): weighted.
    reader_cum = list(accumulate(1.0 / (1 + n % 500) ** 0.3 for n in range(len(readers))))
    sneaky = [(f"185.220.{randrange(256)}.{randrange(1, 255)}", SNEAKY_UA) for _ in range(30)]

    def ua_number(ua: str) -> int:
        number = ua_index.get(ua)
        if number is None:
            number = ua_index[ua] = len(ua_index)
        return number

    # per-line pieces
    purpose_none = "" if plain else PURPOSE_NONE

    def emit(second: int, ip: str, method: str, target: str, proto: str, status: int,
             size: int, referrer: str, ua: str, purpose: str | None = None) -> int:
        line = (f'{ip} - - [\0] "{method} {target} {proto}" {status} {size} "{referrer}" '
                f'"{ua}"{purpose_none if purpose is None else purpose}\n')
        log.add(second, line)
        return len(line) + 25

    def page_target(path: str) -> str:
        r = rand()
        if r < 0.06:
            return path + "index.html"
        if r < 0.16:
            return path + rng.choice(QUERIES)
        return path

    def may_view(ip: str, ua: str, path: str, second: int) -> bool:
        """Plain: whether the client IP + UA (as counters know a client: two readers may
        share both) may get PATH at SECOND, 31 minutes from its other views; records it
        when so."""
        if not plain:
            return True
        times = seen.setdefault((ip, ua, path), [])
        for other in times:
            if abs(other - second) < 31 * 60:
                return False
        times.append(second)
        return True

    end = days * 86400

    def record(second: int, path: str, ua: str) -> None:
        if truth_path is not None and second < end:     # past the end: not written
            counts = truth.setdefault(path, {})
            number = ua_number(ua)
            counts[number] = counts.get(number, 0) + 1

    def reader_session(day: int) -> int:
        start = day * 86400 + (bisect(hour_cum, rand() * hour_cum[-1])) * 3600 + randrange(3600)
        client = bisect(reader_cum, rand() * reader_cum[-1])
        ip, ua = readers[client]
        proto = proto_values[bisect(proto_cum, rand() * proto_total)]
        referrer = ref_values[bisect(ref_cum, rand() * ref_total)]
        fresh = rand() < 0.55             # no theme files in the browser's cache
        written = 0
        second = start
        views = 1
        while rand() < 0.55 and views < 12:
            views += 1
        previous = None
        for view in range(views):
            if view == 0 and rand() < 0.25:
                path = listing_values[bisect(listing_cum, rand() * listing_total)]
            else:
                path = page_values[bisect(page_cum, rand() * page_total)]
            countable_path = path in countable_set
            if path == previous:
                continue
            r = rand()
            if r < 0.015 and countable_path and path != root:
                # the address without its trailing slash: 301, then the page
                written += emit(second, ip, "GET", path.rstrip("/"), proto, 301, 178, referrer,
                                ua)
                second += 1
            status = 200
            if not fresh and rand() < 0.12:
                status = 304
            target = page_target(path) if countable_path else path
            if path == root + "tim-kiem/":
                target = path + "?q=" + rng.choice(SEARCHES)
            if countable_path and not may_view(ip, ua, path, second):
                continue
            size = 0 if status == 304 else 14000 + randrange(9000)
            written += emit(second, ip, "GET", target, proto, status, size, referrer, ua)
            if countable_path:
                record(second, path, ua)
            here = origin + path
            if status == 200:
                if fresh:
                    for asset, asset_size in THEME:
                        second += rand() < 0.3
                        written += emit(second, ip, "GET", asset, proto, 200, asset_size,
                                        here, ua)
                    written += emit(second, ip, "GET", FAVICON[0], proto, 200, FAVICON[1],
                                    here, ua)
                    fresh = False
                for photo in range(randrange(4)):
                    name = photos[randrange(len(photos)) | (rand() < 0.8)]    # odd: WebP
                    written += emit(second + (photo > 1), ip, "GET", name, proto, 200,
                                    20000 + randrange(90000), here, ua)
                if path in documents_set and rand() < 0.4:
                    pdf = pdf_of[path]
                    status_pdf, pdf_size = (206, 65536) if rand() < 0.3 else (200, 48211)
                    written += emit(second + 2, ip, "GET", pdf, proto, status_pdf, pdf_size,
                                    here, ua)
            if not plain and countable_path and rand() < 0.06:
                # a reload within minutes: the same client, not a new view
                again = second + 5 + randrange(600)
                written += emit(again, ip, "GET", path, proto, 304 if rand() < 0.5 else 200,
                                0, referrer, ua)
                record_repeat[0] += 1
            if not plain and rand() < 0.05:
                # the browser fetches a linked page ahead (speculation rules): not a view
                ahead = page_values[bisect(page_cum, rand() * page_total)]
                written += emit(second + 1, ip, "GET", ahead, proto, 200, 16000 + randrange(9000),
                                here, ua, rng.choice(PURPOSE_PREFETCH))
                record_repeat[1] += 1
            if rand() < 0.01:
                written += emit(second + 1, ip, "GET", "/apple-touch-icon.png", proto, 404,
                                162, "-", ua)
            if rand() < 0.004:
                # a broken link from elsewhere
                broken = root + f"{2015 + randrange(11)}/{1 + randrange(12):02d}/bai-da-xoa-" \
                                f"{randrange(900)}/"
                written += emit(second, ip, "GET", broken, proto, 404, 5120, referrer, ua)
            referrer = here
            previous = path
            second += 10 + int(rng.expovariate(1 / 90))
        if rand() < 0.02:
            # a revisit hours later: a new view (beyond 30 minutes)
            path = page_values[bisect(page_cum, rand() * page_total)]
            later = second + 3600 + randrange(5 * 3600)
            if later // 86400 == day and may_view(ip, ua, path, later):
                written += emit(later, ip, "GET", path, proto, 304, 0, "-", ua)
                if path in countable_set:
                    record(later, path, ua)
        return written

    def crawler_session(day: int) -> int:
        ua, prefix, _share, mean_pages, robots = crawler_values[
            bisect(crawler_cum, rand() * crawler_total)]
        ip = prefix + str(randrange(1, 255))
        second = day * 86400 + randrange(86400)
        written = 0
        if robots and not plain:
            written += emit(second, ip, "GET", root + "robots.txt", "HTTP/1.1", 200, 68, "-",
                            ua)
            second += 1
        if rand() < 0.05 and not plain:
            written += emit(second, ip, "GET", root + "sitemap.xml", "HTTP/1.1", 200, 120000,
                            "-", ua)
        for _ in range(max(1, int(rng.expovariate(1 / mean_pages)))):
            r = rand()
            if r < 0.03:
                written += emit(second, ip, "GET", root + f"tin-tuc/page/{400 + randrange(50)}/",
                                "HTTP/1.1", 404, 5120, "-", ua)
            elif r < 0.04 and u["aliases"]:
                written += emit(second, ip, "GET", rng.choice(u["aliases"]), "HTTP/1.1", 301,
                                178, "-", ua)
            elif r < 0.08:
                written += emit(second, ip, "GET", rng.choice(u["listings"]), "HTTP/1.1", 200,
                                31000, "-", ua)
            else:
                path = rng.choice(countable) if rand() < 0.7 else \
                    page_values[bisect(page_cum, rand() * page_total)]
                if may_view(ip, ua, path, second):
                    method = "HEAD" if rand() < 0.02 else "GET"
                    status = 304 if rand() < 0.15 else 200
                    written += emit(second, ip, method, path, "HTTP/1.1", status,
                                    0 if status == 304 or method == "HEAD" else 18000, "-", ua)
                    if method == "GET":
                        record(second, path, ua)
            second += 1 + randrange(20)
        return written

    def scanner_session(day: int) -> int:
        ip = f"{rng.choice(('45.148', '193.41', '87.120', '103.145'))}.{randrange(256)}." \
             f"{randrange(1, 255)}"
        second = day * 86400 + randrange(86400)
        written = 0
        for target in rng.sample(SCANNED, rng.randint(3, len(SCANNED))):
            written += emit(second, ip, "GET", target, "HTTP/1.1", 404, 162, "-", SCANNER_UA)
            second += randrange(3)
        return written

    def sneaky_session(day: int) -> int:
        ip, ua = rng.choice(sneaky)
        second = day * 86400 + randrange(86400)
        written = emit(second, ip, "GET", root + "robots.txt", "HTTP/1.1", 200, 68, "-", ua)
        for _ in range(rng.randint(5, 40)):
            second += 1 + randrange(5)
            path = rng.choice(countable)
            written += emit(second, ip, "GET", path, "HTTP/1.1", 200, 18000, "-", ua)
        return written

    # the site's photo renditions: 4,000 photos, two widths, JPEG and WebP, content-hashed
    photos = [f"{root}anh/anh-{n:04d}-{width}w-"
              f"{hashlib.sha256(f'{n}-{width}'.encode()).hexdigest()[:8]}.{kind}"
              for n in range(4000) for width in (480, 960) for kind in ("jpg", "webp")]
    countable_set = set(countable)
    documents_set = set(documents)
    pdf_of = dict(zip(documents, u["pdfs"]))
    record_repeat = [0, 0]
    target_bytes = size_mb * 1_000_000
    budget = target_bytes / days
    started = time.perf_counter()
    with open(out_path, "wb", buffering=1 << 22) as out:
        log = Log(out, days)
        for day in range(days):
            stamp = f"{FIRST_DAY[2] + day:02d}/{MONTHS[FIRST_DAY[1] - 1]}/{FIRST_DAY[0]}"
            # the uptime monitor: the home page every five minutes, HEAD
            for minute in range(0, 1440, 5):
                emit(day * 86400 + minute * 60 + 7, MONITOR[1] + "18", "HEAD", root,
                     "HTTP/1.1", 200, 0, "-", MONITOR[0])
            written = 0
            while written < budget:
                r = rand()
                if r < 0.86:
                    written += reader_session(day)
                elif r < 0.985:
                    written += crawler_session(day)
                elif r < 0.995:
                    written += scanner_session(day)
                elif not plain:
                    written += sneaky_session(day)
                if day and FIRST_DAY[2] + day > 30:
                    raise SystemExit("--days runs past the month: make FIRST_DAY earlier")
            log.flush(day, stamp)
            if progress:
                print(f"  day {day + 1}/{days}: {log.bytes / 1e6:,.0f} MB, {log.lines:,} lines, "
                      f"{time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    summary = {"bytes": log.bytes, "lines": log.lines, "days": days, "seed": seed,
               "plain": plain, "reloads": record_repeat[0],
               "prefetches": record_repeat[1],
               "seconds": round(time.perf_counter() - started, 1)}
    if truth_path is not None:
        truth_path.write_text(json.dumps({
            "user_agents": sorted(ua_index, key=ua_index.get),
            "views": {path: {str(k): v for k, v in sorted(counts.items())}
                      for path, counts in sorted(truth.items())},
            "countable": sorted(countable_set)}, indent=0))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--size", type=float, default=1000, help="MB of log (default 1000)")
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--plain", action="store_true",
                        help="the variant for comparing with GoAccess (see above)")
    parser.add_argument("--truth", type=Path, help="write the per-path, per-user-agent counts")
    parser.add_argument("--make-site", type=int, metavar="ARTICLES",
                        help="first write SITE with this many articles")
    args = parser.parse_args()
    if args.make_site:
        make_site(args.site, args.make_site)
    summary = generate(site_urls(args.site), args.out, args.size, args.days, args.seed,
                       args.plain, args.truth)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
