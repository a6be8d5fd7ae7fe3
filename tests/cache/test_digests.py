"""The build cache's entries are made with the generator's code: the digest that keys
them must change with any module of any wing, not only the top-level ones."""

import shutil

from phucdong_site.cache import digests


def test_a_change_in_any_wing_changes_the_generator_digest(tmp_path, monkeypatch):
    copy = tmp_path / "phucdong_site"
    shutil.copytree(digests.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(digests, "PACKAGE", copy)
    seen = {digests.generator_digest()}
    for module in ("content/markup.py", "pages/plan.py", "render/jinja.py", "models.py"):
        (copy / module).write_text((copy / module).read_text() + "\n# changed\n")
        seen.add(digests.generator_digest())
    assert len(seen) == 5


def test_a_module_moved_to_another_wing_changes_the_generator_digest(tmp_path, monkeypatch):
    copy = tmp_path / "phucdong_site"
    shutil.copytree(digests.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(digests, "PACKAGE", copy)
    before = digests.generator_digest()
    (copy / "search" / "words.py").rename(copy / "content" / "words.py")
    assert digests.generator_digest() != before
