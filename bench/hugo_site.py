"""A Hugo site equivalent to ours: article pages, paginated listings, categories, tags, RSS
and sitemap, with templates of similar weight, so the two builds do the same work."""

from __future__ import annotations

import shutil
from pathlib import Path

CONFIG = """baseURL = "https://example.org/"
languageCode = "vi"
title = "Phường Mẫu"
paginate = 10
disableKinds = []
[taxonomies]
category = "categories"
tag = "tags"
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]
[permalinks]
posts = "/:year/:month/:slug/"
"""

BASEOF = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} – {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ .Summary | plainify | truncate 160 }}">
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main><footer>{{ .Site.Title }}</footer></body></html>
"""

SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p class="meta">Ngày đăng {{ .Date.Format "02/01/2006" }} | {{ .Date.Format "15:04" }} | Lượt xem: {{ .Params.views }}</p>
{{ .Content }}
<ul>{{ range .Params.tags }}<li><a href="{{ "/tags/" | relLangURL }}{{ . | urlize }}/">{{ . }}</a></li>{{ end }}</ul>
{{ with .Site.RegularPages.Related . | first 5 }}<h2>Tin liên quan</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}
{{ $paginator := .Paginate $pages }}
<ul>{{ range $paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "02/01/2006 15:04" }}</time><p>{{ .Summary | plainify | truncate 280 }}</p></li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""


def write_hugo_skeleton(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "content" / "posts").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    layouts = root / "layouts" / "_default"
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
