"""The register as a Hugo site: one page bundle per document (its PDF beside it, published as
ours is), the section /van-ban/ newest first, paginated at 20, with number, type, date,
summary and download link, a page per document with every field, its status, its files and
the documents it names; listings by type and year (taxonomies loai and nam, paginated at 20)
as ours has, RSS and sitemap (Hugo's defaults). A shell of about our weight (header, menu,
footer) so that the pages are of similar size; the runner reports both sizes."""

from __future__ import annotations

import shutil
from pathlib import Path

CONFIG = """baseURL = "https://example.org/"
languageCode = "vi"
title = "Phường Mẫu"
paginate = 20
[taxonomies]
loai = "loai"
nam = "nam"
[outputs]
home = ["HTML"]
section = ["HTML", "RSS"]
term = ["HTML"]
taxonomy = ["HTML"]
"""

# Header, menu and footer of about the weight of our base.html's (the runner prints the mean
# size of a document page of each, to check).
BASEOF = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Title }} – {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.trich_yeu }}{{ . }}{{ else }}{{ .Site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/css/site.css">
<link rel="alternate" type="application/rss+xml" title="Văn bản" href="/van-ban/index.xml">
<meta property="og:title" content="{{ .Title }}"><meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="website"><meta property="og:locale" content="vi_VN">
<meta property="og:description" content="{{ with .Params.trich_yeu }}{{ . }}{{ end }}"><meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{ .Title }}"><meta name="twitter:description" content="{{ with .Params.trich_yeu }}{{ . }}{{ end }}">
{{ block "head" . }}{{ end }}</head>
<body><a class="skip-link" href="#noi-dung">Bỏ qua, đến nội dung chính</a>
<header class="site-header"><div class="banner"><p class="banner-line">ỦY BAN NHÂN DÂN PHƯỜNG MẪU</p>
<p class="banner-line">CỔNG THÔNG TIN ĐIỆN TỬ</p></div>
<nav class="site-nav" aria-label="Menu chính"><ul class="menu">
<li><a href="{{ "/" | relURL }}">Trang chủ</a></li>
<li><a href="{{ "/van-ban/" | relURL }}"{{ if eq .Section "van-ban" }} aria-current="page"{{ end }}>Văn bản</a></li>
<li><a href="{{ "/loai/" | relURL }}">Theo loại</a></li><li><a href="{{ "/nam/" | relURL }}">Theo năm</a></li>
</ul></nav>
<form class="search-form" action="/tim-kiem/" role="search"><label for="q">Tìm kiếm</label>
<input id="q" name="q" type="search"><button type="submit">Tìm</button></form></header>
<main id="noi-dung">{{ block "main" . }}{{ end }}</main>
<footer class="site-footer"><p class="agency">Cơ quan chủ quản: Ủy ban nhân dân phường Mẫu</p>
<p>Địa chỉ: Phường Mẫu, thành phố Hà Nội. Điện thoại: (điền số điện thoại).
Thư điện tử: (điền thư điện tử).</p><p>Chịu trách nhiệm chính: (điền họ tên, chức vụ)</p>
<p>Ghi rõ nguồn khi phát hành lại thông tin từ trang này.</p></footer></body></html>
"""

ROW = """<li class="document-row"><p class="document-number"><a href="{{ .RelPermalink }}">{{ .Params.so_ky_hieu }}</a></p>
<p class="document-meta">{{ .Params.loai_van_ban }} · Ban hành <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "02/01/2006" }}</time> · {{ partial "status.html" . }}</p>
<p class="document-summary">{{ .Params.trich_yeu }}</p>
<ul class="document-files">{{ range .Resources.Match "*.pdf" }}<li><a href="{{ .RelPermalink }}">Tải về<span class="visually-hidden"> {{ $.Params.so_ky_hieu }}</span> (PDF)</a></li>{{ end }}</ul></li>
"""

STATUS = """{{ if .Params.thay_the_boi }}<span class="status status-replaced">Bị thay thế bởi {{ with site.GetPage (printf "/van-ban/%s" .Params.thay_the_boi) }}<a href="{{ .RelPermalink }}">{{ .Params.so_ky_hieu }}</a>{{ end }}</span>{{ else if .Params.het_hieu_luc }}<span class="status status-expired">Hết hiệu lực từ {{ .Params.het_hieu_luc | time.Format "02/01/2006" }}</span>{{ else }}<span class="status status-in-force">Còn hiệu lực</span>{{ end }}"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $paginator := .Paginate .Pages.ByDate.Reverse }}
<ul class="document-list">{{ range $paginator.Pages }}{{ partial "row.html" . }}{{ end }}</ul>
{{ template "_internal/pagination.html" . }}{{ end }}
"""

# A document names others; the Hugo twin's front matter names them by slug, found by path
# (site.GetPage), not by a search through every page (where), which made Hugo quadratic.
SINGLE = """{{ define "head" }}<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Legislation" "name" .Title "legislationIdentifier" .Params.so_ky_hieu "legislationType" .Params.loai_van_ban "abstract" .Params.trich_yeu "legislationDate" (.Date.Format "2006-01-02") "datePublished" (.Date.Format "2006-01-02") "legislationPassedBy" (dict "@type" "GovernmentOrganization" "name" .Params.co_quan) "legislationResponsible" (dict "@type" "Person" "name" .Params.nguoi_ky) "url" .Permalink "inLanguage" "vi" "publisher" (dict "@type" "GovernmentOrganization" "name" site.Title "url" site.BaseURL) | jsonify | safeJS }}</script>
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "BreadcrumbList" "itemListElement" (slice (dict "@type" "ListItem" "position" 1 "name" "Trang chủ" "item" site.BaseURL) (dict "@type" "ListItem" "position" 2 "name" "Văn bản" "item" (absURL "/van-ban/")) (dict "@type" "ListItem" "position" 3 "name" .Params.so_ky_hieu "item" .Permalink)) | jsonify | safeJS }}</script>{{ end }}
{{ define "main" }}<nav class="breadcrumbs" aria-label="Đường dẫn"><ol><li><a href="/">Trang chủ</a></li><li><a href="/van-ban/">Văn bản</a></li>
<li><a href="{{ "/loai/" | relURL }}{{ .Params.loai_van_ban | urlize }}/">{{ .Params.loai_van_ban }}</a></li><li><span aria-current="page">{{ .Params.so_ky_hieu }}</span></li></ol></nav>
<article class="document"><h1>{{ .Title }}</h1>
<p class="document-summary">{{ .Params.trich_yeu }}</p>
<dl class="document-fields">
<dt>Số, ký hiệu</dt><dd>{{ .Params.so_ky_hieu }}</dd>
<dt>Loại văn bản</dt><dd><a href="{{ "/loai/" | relURL }}{{ .Params.loai_van_ban | urlize }}/">{{ .Params.loai_van_ban }}</a></dd>
<dt>Cơ quan ban hành</dt><dd>{{ .Params.co_quan }}</dd>
<dt>Người ký</dt><dd>{{ .Params.nguoi_ky }}</dd>
<dt>Ngày ban hành</dt><dd><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "02/01/2006" }}</time></dd>
{{ with .Params.ngay_hieu_luc }}<dt>Ngày có hiệu lực</dt><dd>{{ . | time.Format "02/01/2006" }}</dd>{{ end }}
<dt>Tình trạng</dt><dd>{{ partial "status.html" . }}</dd>
<dt>Trích yếu</dt><dd>{{ .Params.trich_yeu }}</dd></dl>
{{ with .Params.thay_the_boi }}{{ with site.GetPage (printf "/van-ban/%s" .) }}<p>Văn bản thay thế: <a href="{{ .RelPermalink }}">{{ .Title }}</a></p>{{ end }}{{ end }}
<h2>Tệp đính kèm</h2><ul class="document-files">{{ range .Resources.Match "*.pdf" }}<li><a href="{{ .RelPermalink }}">Tải về (PDF)</a></li>{{ end }}</ul>
{{ .Content }}
{{ with .Params.lien_quan }}<h2>Văn bản liên quan</h2><ul>{{ range . }}{{ with site.GetPage (printf "/van-ban/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
</article>{{ end }}
"""


def write_hugo_skeleton(root: Path) -> None:
    if root.exists():
        shutil.rmtree(root)
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (root / "layouts" / "partials").mkdir()
    (root / "content" / "van-ban").mkdir(parents=True)
    (root / "config.toml").write_text(CONFIG, encoding="utf-8")
    (root / "content" / "van-ban" / "_index.md").write_text(
        "---\ntitle: Văn bản\n---\n", encoding="utf-8")
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    (root / "layouts" / "partials" / "row.html").write_text(ROW, encoding="utf-8")
    (root / "layouts" / "partials" / "status.html").write_text(STATUS, encoding="utf-8")
