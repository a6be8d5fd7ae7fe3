"""Counting views from log lines: which requests are views, and how many per page per day.

A view is a GET answered 200 or 304 for the address of a page of the site (article, page,
document), on one of the site's hosts, by a client that is not a crawler (crawlerdetect's
list, an empty user agent, or a fetch of robots.txt the same day), not a prefetch, and not a
repeat: the same client asked for the same page less than REPEAT seconds before.

A client is a keyed hash of address and user agent, with a key made for each day from a
secret that lives in this process only: nothing that names a visitor is kept beyond the
process, nor in memory beyond what the open days need. Requests are kept per open day and
counted when the day is closed, once no later line can belong to it; so lines out of time
order, and robots.txt fetched after the pages, are counted as if in order, and memory
follows the busiest days, not the length of the log.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone, tzinfo
from urllib.parse import quote_from_bytes, unquote_to_bytes

from crawlerdetect import CrawlerDetect

from phucdong_site.views.formats import Hit, clf_moment, combined_hit, host_field

REPEAT = 30 * 60                 # seconds within which the same client's request repeats
KNOWN_AGENTS = 20_000            # user agents whose verdict is remembered (most logs: a few
                                 # thousand; more only from bots that vary theirs)
VIEW_STATUSES = (b"200", b"304")
MAX_AGENT = 512                  # bytes: browsers' user agents have 100 to 300
ZONE_STEP = 900                  # every zone offset is a multiple of 15 minutes


@dataclass(slots=True)
class Skipped:
    """Why requests for pages were not counted, for the summary."""

    crawlers: int = 0
    robots: int = 0              # by clients that fetched robots.txt that day
    repeats: int = 0
    prefetches: int = 0
    other_hosts: int = 0
    not_views: int = 0           # not GET, or not answered 200/304


@dataclass(slots=True)
class _Day:
    requests: dict = field(default_factory=dict)    # (client, page) -> moment or [moments]
    robots: set = field(default_factory=set)        # clients that fetched robots.txt
    # (client, page) -> the client by the day before's key, for requests in the first
    # REPEAT seconds: a request at 00:10 repeats one at 23:50, though the key has changed.
    links: dict = field(default_factory=dict)
    midnight: int = 0            # when the day began, in seconds since the epoch


class Tally:
    """Views per (local day, page), from requests fed in any order."""

    def __init__(self, pages: dict[bytes, int], robots_paths: tuple[bytes, ...],
                 hosts: frozenset[bytes], tz: tzinfo):
        """PAGES: each way a page's path is written in a log (with the site's base path,
        /index.html or not, percent-escaped or not) -> the page's number. HOSTS: the site's
        host names, lower case."""
        self.pages, self.robots_paths, self.hosts, self.tz = pages, robots_paths, hosts, tz
        self.totals: Counter[tuple[int, int]] = Counter()    # (day ordinal, page) -> views
        self.skipped = Skipped()
        self.requests = 0        # requests for pages of the site, before the rules
        self._secret = secrets.token_bytes(32)
        self._keys: dict[int, object] = {}     # day -> its keyed hash, not yet fed
        self._days: dict[int, _Day] = {}
        self._tails: dict[int, dict] = {}    # day -> (client, page) -> the last request,
                                             # for those in its last REPEAT seconds
        self._zone_days: dict[int, int] = {}
        self._agents: dict[bytes, bool] = {}
        self._detector = CrawlerDetect()
        self._minutes: dict[bytes, int] = {}
        self._host_verdicts: dict[bytes, bool] = {}

    # The fast reader of the combined family: most lines are not for pages at all, and
    # leave after a split and a dictionary lookup.
    def combined(self, lines: list[bytes], first_number: int, malformed: list[int]) -> int:
        """Feed LINES (without newlines; the first is line FIRST_NUMBER); the numbers of
        lines that are not log lines go to MALFORMED. Returns the latest moment seen, 0 if
        none.

        The rules of _page, written out: this loop is nearly all of the time `views` takes,
        and a call per line was a third of it."""
        pages, robots_paths, minutes, agents = (self.pages, self.robots_paths, self._minutes,
                                                self._agents)
        zone_days = self._zone_days
        latest = requests = not_views = crawlers = prefetches = other_hosts = 0
        day, hasher, seen_today, early_until = -1, None, {}, 0
        for number, line in enumerate(lines, first_number):
            # head [time] "request" status bytes "referrer" "agent" rest: the request and
            # status first, by position (most lines are for no page, and leave here)
            opening = line.find(b'"')
            closing = line.find(b'"', opening + 1)
            if opening < 0 or closing < 0:
                if line.strip():
                    latest = max(latest, self._slow(line, number, malformed))
                continue
            space = line.find(b" ", opening, closing)
            end = line.rfind(b" ", space + 1, closing)
            target = line[space + 1:end if end > 0 else closing] if space > 0 else b""
            query = target.find(b"?")
            if query >= 0:
                target = target[:query]
            page = pages.get(target)
            code = line[closing + 2:closing + 5]
            if page is None or not code.isdigit():
                if not code.isdigit() or line[closing + 1:closing + 2] != b" ":
                    latest = max(latest, self._slow(line, number, malformed))
                elif (target in robots_paths or not target.startswith(b"/") or b"%" in target
                        or b"#" in target):
                    latest = max(latest, self._slow(line, number, malformed))
                continue
            if line[closing + 5:closing + 6] != b" ":       # a status of three digits
                latest = max(latest, self._slow(line, number, malformed))
                continue
            parts = line.split(b'"', 6)
            if len(parts) < 7 or b'\\"' in line:
                latest = max(latest, self._slow(line, number, malformed))
                continue
            request = parts[1]
            space = request.find(b" ")
            head = parts[0]
            bracket = head.find(b"[")
            fields = head.count(b" ", 0, bracket)
            if fields == 3:
                host = b""
            elif fields == 4:    # Apache's vhost_combined: host:port in front
                host = head[:head.find(b" ")]
            else:
                latest = max(latest, self._slow(line, number, malformed))
                continue
            rest = parts[6]      # fields after the user agent: host=, purpose=, times
            if len(rest) < 2:
                rest = b""
            elif not host:
                host = host_field(rest)
            requests += 1
            if host and not self._ours(host):
                other_hosts += 1
                continue
            if request[:space] != b"GET" or (code != b"200" and code != b"304"):
                not_views += 1
                continue
            agent = parts[5]
            crawler = agents.get(agent)
            if crawler is None:
                crawler = self._crawler(agent)
            if crawler:
                crawlers += 1
                continue
            if rest and b"prefetch" in rest.lower():
                prefetches += 1
                continue
            stamp = head[bracket + 1:bracket + 27]
            minute = minutes.get(stamp[:17] + stamp[20:])
            if minute is None:
                minute = self._minute(stamp)
            if (minute is None or not stamp[18:20].isdigit() or stamp[17:18] != b":"
                    or stamp[18:20] > b"60" or head[bracket + 27:bracket + 28] != b"]"):
                requests -= 1
                malformed.append(number)
                continue
            moment = minute + int(stamp[18:20])
            if moment > latest:
                latest = moment
            today = zone_days.get(moment // ZONE_STEP)
            if today is None:
                today = self._day(moment)
            if today != day:
                day, hasher, state = today, self._hasher(today), self._open(today)
                seen_today, early_until = state.requests, state.midnight + REPEAT
            client = hasher.copy()
            address = head[:head.find(b" ")] if fields == 3 else head.split(b" ", 2)[1]
            client.update(address + b"\0" + agent)
            client = client.digest()
            if moment < early_until:
                state.links[(client, page)] = self._client(today - 1, address, agent)
            seen = seen_today.get((client, page))
            if seen is None:
                seen_today[(client, page)] = moment
            elif type(seen) is int:
                seen_today[(client, page)] = [seen, moment]
            else:
                seen.append(moment)
        self.requests += requests
        skipped = self.skipped
        skipped.not_views += not_views
        skipped.crawlers += crawlers
        skipped.prefetches += prefetches
        skipped.other_hosts += other_hosts
        return latest

    def _minute(self, stamp: bytes) -> int | None:
        """01/Dec/2026:10:00:SS +0700 -> the minute's start in seconds since the epoch;
        remembered by the stamp less its seconds."""
        if len(self._minutes) > 100_000:
            self._minutes.clear()
        moment = clf_moment(stamp)
        if moment is None:
            return None
        minute = moment - int(stamp[18:20])
        self._minutes[stamp[:17] + stamp[20:]] = minute
        return minute

    def hit(self, hit: Hit) -> None:
        """A request read by a format's own reader (formats.py)."""
        path = hit.path
        page = self.pages.get(path)
        if page is None and b"%" in path:
            page = self.pages.get(_unescaped(path))
        if page is not None:
            self._page(hit.moment, hit.address, hit.agent, hit.method, page, hit.status,
                       hit.host, hit.purpose)
        elif path in self.robots_paths and (not hit.host or self._ours(hit.host)):
            day = self._day(hit.moment)
            self._open(day).robots.add(self._client(day, hit.address, hit.agent))

    def _slow(self, line: bytes, number: int, malformed: list[int]) -> int:
        hit = combined_hit(line)
        if hit is None:
            malformed.append(number)
            return 0
        self.hit(hit)
        return hit.moment

    def _page(self, moment: int, address: bytes, agent: bytes, method: bytes, page: int,
              status: bytes, host: bytes, rest: bytes) -> None:
        self.requests += 1
        skipped = self.skipped
        if host and not self._ours(host):
            skipped.other_hosts += 1
        elif method != b"GET" or status not in VIEW_STATUSES:
            skipped.not_views += 1
        elif self._crawler(agent):
            skipped.crawlers += 1
        elif rest and b"prefetch" in rest.lower():
            skipped.prefetches += 1
        else:
            day = self._day(moment)
            state = self._open(day)
            requests = state.requests
            key = (self._client(day, address, agent), page)
            if moment < state.midnight + REPEAT:
                state.links[key] = self._client(day - 1, address, agent)
            seen = requests.get(key)
            if seen is None:
                requests[key] = moment
            elif type(seen) is int:
                requests[key] = [seen, moment]
            else:
                seen.append(moment)

    def close_before(self, day: int) -> None:
        """Count every open day before the ordinal DAY: no line still to come is of them."""
        for open_day in sorted(d for d in self._days if d < day):
            self._count(open_day, self._days.pop(open_day))
        for old in [d for d in self._keys if d < day - 1]:
            del self._keys[old]
        for old in [d for d in self._tails if d < day - 1]:
            del self._tails[old]

    def close_all(self) -> None:
        self.close_before(max(self._days, default=0) + 1)

    def day_of(self, moment: int) -> int:
        return self._day(moment)

    def _count(self, day: int, state: _Day) -> None:
        """DAY's views: per client and page, the requests not within REPEAT seconds of
        the one before (the day before's last, for the first), none for robots' clients."""
        totals, skipped, robots, links = self.totals, self.skipped, state.robots, state.links
        before = self._tails.pop(day - 1, {})
        late = state.midnight + self._length(day) - REPEAT
        tails = {}
        for (client, page), seen in state.requests.items():
            moments = [seen] if type(seen) is int else sorted(seen)
            if client in robots:
                skipped.robots += len(moments)
                continue
            previous = before.get((links[(client, page)], page)) \
                if (client, page) in links else None
            views = 0
            for moment in moments:
                if previous is None or moment - previous >= REPEAT:
                    views += 1
                previous = moment
            if views:
                totals[(day, page)] += views
            skipped.repeats += len(moments) - views
            if moments[-1] >= late:
                tails[(client, page)] = moments[-1]
        self._tails[day] = tails

    def _open(self, day: int) -> _Day:
        state = self._days.get(day)
        if state is None:
            state = self._days[day] = _Day(midnight=self._midnight(day))
        return state

    def _midnight(self, day: int) -> int:
        return int(datetime.combine(date.fromordinal(day), time(), self.tz).timestamp())

    def _length(self, day: int) -> int:
        """DAY's length in seconds: 86,400 but where the clock changes."""
        return self._midnight(day + 1) - self._midnight(day)

    def _client(self, day: int, address: bytes, agent: bytes) -> bytes:
        client = self._hasher(day).copy()
        client.update(address + b"\0" + agent)
        return client.digest()

    def _hasher(self, day: int):
        """DAY's keyed hash of clients, to copy for each: its key is made from the
        process's secret, and forgotten with the day."""
        hasher = self._keys.get(day)
        if hasher is None:
            key = hashlib.blake2b(day.to_bytes(4, "big"), key=self._secret).digest()
            hasher = self._keys[day] = hashlib.blake2b(key=key[:32], digest_size=8)
        return hasher

    def _crawler(self, agent: bytes) -> bool:
        if len(agent) > MAX_AGENT:
            # No browser sends one; and crawlerdetect's time grows with the square of its
            # length (8 KiB: 12 s), so a visitor could stall the count with a few.
            return True
        verdict = self._agents.get(agent)
        if verdict is None:
            text = agent.decode("utf-8", "replace").strip()
            verdict = text in ("", "-") or self._detector.is_crawler(text)
            if len(self._agents) >= KNOWN_AGENTS:
                self._agents.clear()
            self._agents[agent] = verdict
        return verdict

    def _ours(self, host: bytes) -> bool:
        if len(host) > 260:      # a host name has at most 253 characters, and a port
            return False
        verdict = self._host_verdicts.get(host)
        if verdict is None:
            name = host.lower()
            if name.count(b":") == 1:
                name = name.split(b":", 1)[0]
            verdict = name.rstrip(b".") in self.hosts
            if len(self._host_verdicts) < KNOWN_AGENTS:
                self._host_verdicts[host] = verdict
        return verdict

    def _day(self, moment: int) -> int:
        """The ordinal of the site's local date at MOMENT."""
        step = moment // ZONE_STEP
        day = self._zone_days.get(step)
        if day is None:
            day = self._zone_days[step] = datetime.fromtimestamp(
                step * ZONE_STEP, timezone.utc).astimezone(self.tz).date().toordinal()
        return day

    def daily(self, paths: list[str]) -> list[tuple[date, str, int]]:
        """The views counted, as rows of the data file; PATHS names each page number."""
        return [(date.fromordinal(day), paths[page], views)
                for (day, page), views in self.totals.items()]


def _unescaped(path: bytes) -> bytes:
    return quote_from_bytes(unquote_to_bytes(path), safe="/").encode()
