"""Lines of a web server's access log, as `views` reads them: the "combined" family (nginx
and Apache, with a virtual host in front or fields after the user agent), S3 server access
logs and CloudFront standard logs.

A line becomes a Hit, or None when it is not a line of its format. The combined family,
nearly every line of a real log, has its own fast reader in tally.py; the functions here
are for the first lines (to know a file's format and first time) and the other formats.
"""

from __future__ import annotations

import re
from calendar import timegm
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

COMBINED, S3, CLOUDFRONT = "combined", "s3", "cloudfront"
MIN_YEAR, MAX_YEAR = 1970, 9998  # a time outside is no log's: dates beyond cannot be counted

MONTHS = {name: number for number, name in enumerate(
    (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
     b"Dec"), start=1)}


@dataclass(frozen=True, slots=True)
class Hit:
    """What counting needs of one request."""

    moment: int                  # seconds since the epoch, UTC
    address: bytes
    agent: bytes                 # the user agent, as logged
    method: bytes
    path: bytes                  # the request's path, query dropped, percent-escapes kept
    status: bytes                # three digits
    host: bytes                  # b"" when the line does not say
    purpose: bytes               # what the line says after the user agent (prefetch marks)


# [01/Dec/2026:10:00:00 +0700]: nginx's $time_local, Apache's %t.
_CLF_TIME = re.compile(rb"(\d\d)/([A-Z][a-z]{2})/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
# A quoted field as nginx (\x22) or Apache (\") escapes a quote inside it.
_QUOTED = rb'"((?:[^"\\]|\\.)*)"'
_COMBINED = re.compile(
    rb"(?:(?P<vhost>\S+) )?(?P<address>\S+) \S+ (?:\S+|\"[^\"]*\") \[(?P<time>[^\]]{26})\] "
    + _QUOTED.replace(b"(", b"(?P<request>", 1)
    + rb" (?P<status>\d{3}) \S+ " + _QUOTED.replace(b"(", b"(?P<referrer>", 1)
    + rb" " + _QUOTED.replace(b"(", b"(?P<agent>", 1) + rb"(?P<rest>.*)")
# bucket_owner bucket [time] remote_ip requester request_id operation key "request_uri"
# status error_code bytes_sent object_size total_time turnaround "referer" "user_agent"
# version_id host_id signature_version cipher_suite authentication_type host_header ...
_S3 = re.compile(
    rb"\S+ (?P<bucket>\S+) \[(?P<time>[^\]]{26})\] (?P<address>\S+) \S+ \S+ "
    rb"(?P<operation>\S+) (?P<key>\S+) " + _QUOTED.replace(b"(", b"(?P<request>", 1)
    + rb" (?P<status>\d{3}|-) \S+ \S+ \S+ \S+ \S+ " + _QUOTED + rb" "
    + _QUOTED.replace(b"(", b"(?P<agent>", 1)
    + rb"(?: \S+ \S+ \S+ \S+ \S+ (?P<host>\S+))?")


def clf_moment(stamp: bytes) -> int | None:
    """01/Dec/2026:10:00:00 +0700 as seconds since the epoch, or None."""
    match = _CLF_TIME.fullmatch(stamp)
    if match is None:
        return None
    day, month, year, hour, minute, second, sign, zone_hours, zone_minutes = match.groups()
    if month not in MONTHS or not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    try:
        local = timegm((int(year), MONTHS[month], int(day), int(hour), int(minute),
                        int(second)))
    except (ValueError, OverflowError):
        return None
    if not (1 <= int(day) <= 31 and int(hour) < 24 and int(minute) < 60 and int(second) < 61):
        return None
    offset = int(zone_hours) * 3600 + int(zone_minutes) * 60
    return local - offset if sign == b"+" else local + offset


def request_target(request: bytes) -> tuple[bytes, bytes, bytes] | None:
    """GET /a/b/?x=1 HTTP/1.1 -> (b"GET", b"/a/b/", host): the query dropped; an
    absolute target (GET http://host/a/b/) gives its host."""
    method, _, rest = request.partition(b" ")
    target = rest.rpartition(b" ")[0] if rest.count(b" ") else rest
    if not method or not target:
        return None
    host = b""
    if not target.startswith(b"/"):
        scheme, _, after = target.partition(b"://")
        if scheme.lower() not in (b"http", b"https") or not after:
            return method, target.split(b"?", 1)[0], b""
        host, slash, path = after.partition(b"/")
        target = slash + path
    return method, target.split(b"?", 1)[0].split(b"#", 1)[0], host


def combined_hit(line: bytes) -> Hit | None:
    """A line of the combined family by the full pattern (the fast reader's fallback)."""
    match = _COMBINED.fullmatch(line)
    if match is None:
        return None
    moment = clf_moment(match["time"])
    if moment is None:
        return None
    # "-" or a TLS handshake sent to port 80 ("\x16\x03…" 400): a log line, but no request
    # for any page.
    method, path, host = request_target(match["request"]) or (b"", b"", b"")
    vhost = match["vhost"] or b""
    if vhost and not host:
        host = vhost.rsplit(b":", 1)[0] if vhost.count(b":") == 1 else vhost
    rest = match["rest"]
    if not host:
        host = host_field(rest)
    return Hit(moment, match["address"], match["agent"], method, path, match["status"],
               host, rest)


_HOST_FIELD = re.compile(rb"\bhost=\"?([^\s\"]+)")


def host_field(rest: bytes) -> bytes:
    """The host= field among the fields after the user agent, b"" if none."""
    found = _HOST_FIELD.search(rest) if b"host=" in rest else None
    return found.group(1) if found else b""


def s3_hit(line: bytes) -> Hit | None:
    match = _S3.fullmatch(line.rstrip()) or _S3.match(line)
    if match is None:
        return None
    moment = clf_moment(match["time"])
    if moment is None:
        return None
    operation = match["operation"]
    method = operation.split(b".")[1] if operation.count(b".") == 2 else b""
    key = match["key"]
    path = b"/" + (b"" if key == b"-" else unquote_to_bytes(key))
    status = match["status"] if match["status"] != b"-" else b"000"
    return Hit(moment, match["address"], match["agent"], method, path, status,
               match["host"] or b"", b"")


def cloudfront_fields(line: bytes) -> list[bytes] | None:
    """The field names of a CloudFront #Fields: line."""
    if not line.startswith(b"#Fields:"):
        return None
    return line[len(b"#Fields:"):].split()


def cloudfront_hit(line: bytes, fields: dict[bytes, int]) -> Hit | None:
    values = line.split(b"\t")
    if len(values) < len(fields):
        return None
    try:
        day, time = values[fields[b"date"]], values[fields[b"time"]]
        year, month, mday = (int(part) for part in day.split(b"-"))
        hour, minute, second = (int(part) for part in time.split(b":"))
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        moment = timegm((year, month, mday, hour, minute, second))
        method, status = values[fields[b"cs-method"]], values[fields[b"sc-status"]]
        path = values[fields[b"cs-uri-stem"]]
        address = values[fields[b"c-ip"]]
        agent = unquote_to_bytes(values[fields[b"cs(User-Agent)"]])
    except (KeyError, ValueError, OverflowError):
        return None
    if len(status) != 3 or not status.isdigit():
        return None
    host_field = fields.get(b"x-host-header")
    host = values[host_field] if host_field is not None else b""
    return Hit(moment, address, agent, method, path, status, host, b"")


def sniff(lines: list[bytes]) -> str | None:
    """The format of a log from its first lines, or None if none is a log line."""
    for line in lines:
        if line.startswith((b"#Version:", b"#Fields:")):
            return CLOUDFRONT
        if not line.strip():
            continue
        if combined_hit(line) is not None:
            return COMBINED
        if s3_hit(line) is not None:
            return S3
    return None
