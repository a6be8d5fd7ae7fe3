"""`serve`: build, serve the output on 127.0.0.1, rebuild on change, reload open pages.

The live-reload script and the error overlay are added to HTML responses here, as they
are sent; they are never written into any output folder. The script listens on a
Server-Sent-Events stream and reloads the page whenever a rebuild finishes: after a
success the page shows the new text, after a failure it shows the previous good page
with the list of problems over it, and the next successful rebuild clears that list.
"""

from __future__ import annotations

import contextlib
import errno
import html
import ipaddress
import json
import mimetypes
import signal
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from phucdong_site import system
from phucdong_site.config import SiteConfig, load_config
from phucdong_site.console import print_warnings, summary
from phucdong_site.errors import ErrorList, SiteError, os_reason
from phucdong_site.language import N_, _, choose, ngettext
from phucdong_site.pipeline import Warm, build
from phucdong_site.report import Dropped, Progress
from phucdong_site.serve.watcher import Change, ChangeKind, Watcher

PREFIX = "/_phucdong/"           # the server's own endpoints; no page URL starts with "_"
EVENTS = f"{PREFIX}events"
STATUS = f"{PREFIX}status"
_SIOCGIFADDR = 0x8915           # Linux: an interface's IPv4 address
KEEPALIVE_SECONDS = 15           # a comment on the event stream finds closed tabs
IDLE_SECONDS = 5                 # a connection that sends nothing this long is closed
# Longest a page request waits for the build under way before it gets the page as it is:
# a page is not served stale while it may be being rebuilt, yet a build that takes long (a
# title edited on 10,000 articles, a runaway body) does not leave the preview unanswered.
# Open pages reload when the build is over in any case.
BUILD_WAIT_SECONDS = 3
LOOK_SECONDS = 0.5               # longest the build waits for open pages to reload first
SENT_QUIET_SECONDS = 0.05        # nothing sent this long: a reloaded page has what it needs
MAX_CONNECTIONS = 48             # threads answering at once (open tabs' event streams too)
SERVE_DIR = "serve"              # under .cache/: see serve_output_dir()
ERROR_HEADING = N_("The page could not be updated: there are errors to fix")
ERROR_NOTE = N_("This is the last good version of the page. Fix the errors below and save the "
                "file; the page reloads by itself.")
SOURCE_SUFFIXES = {".md", ".toml", ".html", ".css", ".js", ".jpg", ".jpeg", ".png", ".webp",
                   ".gif", ".heic", ".heif", ".svg", ".xml", ".txt"}
TEXT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript",
              ".xml": "application/xml", ".json": "application/json", ".txt": "text/plain",
              ".svg": "image/svg+xml", ".webmanifest": "application/manifest+json"}

def live_reload_script(version: str) -> str:
    """The script added to each page: it reloads the page when the site is no longer the
    VERSION it was sent at. Comparing with the version sent, not the first one the event
    stream tells, reloads a page that was sent just before a build ended too (it asked
    for the stream after)."""
    return f"""<script data-phucdong-serve>
/* phucdong-site serve: reload this page when the site has been rebuilt (never in build output) */
(function () {{
  var source = new EventSource("{EVENTS}");
  source.onmessage = function (event) {{
    window.phucdongServeVersion = window.phucdongServeVersion || event.data;
    if (event.data !== "{version}") {{ source.close(); location.reload(); }}
  }};
}})();
</script>"""


def serve_output_dir(config: SiteConfig) -> Path:
    """Where serve builds: .cache/serve/, never build/.

    A served build has base_url http://127.0.0.1:PORT/ and includes drafts; in build/ it
    could be published by mistake. .cache/ is the tool's own folder, git-ignored and safe
    to delete, and keeping the last served site there makes the next start show a page
    at once even if the content is broken at that moment.
    """
    return config.cache_dir / SERVE_DIR


@dataclass
class BuildState:
    """The outcome of the last build, shared by the rebuild thread and request threads."""

    token: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    generation: int = 0          # finished builds, failed ones included
    errors: tuple[str, ...] = ()  # the problems of the last build; () when it succeeded
    closed: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)
    building: bool = False       # a build is under way: its pages are not out yet
    # Pages shown ahead of the build under way (first_look), by path in the output.
    ahead: dict[str, bytes] = field(default_factory=dict)
    looks: int = 0               # how many times pages were shown ahead
    owed: bool = False           # a build ended unseen behind newer pages: reload after
    shown: int = 0               # what open pages have been told to reload for
    listeners: int = 0           # open pages (their event streams)
    ahead_served: bool = False   # a page shown ahead has been sent since it was made
    sending: int = 0             # responses being sent
    last_sent: float = 0.0       # when the last one ended (monotonic)

    @property
    def version(self) -> str:
        """What the page script compares: a new value means "reload"."""
        return f"{self.token}-{self.shown}"

    def began(self) -> int:
        """A build starts; returns the looks so far (see finished)."""
        with self.changed:
            self.building = True
            return self.looks

    def looked(self, pages: dict[str, bytes]) -> None:
        """PAGES are the build's own, ahead of it: open pages reload and get them."""
        with self.changed:
            self.ahead = pages
            self.looks += 1
            self.ahead_served = False
            self.shown += 1
            self.changed.notify_all()

    def let_pages_load(self, limit: float) -> None:
        """Wait, LIMIT seconds at most, while open pages reload with the pages shown ahead:
        until one has been sent and then nothing (their styles, scripts, photos) for
        SENT_QUIET_SECONDS. A build started at once would share the interpreter with the
        threads sending them, and the reload the editor waits for would take as long."""
        deadline = time.monotonic() + limit
        with self.changed:
            if not self.listeners:
                return
            self.changed.wait_for(lambda: self.ahead_served or self.closed, limit)
            while (left := deadline - time.monotonic()) > 0 and not self.closed:
                quiet = time.monotonic() - self.last_sent
                if not self.sending and quiet >= SENT_QUIET_SECONDS:
                    return
                self.changed.wait(min(left, SENT_QUIET_SECONDS))

    @contextlib.contextmanager
    def counted(self, name: str):
        """NAME ("sending", "listeners") counts this while it lasts; the end of a response
        is the time of the last one sent."""
        with self.changed:
            setattr(self, name, getattr(self, name) + 1)
        try:
            yield
        finally:
            with self.changed:
                setattr(self, name, getattr(self, name) - 1)
                if name == "sending":
                    self.last_sent = time.monotonic()
                self.changed.notify_all()

    def finished(self, errors: tuple[str, ...], seen: bool = False,
                 looks: int | None = None) -> None:
        """SEEN: the build made the very pages shown ahead of it and no other page, so open
        pages need not reload again. LOOKS: what began() returned; when pages of a newer
        save were shown ahead since, they stay, and open pages reload with the build of
        that save, not with this older one's (nor with its errors: that build tells).
        That build reloads them in any case: pages other than those shown ahead may have
        been sent from this older one's output."""
        with self.changed:
            self.generation += 1
            if looks is not None and self.looks > looks:
                self.owed = True
                self.changed.notify_all()
                return
            self.shown += 0 if seen and not errors and not self.errors and not self.owed else 1
            self.owed = False
            self.errors = errors
            self.building = False
            self.ahead = {}
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def wait_for_change(self, version: str, timeout: float) -> str:
        with self.changed:
            self.changed.wait_for(lambda: self.closed or self.version != version, timeout)
            return self.version

    def page_ahead(self, path: str, timeout: float) -> tuple[bytes | None, str]:
        """The page at PATH shown ahead of the build under way; else, for a page the build
        is making, None once the build is over: a request waits rather than get the page
        the build is replacing. And the version the page is of (for a page read from
        the output after this, it or an older one: the page reloads once more at worst)."""
        with self.changed:
            page = self.ahead.get(path)
            if page is None and path.endswith(".html"):
                self.changed.wait_for(lambda: self.closed or not self.building
                                      or path in self.ahead, timeout)
                page = self.ahead.get(path)
            self.ahead_served = self.ahead_served or page is not None
            return page, self.version


def error_lines(error: BaseException) -> tuple[str, ...]:
    """One entry per problem, file:line: field: message (with its hint)."""
    if isinstance(error, ErrorList):
        return tuple(str(problem) for problem in error.errors)
    if isinstance(error, SiteError):
        return tuple(error.lines())
    if isinstance(error, OSError):
        where = f"{error.filename}: " if error.filename else ""
        return (f"{where}{os_reason(error)}",)
    return (_("internal error: {error} (run with --debug and report it)").format(
        error=f"{type(error).__name__}: {error}"),)


def overlay(errors: tuple[str, ...]) -> str:
    """The error list shown over the last good page; every text escaped.

    Opaque and above everything (the largest z-index, after the page's own elements), so it
    reads the same over any page; it scrolls by itself when the list is long. Its styles are
    inline and start from `all: initial` (the box) and `all: revert` (its parts), so the
    page's stylesheet, whatever the theme, does not reach into it. Sizes are in px and em:
    the page's root font size does not change them."""
    item = "all:revert;display:list-item;margin:0 0 .75em"
    items = "".join(f'<li style="{item}">{html.escape(line)}</li>' for line in errors)
    return f"""<div id="phucdong-serve-errors" role="alert" lang="{choose()}" tabindex="-1" autofocus \
style="all:initial;display:block;position:fixed;top:0;right:0;bottom:0;left:0;\
z-index:2147483647;box-sizing:border-box;overflow:auto;overscroll-behavior:contain;\
background:#1b1b1b;color:#fff;color-scheme:dark;font:16px/1.5 system-ui,sans-serif;\
text-align:left;overflow-wrap:anywhere;padding:24px clamp(16px,4vw,32px)">
<h1 style="all:revert;display:block;margin:0 0 .5em;font:700 1.375em/1.3 system-ui,sans-serif;\
color:#ffb4a9">{html.escape(_(ERROR_HEADING))}</h1>
<p style="all:revert;display:block;margin:0 0 1em">{html.escape(_(ERROR_NOTE))}</p>
<ol style="all:revert;display:block;margin:0;padding:0 0 0 1.75em;list-style:decimal;\
font:15px/1.6 ui-monospace,monospace;white-space:pre-wrap">{items}</ol>
</div>"""


def error_page() -> str:
    """The bare page under the overlay when the site has never built."""
    title = html.escape(_("Error"))
    return (f'<!doctype html><html lang="{choose()}"><head><meta charset="utf-8">'
            f'<title>{title}</title></head><body></body></html>')


def refusal_page() -> str:
    """What a request for another site's name gets: a line, and nothing of the site."""
    title = html.escape(_("This preview answers only to this computer's addresses."))
    return (f'<!doctype html><html lang="{choose()}"><head><meta charset="utf-8">'
            f'<title>421</title></head><body><p>{title}</p></body></html>')


def inject(page: str, errors: tuple[str, ...], version: str) -> str:
    """PAGE with the live-reload script (and the error overlay) before </body>."""
    extra = (overlay(errors) if errors else "") + live_reload_script(version)
    at = page.lower().rfind("</body>")
    return f"{page[:at]}{extra}{page[at:]}" if at >= 0 else page + extra


def content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    kind = TEXT_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in {"application/xml", "application/json",
                                            "image/svg+xml", "application/manifest+json"}:
        return f"{kind}; charset=utf-8"
    return kind


class Handler(BaseHTTPRequestHandler):
    """GET/HEAD of the output folder with pretty URLs, plus the event stream and status."""

    server: SiteServer
    protocol_version = "HTTP/1.0"
    timeout = IDLE_SECONDS       # on every read and write: an idle connection is closed

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _respond(self, head: bool) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        host = self.headers.get("Host", "")
        if not (local_name(host, self.server.names) and
                (path not in (EVENTS, STATUS) or same_origin(self.headers.get("Origin"), host))):
            # A page on another site whose name was pointed at this computer (DNS
            # rebinding) would read drafts and the build's state, and any other site's
            # page the build's state: only addresses of this computer or its network are
            # answered, and the event stream and status only to the preview's own pages.
            return self._send(HTTPStatus.MISDIRECTED_REQUEST, refusal_page().encode(),
                              "text/html; charset=utf-8", head)
        if path == EVENTS:
            return self._events()
        if path == STATUS:
            return self._status(head)
        parts = [part for part in path.split("/") if part not in ("", ".")]
        if "\x00" in path or any(part == ".." or part.startswith(".") for part in parts):
            return self._not_found(head)
        root = self.server.root
        file = root.joinpath(*parts)
        try:
            if file.is_dir():
                if not path.endswith("/"):
                    query = f"?{url.query}" if url.query else ""
                    return self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head,
                                      {"Location": f"{url.path}/{query}"})
                file = file / "index.html"
            found = file.is_file()
        except OSError:          # a name longer than a file name or path may be, and the like
            found = False
        if not found:
            return self._not_found(head)
        ahead, version = self.server.state.page_ahead(file.relative_to(root).as_posix(),
                                                      BUILD_WAIT_SECONDS)
        if ahead is not None:
            return self._send_html(HTTPStatus.OK, ahead.decode(), head, version)
        self._send_file(HTTPStatus.OK, file, head, version)

    def _not_found(self, head: bool) -> None:
        page = self.server.root / "404.html"
        if page.is_file():
            return self._send_file(HTTPStatus.NOT_FOUND, page, head)
        self._send_html(HTTPStatus.NOT_FOUND, error_page(), head)

    def _send_file(self, status: HTTPStatus, file: Path, head: bool,
                   version: str | None = None) -> None:
        """VERSION: the site's when the file was found, else now (before it is read)."""
        version = version or self.server.state.version
        try:
            data = file.read_bytes()
        except OSError:          # swapped out by a rebuild between the check and the read
            return self._send_html(HTTPStatus.NOT_FOUND, error_page(), head, version)
        if file.suffix.lower() == ".html":
            return self._send_html(status, data.decode("utf-8", "replace"), head, version)
        self._send(status, data, content_type(file), head)

    def _send_html(self, status: HTTPStatus, page: str, head: bool,
                   version: str | None = None) -> None:
        state = self.server.state
        body = inject(page, state.errors, version or state.version).encode("utf-8")
        self._send(status, body, "text/html; charset=utf-8", head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool,
              headers: dict[str, str] | None = None) -> None:
        with self.server.state.counted("sending"):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-cache")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if not head:
                self.wfile.write(body)

    def _status(self, head: bool) -> None:
        state = self.server.state
        body = json.dumps({"version": state.version, "builds": state.generation,
                           "building": state.building, "ok": not state.errors,
                           "errors": list(state.errors)},
                          ensure_ascii=False).encode("utf-8")
        self._send(HTTPStatus.OK, body, "application/json; charset=utf-8", head)

    def _events(self) -> None:
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        version = state.version
        try:
            with state.counted("listeners"):
                self._stream(state, version)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass                 # the tab was closed or reloaded

    def _stream(self, state: BuildState, version: str) -> None:
        self.wfile.write(f"retry: 500\ndata: {version}\n\n".encode())
        self.wfile.flush()
        while not state.closed:
            new = state.wait_for_change(version, KEEPALIVE_SECONDS)
            message = f"data: {new}\n\n" if new != version else ": keepalive\n\n"
            version = new
            self.wfile.write(message.encode())
            self.wfile.flush()


class SiteServer(ThreadingHTTPServer):
    """One thread per connection, MAX_CONNECTIONS at most: a connection beyond them is
    answered 503 at once, without a thread."""

    daemon_threads = True        # open event streams must not keep the process alive
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, state: BuildState, verbose: bool):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)
        self.root, self.state, self.verbose = root, state, verbose
        # The name the editor gave with --host is this computer's too.
        self.names = frozenset({address[0].strip("[]").rstrip(".").lower()} - {""})
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self._held: set = set()          # the connections that hold a slot
        self._holding = threading.Lock()

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            try:
                request.settimeout(0)    # a few bytes into an empty socket: never waits
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        with self._holding:
            self._held.add(request)
        try:
            super().process_request(request, client_address)
        except BaseException:
            # No thread was started to free it; or one was, and the exception came after
            # (Ctrl+C or SIGTERM while Thread.start waits for it): freed once either way.
            self._free(request)
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._free(request)

    def _free(self, request) -> None:
        with self._holding:
            if request in self._held:
                self._held.discard(request)
                self.slots.release()

    def handle_error(self, request, client_address) -> None:
        # A tab closed while its page was being sent is normal; anything else is one line
        # in the terminal, not a traceback in the editor's face.
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):   # or gone idle
            print("serve: " + _("{error} (request from {client})").format(
                error=f"{type(error).__name__}: {error}", client=client_address[0]),
                  file=sys.stderr, flush=True)


def local_name(host: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a Host header (name[:port]) names this computer or its network as typed by
    someone who means it: an IP address, localhost, this computer's own name, or one of
    NAMES (the --host given). A DNS name of another site (rebinding) is none of these.

    Any port: an SSH tunnel or a container's published port reaches the preview on
    another port than it listens on, and a rebinding page is told apart by its name."""
    try:
        name = urlsplit(f"//{host}").hostname if host else None
    except ValueError:
        return False             # "[::1" and the like
    if not name:
        return False
    name = name.rstrip(".").lower()
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    own = socket.gethostname().lower()
    return (name in {"localhost", own, f"{own}.local"} or name in names
            or name.endswith(".localhost"))


def same_origin(origin: str | None, host: str) -> bool:
    """Whether the page asking for the event stream or the status is one of this
    preview's, loaded from HOST (the Host header, checked apart), or says nothing, as the
    browser's own request for a page does not. Another page of this computer (another
    program's, on another port) is not one of them."""
    if origin is None:
        return True
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def network_urls(bound: str, port: int) -> list[str]:
    """The addresses other computers reach a preview listening on BOUND (the address the
    socket was really bound to, never a name) at: none for this computer's loopback; for a
    wildcard (0.0.0.0, ::), the address of each of this computer's interfaces, as far as
    it knows them without asking the network."""
    address = ipaddress.ip_address(bound.split("%")[0])
    if address.is_loopback:
        return []
    if not address.is_unspecified:
        return [url_of(bound, port)]
    found = dict.fromkeys(_interface_addresses(ipv6=address.version == 6))
    addresses = [a for a in found if not ipaddress.ip_address(a).is_loopback]
    return [url_of(address, port) for address in addresses] or [url_of(bound, port)]


def _interface_addresses(ipv6: bool) -> list[str]:
    """This computer's IPv4 addresses (and IPv6 ones with IPV6, which a socket bound to ::
    serves too): each interface's on Linux, the host name's and the default route's
    anywhere."""
    found: list[str] = []
    if sys.platform.startswith("linux") and system.ioctl is not None:   # Linux's ioctl number
        import struct
        with contextlib.suppress(OSError), \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            for _index, name in socket.if_nameindex():
                with contextlib.suppress(OSError):         # an interface with no IPv4
                    answer = system.ioctl(probe.fileno(), _SIOCGIFADDR,
                                         struct.pack("256s", name.encode()[:15]))
                    found.append(socket.inet_ntoa(answer[20:24]))
        if ipv6:
            with contextlib.suppress(OSError):
                for line in Path("/proc/net/if_inet6").read_text().splitlines():
                    fields = line.split()
                    if len(fields) >= 4 and fields[3] == "00":     # global scope
                        found.append(str(ipaddress.IPv6Address(bytes.fromhex(fields[0]))))
    with contextlib.suppress(OSError):
        for *_rest, address in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(address[0])
    with contextlib.suppress(OSError):   # the default route's address: connect() sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    return found


def url_of(address: str, port: int) -> str:
    return f"http://{f'[{address}]' if ':' in address else address}:{port}/"


def site_url(host: str, port: int) -> str:
    """The address to open: a wildcard host (all interfaces) is opened as this computer."""
    shown = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)
    return f"http://{f'[{shown}]' if ':' in shown else shown}:{port}/"


class Superseded(Dropped):
    """A newer save is waiting: the build under way is dropped for one that includes it."""


class DroppedForNewer(Progress):
    """PROGRESS, for a build that stops (Superseded) at its next step once NEWER() says a
    newer save is waiting: the editor sees that save's page first, not after the build of
    the one before (5 s of a title edit at 10,000 articles). The build stops before its
    output is swapped in, as any failed build does; the next one stages where it left off
    (Staging keeps the folder)."""

    def __init__(self, progress: Progress, newer) -> None:
        self.progress, self.newer = progress, newer

    def stage(self, name: str, total: int) -> None:
        self._check()
        self.progress.stage(name, total)

    def advance(self, count: int = 1) -> None:
        self._check()
        self.progress.advance(count)

    def between(self) -> None:
        self._check()

    def waiting(self, out_dir: Path) -> None:
        self.progress.waiting(out_dir)

    def finish(self) -> None:
        self.progress.finish()

    def _check(self) -> None:
        if self.newer():
            raise Superseded


class Rebuilder:
    """Builds the served site and records the outcome; prints what happened."""

    def __init__(self, site_dir: Path, output_dir: Path, base_url: str, state: BuildState, *,
                 quiet: bool, verbose: bool, progress: Progress):
        self.site_dir, self.output_dir, self.base_url = site_dir, output_dir, base_url
        self.state, self.quiet, self.verbose, self.progress = state, quiet, verbose, progress
        self.warm = Warm()
        self.unbuilt: dict[Change, None] = {}    # changes since the last build that ended
        self._taking = threading.Lock()          # over unbuilt: serve's loop takes saves

    def config(self) -> SiteConfig:
        """site.toml read again (it may have changed), with the preview's settings."""
        # Drafts are shown: the editor previews the article they are writing.
        return load_config(self.site_dir, self.output_dir, base_url=self.base_url, drafts=True)

    def run(self, changes: tuple[Change, ...] = (), newer=None) -> bool:
        """One build of CHANGES and those of builds dropped before; True when it succeeded.
        Never raises for anything an editor can cause.

        When only article bodies were edited, their pages are shown first (look). NEWER()
        says whether a newer save is waiting: the build is then dropped, and the next one
        builds its changes too."""
        self.take(changes)
        return self.build(self.look(), newer)

    def take(self, changes: tuple[Change, ...]) -> None:
        """CHANGES are to be built (by the next build, or the one under way if it ends)."""
        with self._taking:
            self.unbuilt.update(dict.fromkeys(changes))

    def look(self) -> dict[str, bytes] | None:
        """The pages of the edited articles, shown at once when only their bodies or titles
        changed, at the same address (first_look), or None. serve's loop looks as soon as a
        save is taken, beside the build under way (dropped at its next step), not after it."""
        with self._taking:
            changes = tuple(self.unbuilt)
        if not changes or self.state.errors or any(
                change.kind is not ChangeKind.CONTENT for change in changes):
            return None
        try:
            ahead = self.warm.first_look(self.config(), [change.path for change in changes])
        except Exception:  # noqa: BLE001 - the build that follows reports it
            return None
        if ahead:
            self.state.looked(ahead)
        return ahead

    def build(self, ahead: dict[str, bytes] | None, newer=None) -> bool:
        """The whole build of what was taken, after the pages AHEAD (a look's) are shown;
        True when it succeeded. NEWER: see run."""
        with self._taking:
            changes = tuple(self.unbuilt)
        looks = self.state.began()
        try:
            if ahead:
                self.state.let_pages_load(LOOK_SECONDS)
            config = self.config()
            progress = self.progress if newer is None else DroppedForNewer(self.progress, newer)
            report = build(config, progress, preview=True, warm=self.warm)
        except Superseded:
            return False         # still building: the next batch is taken at once
        except Exception as error:  # noqa: BLE001 - an editor's mistake, or even a bug of
            errors = error_lines(error)  # ours, must not stop the preview
        else:
            # The build rendered no page but those shown ahead, and made them the same.
            self.state.finished((), seen=bool(ahead) and report.rendered == len(ahead) and all(
                _holds(self.output_dir / path, page) for path, page in ahead.items()),
                looks=looks)
            if not self.quiet:
                done = summary(report.articles, report.pages, report.photos, report.seconds)
                what = (_("Rebuilt{files}: {summary}") if changes else
                        _("Built{files}: {summary}"))
                print(what.format(files=_changed(changes, self.site_dir, self.verbose),
                                  summary=done), flush=True)
            print_warnings(report.warnings)
            self._built(changes)
            return True
        self._built(changes)
        self.state.finished(errors, looks=looks)
        print(_("Could not build{files}; the last good pages are kept:").format(
            files=_changed(changes, self.site_dir, self.verbose)), file=sys.stderr)
        for line in errors:
            print(line, file=sys.stderr)
        print(ngettext("{count} problem; fix it and save to build again",
                       "{count} problems; fix them and save to build again",
                       len(errors)).format(count=len(errors)), file=sys.stderr, flush=True)
        return False

    def _built(self, changes: tuple[Change, ...]) -> None:
        # Only these: a save taken while this build ran goes to the next one.
        with self._taking:
            for change in changes:
                self.unbuilt.pop(change, None)


def _holds(file: Path, data: bytes) -> bool:
    try:
        return file.read_bytes() == data
    except OSError:
        return False


def _changed(changes: tuple[Change, ...], site_dir: Path, verbose: bool) -> str:
    if not changes:
        return ""
    # Leave out what an editor's save left behind and removed again (sed's and other
    # tools' temporary files): the line names the files the editor changed.
    names = sorted({change.path.as_posix() for change in changes
                    if (site_dir / change.path).exists()
                    or change.path.suffix.lower() in SOURCE_SUFFIXES}) or ["…"]
    if len(names) > 3 and not verbose:
        names = names[:3] + [f"… (+{len(names) - 3})"]
    return f" ({', '.join(names)})"


def serve(site_dir: Path, host: str = "127.0.0.1", port: int = 8000, *, quiet: bool = False,
          verbose: bool = False, progress: Progress = Progress()) -> None:
    """Serve SITE_DIR until interrupted (Ctrl+C or SIGTERM)."""
    output_dir = serve_output_dir(load_config(site_dir))   # a broken site.toml stops here
    state = BuildState()
    try:
        server = SiteServer((host, port), output_dir, state, verbose)
    except OSError as error:
        busy = (_(" (another program uses it; try --port 0)")
                if port and error.errno == errno.EADDRINUSE else "")
        raise SiteError(_("cannot listen on {address}: {reason}").format(
            address=f"{host}:{port}", reason=os_reason(error)) + busy) from None
    url = site_url(host, server.server_address[1])
    rebuilder = Rebuilder(site_dir, output_dir, url, state, quiet=quiet, verbose=verbose,
                          progress=progress)
    watcher = Watcher(site_dir, logo=lambda: _logo(site_dir))
    worker = threading.Thread(target=_rebuild_loop, args=(watcher, rebuilder), daemon=True,
                              name="rebuild")
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        watcher.start()          # before the first build: a save during it is not lost
        rebuilder.run()
        worker.start()
        print(_("See the site at {url}  (Ctrl+C to stop)").format(url=url), flush=True)
        bound, bound_port = server.server_address[:2]
        network = network_urls(bound, bound_port)
        if network:
            print(_("serve: warning: --host {host}: listening on {address}: drafts and articles "
                    "not yet published are visible to every computer that can reach this "
                    "one, at {urls}").format(
                        host=host, address=url_of(bound, bound_port)[7:-1],
                        urls=", ".join(network)), file=sys.stderr, flush=True)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        watcher.stop()
        state.close()
        if worker.is_alive():
            # A rebuild cut short leaves only its staging folder, which the next run removes.
            worker.join(timeout=10)
        server.server_close()


def _logo(site_dir: Path) -> Path | None:
    """The logo site.toml names now, relative to the site; None when none, or while
    site.toml cannot be read (the rebuild reports that)."""
    try:
        logo = load_config(site_dir).logo
    except (ErrorList, OSError):
        return None
    return Path(logo) if logo else None


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _rebuild_loop(watcher: Watcher, rebuilder: Rebuilder) -> None:
    """Take each batch of saves as it comes: drop the build under way (at its next step),
    show the first look of a body edit at once, beside it, then build again."""
    dropping = threading.Event()
    building: threading.Thread | None = None

    def newer() -> bool:
        return dropping.is_set() or watcher.has_changes()

    try:
        while not watcher.stopping.is_set():
            batch = watcher.next_batch(timeout=0.25)
            if not batch:
                continue
            dropping.set()
            rebuilder.take(batch)
            ahead = rebuilder.look()
            if building is not None:
                building.join()
            dropping.clear()
            building = threading.Thread(target=rebuilder.build, args=(ahead, newer),
                                        daemon=True, name="build")
            building.start()
    finally:
        dropping.set()           # stopping: the build under way ends at its next step
        if building is not None:
            building.join(timeout=10)
