"""An OUT that is a symbolic link (a web root kept elsewhere): the site is published into the
folder it points at, the link stays a link, and nothing can fail once the new site is in."""

import os

from conftest import names_in, run_cli, tree_bytes

GOOD = 'title: "Tin"\ndate: 2024-01-01'


def beside(folder):
    return [name for name in names_in(folder.parent) if name.startswith(f".{folder.name}.")]


def test_a_linked_output_is_published_into_its_target_and_stays_a_link(site, tmp_path):
    site.article("2024/a.md", GOOD)
    web_root = tmp_path / "www" / "phucdong"
    web_root.mkdir(parents=True)
    link = site.root / "build"
    link.symlink_to(web_root)
    for round_, title in enumerate(["Tin đầu tiên", "Tin đã sửa"]):    # first build, then another
        site.article("2024/a.md", f'title: "{title}"\ndate: 2024-01-01')
        result = run_cli("build", str(site.root))
        assert result.returncode == 0, result.stderr
        assert link.is_symlink() and os.readlink(link) == str(web_root)
        assert title in (web_root / "index.html").read_text(encoding="utf-8")
        assert (web_root / ".phucdong-site").is_file()
        # what a build keeps is beside the target, not beside the link
        assert beside(web_root) == [".phucdong.previous"]
        assert names_in(site.root) == [".cache", "build", "content",
                                                               "site.toml"]
    through_link = tree_bytes(web_root)
    # the real folder's name is the same output: built by name, nothing changes
    result = run_cli("build", str(site.root), "-o", str(web_root))
    assert result.returncode == 0, result.stderr
    assert tree_bytes(web_root) == through_link and link.is_symlink()


def test_a_link_to_a_folder_not_made_yet_is_built_there(site, tmp_path):
    site.article("2024/a.md", GOOD)
    (tmp_path / "www").mkdir()
    web_root = tmp_path / "www" / "phucdong"
    link = site.root / "build"
    link.symlink_to(web_root)
    result = run_cli("build", str(site.root))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and (web_root / "index.html").is_file()
    assert (link / "index.html").read_bytes() == (web_root / "index.html").read_bytes()


def test_a_link_to_a_folder_this_tool_did_not_build_is_refused_as_that_folder_is(site, tmp_path):
    site.article("2024/a.md", GOOD)
    web_root = tmp_path / "www"
    web_root.mkdir()
    (web_root / "index.html").write_text("trang đang chạy\n", encoding="utf-8")
    (site.root / "build").symlink_to(web_root)
    result = run_cli("build", str(site.root))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{web_root}: is not empty and was not built by phucdong-site" in result.stderr
    assert (site.root / "build").is_symlink()
    assert [p.name for p in web_root.iterdir()] == ["index.html"]
    assert names_in(tmp_path) == ["site", "www"]


def test_a_dangling_link_or_a_loop_is_refused_before_anything_is_touched(site, tmp_path):
    site.article("2024/a.md", GOOD)
    link = site.root / "build"
    unmounted = tmp_path / "mnt" / "web" / "phucdong"      # the folder it is in is missing
    for target, words in [(unmounted, f"is a symbolic link to {unmounted}, and {unmounted.parent} "
                                      "does not exist"),
                          (link, "is a symbolic link that leads back to itself")]:
        link.symlink_to(target)
        before = names_in(site.root)
        result = run_cli("build", str(site.root))
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{link}: {words}" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert names_in(site.root) == before      # not even .cache
        assert not (tmp_path / "mnt").exists() and link.is_symlink()
        link.unlink()


def test_nothing_beside_the_output_can_fail_the_build_after_the_swap(site, tmp_path):
    site.article("2024/a.md", GOOD)
    assert run_cli("build", str(site.root)).returncode == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("không được xoá\n", encoding="utf-8")
    previous = site.root / ".build.previous"
    for planted in ("file", "link"):
        # what was kept for recycling is not a folder: the build's name, the build's to replace
        if previous.is_dir():
            os.rename(previous, tmp_path / f"moved-{planted}")
        if planted == "file":
            previous.write_text("not a folder\n", encoding="utf-8")
        else:
            previous.symlink_to(elsewhere)
        site.article("2024/a.md", f'title: "Tin sửa {planted}"\ndate: 2024-01-01')
        result = run_cli("build", str(site.root))
        assert result.returncode == 0, result.stderr
        assert f"Tin sửa {planted}" in (site.out / "index.html").read_text(encoding="utf-8")
        assert previous.is_dir() and not previous.is_symlink()
        assert (elsewhere / "keep.txt").is_file()       # a link there is never followed
        assert beside(site.out) == [".build.previous"]
