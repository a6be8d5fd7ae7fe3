"""`phucdong-site nginx`: an nginx config that serves the built site as it is meant to be
served, from the same header table as the deploy (output/headers.py).

Pretty URLs, the site's 404.html with status 404, the precompressed copies (gzip_static;
brotli_static where Debian's libnginx-mod-http-brotli-static is installed, else no
brotli at all: a map that rewrote to the .br file would have to set the type and encoding
by hand for each kind of file, and gzip already saves most of it), the types and caching of
headers.py, the aliases' 301s from the build's redirects.map, and security headers with a
Content-Security-Policy that the theme's pages pass (no inline script, style or handler:
JSON-LD blocks are data, which CSP does not block).

The config is one file for /etc/nginx/sites-enabled/ (it holds a `map`, which nginx wants
at the http level, where Debian includes that folder); --standalone wraps it in a whole
nginx.conf that runs as any user with its pid and temporary files in a folder of its own
(tests, the bench).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from phucdong_site.config import SiteConfig
from phucdong_site.output.headers import (
    CONTENT_TYPES,
    DEFAULT_TYPE,
    FINGERPRINTED,
    IMMUTABLE,
    MEDIUM,
    SHORT,
    SHORT_EXTENSIONS,
    TEXT_TYPES,
)

BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
MAP_FILE = "redirects.map"       # pages/aliases.py writes it at the output's root
HIDDEN = (MAP_FILE, ".phucdong-site")     # in the output, but not for visitors

# Theme pages load their scripts, styles, photos, search index and service worker from the
# site itself. Editors' raw HTML may show pictures and embedded players from elsewhere
# (https only); nothing runs inline, nothing is a plugin, and no other site frames ours.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'",
    "img-src 'self' data: https:", "media-src 'self' https:", "frame-src https:",
    "connect-src 'self'", "worker-src 'self'", "manifest-src 'self'", "font-src 'self'",
    "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'self'",
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def brotli_available() -> bool:
    """Debian's brotli_static module is installed (libnginx-mod-http-brotli-static)."""
    return BROTLI_MODULE.is_file()


def nginx_config(config: SiteConfig, root: Path, *, listen: str = "80",
                 brotli: bool | None = None, standalone: Path | None = None) -> str:
    """The server config for the site built by CONFIG, deployed at ROOT (an absolute path).
    BROTLI: serve the .br copies (None: if the module is installed). STANDALONE: a whole
    nginx.conf whose pid, logs and temporary files are in that folder."""
    brotli = brotli_available() if brotli is None else brotli
    base = config.base_path                         # "/" or "/phuong/"
    host = urlsplit(config.base_url).hostname or "_"
    root_path = root.absolute().as_posix().rstrip("/")
    folder = standalone.absolute().as_posix() if standalone is not None else None
    log = f"{folder}/access.log" if folder else f"/var/log/nginx/{host}.access.log"
    server = _server(root_path, base, host, listen, brotli, log)
    if folder is None:
        return server
    return _standalone(server, folder, brotli)


def _server(root: str, base: str, host: str, listen: str, brotli: bool, log: str) -> str:
    prefix = re.escape(base)
    log_format = "phucdong_views_" + re.sub(r"[^A-Za-z0-9]", "_", host)
    lines = [
        f"# nginx config for {host}{base}, printed by `phucdong-site nginx`; the site is",
        f"# deployed at {root}/. In /etc/nginx/sites-enabled/ (it needs the http level).",
        "",
        "# The access log `phucdong-site views` counts views from: nginx's combined format,",
        "# then the host asked for and the Sec-Purpose/Purpose header (a browser's prefetch",
        "# of a page is not a view of it). Rotated by Debian's logrotate for nginx.",
        f"log_format {log_format} '$remote_addr - $remote_user [$time_local] \"$request\" '",
        "    '$status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" '",
        "    'host=$host purpose=$http_sec_purpose$http_purpose';",
        "",
        "# The aliases' old addresses (the build's redirects.map) and a 301 for each.",
        "map $uri$is_args$args $phucdong_redirect {",
        f"    include {root}/{MAP_FILE};",
        "}",
        "",
        "# Caching from phucdong_site/output/headers.py, by the file served.",
        "map $uri $phucdong_cache_control {",
        f'    default "{MEDIUM}";',
        *[f'    "~^{prefix}{pattern.pattern}$" "{IMMUTABLE}";'
          for pattern in FINGERPRINTED],
        f'    "~\\.(?:{"|".join(sorted(SHORT_EXTENSIONS))})$" "{SHORT}";',
        f'    "~/$" "{SHORT}";',
        "}",
        "",
        "server {",
        f"    listen {listen};",
        f"    server_name {host};",
        "    server_tokens off;",
        f"    access_log {log} {log_format};",
        "    charset utf-8;",
        f"    charset_types {' '.join(sorted(TEXT_TYPES - {'text/html'}))};",
        "    types {",
        *[f"        {kind} {' '.join(sorted(ext for ext, k in CONTENT_TYPES.items() if k == kind))};"
          for kind in sorted(set(CONTENT_TYPES.values()))],
        "    }",
        f"    default_type {DEFAULT_TYPE};",
        "",
        "    # The .gz and .br copies the build writes beside each page, script and sheet.",
        "    gzip off;",
        "    gzip_static on;",
        "    gzip_vary on;",
        "    gzip_proxied any;",
        *(["    brotli_static on;"] if brotli else
          ["    # brotli_static: not installed (apt install libnginx-mod-http-brotli-static)"]),
        "",
        "    add_header Cache-Control $phucdong_cache_control always;",
        *[f'    add_header {name} "{value}" always;' for name, value in SECURITY_HEADERS.items()],
        "",
        "    if ($phucdong_redirect) {",
        "        return 301 $phucdong_redirect;",
        "    }",
        f"    error_page 404 {base}404.html;",
    ]
    hidden = "|".join(re.escape(name) for name in HIDDEN)
    if base == "/":
        lines += [
            f"    root {root};",
            f"    location ~ ^/(?:{hidden})$ {{",
            "        return 404;",
            "    }",
            "    location / {",
            "        try_files $uri $uri/index.html =404;",
            "    }",
        ]
    else:
        lines += [
            f"    location ~ ^{prefix}(?:{hidden})$ {{",
            "        return 404;",
            "    }",
            f"    location = {base.rstrip('/')} {{",
            f"        return 301 {base};",
            "    }",
            f"    location ^~ {base} {{",
            f"        alias {root}/;",
            "        try_files $uri $uri/index.html =404;",
            "    }",
            "    location / {",
            "        return 404;",
            "    }",
        ]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _standalone(server: str, folder: str, brotli: bool) -> str:
    indented = "".join(f"    {line}" if line.strip() else "\n"
                       for line in server.splitlines(keepends=True))
    return "\n".join([
        "# A whole nginx.conf: nginx -p FOLDER -c FOLDER/nginx.conf, as any user.",
        *([f"load_module {BROTLI_MODULE};"] if brotli else []),
        "master_process off;          # one process, as the user who starts it",
        f"pid {folder}/nginx.pid;",
        f"error_log {folder}/error.log;",
        "events {",
        "    worker_connections 1024;",
        "}",
        "http {",
        "    access_log off;",
        "    sendfile on;",
        "    tcp_nopush on;",
        f"    client_body_temp_path {folder}/body;",
        f"    proxy_temp_path {folder}/proxy;",
        f"    fastcgi_temp_path {folder}/fastcgi;",
        f"    uwsgi_temp_path {folder}/uwsgi;",
        f"    scgi_temp_path {folder}/scgi;",
        indented.rstrip("\n"),
        "}",
        "",
    ])
