"""Random front matter, bodies and file names thrown at the loader and the renderer: the only
outcomes are a page or content errors. `make fuzz` runs the same properties far longer
(HYPOTHESIS_PROFILE=long)."""

import json
import shutil
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phucdong_site.config import load_config
from phucdong_site.content.article import parse_article
from phucdong_site.errors import ContentError, ErrorList
from phucdong_site.models import Article

KEYS = st.sampled_from(["title", "date", "views", "photos", "category", "tags", "featured",
                        "summary", "draft", "slug", "tittle", "photo", "nguon"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=40),
                    st.sampled_from(["2021-01-07 18:11", "2021-02-31", "07/01/2021 18:11",
                                     "2021-01-07T18:11:00+07:00", "9999-12-31T23:59:00-12:00",
                                     "0001-01-01 00:00", "1900-01-01T00:00+14:00", "Phúc Đồng", "photos/a.jpg",
                                     "../../etc/passwd", "/abs.jpg", "tin-tuc-su-kien"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["src", "caption", "x"]), inner,
                                                 max_size=3)), max_leaves=8)


def write(root: Path, text: str) -> Path:
    path = root / "content" / "fuzz.md"
    path.write_text(text, encoding="utf-8")
    return path


def assert_model_or_errors(path: Path, root: Path) -> None:
    config = load_config(root)
    try:
        article = parse_article(path, config)
    except ErrorList as problems:
        assert problems.errors and all(isinstance(e, ContentError) for e in problems.errors)
        assert all(str(e).startswith("content/fuzz.md") for e in problems.errors)
    else:
        assert isinstance(article, Article) and article.title and article.slug


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(meta=st.dictionaries(KEYS, VALUES, max_size=8), body=st.text(max_size=200))
def test_random_front_matter_gives_a_model_or_content_errors(site, meta, body):
    front = yaml.safe_dump(meta, allow_unicode=True)
    path = write(site.root, f"---\n{front}---\n{body}")
    assert_model_or_errors(path, site.root)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_random_file_text_gives_a_model_or_content_errors(site, text):
    path = write(site.root, f"---\n{text}")
    assert_model_or_errors(path, site.root)


MARKDOWN = st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from(["*", "**", "_", "`", "```", "[", "]", "(", ")", "![", "<", ">", "&", "#",
                     "- ", "1. ", "> ", "|", "---", "\n", "\n\n", "    ", "<div>", "</div>",
                     "<script>", "[^1]", "{: .x}", "![a](photos/a.jpg)", "![b](khong-co.jpg)",
                     "[x](../2024/khac.md)", "Phúc Đồng", "\u0301", "\u200b"])), max_size=40)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=MARKDOWN)
def test_random_markdown_bodies_render_or_report(site, parts):
    site.photo("photos/a.jpg")
    path = write(site.root, '---\ntitle: "Tin"\ndate: 2024-01-01\n---\n' + "".join(parts))
    assert_model_or_errors(path, site.root)


NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\0"),
                min_size=1, max_size=40).filter(lambda n: n not in (".", "..") and
                                                  len(n.encode("utf-8")) < 200)


@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          max_examples=max(10, settings().max_examples // 5))
@given(name=NAMES, title=st.text(min_size=1, max_size=60))
def test_random_file_names_and_titles_build_or_report(site, invoke, name, title):
    folder = site.root / "content" / "x"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    (folder / f"{name}.md").write_text(
        f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndate: 2024-01-01\n---\nBài.\n",
        encoding="utf-8")
    result = invoke("build", str(site.root), "-q")
    assert result.code in (0, 1), result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    if result.code == 1:
        assert all(line.startswith(("content/", "  hint:")) or line.endswith("found")
                   for line in result.err.strip().splitlines()), result.err
