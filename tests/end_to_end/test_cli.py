"""The command line contract: exit codes, help, and the README naming every command."""

import re
import shutil

from conftest import REPO, run_cli


def test_usage_errors_exit_2(invoke, tmp_path):
    assert invoke("no-such-command").code == 2
    assert invoke("build", str(tmp_path / "missing")).code == 2
    assert invoke("build", str(tmp_path), "--base-url", "ftp://x").code == 2
    assert invoke("build", str(tmp_path), "--jobs", "0").code == 2


def test_an_empty_site_builds_its_listing_and_404(invoke, tmp_path):
    result = invoke("build", str(tmp_path))
    assert result.code == 0, result.err
    assert (tmp_path / "build" / "index.html").is_file()
    assert (tmp_path / "build" / "404.html").is_file()


def test_check_writes_nothing(site, invoke):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    assert invoke("check", str(site.root)).code == 0
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "site.toml"]


def test_runs_as_a_module_and_defaults_to_the_current_folder(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    result = run_cli("build", cwd=site.root)
    assert result.returncode == 0, result.stderr
    assert (site.root / "build" / "2024" / "01" / "tin" / "index.html").is_file()


def test_every_command_has_help_and_is_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = run_cli("--help").stdout
    listed = re.findall(r"^    ([a-z]+)\s{2,}\S", help_text, re.M)
    assert listed, help_text
    for command in listed:
        assert run_cli(command, "--help").returncode == 0
        assert f"phucdong-site {command}" in readme, f"README does not document {command}"


def test_from_a_subfolder_the_commands_find_the_site_upward(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01')
    inner = site.content / "2024"
    for cwd in (site.content, inner):
        result = run_cli("build", cwd=cwd)
        assert result.returncode == 0, result.stderr
        assert (site.out / "2024" / "01" / "tin" / "index.html").is_file()
        assert not (cwd / "build").exists()
        assert run_cli("check", cwd=cwd).returncode == 0


def test_without_a_site_the_error_says_where_it_looked_and_what_to_do(tmp_path):
    (tmp_path / "content").mkdir()       # content/ alone is not a site: site.toml marks one
    for language, words in (("vi", ("không tìm thấy site.toml", "THƯ-MỤC")),
                            ("en", ("no site.toml in", "FOLDER"))):
        result = run_cli("build", "--lang", language, cwd=tmp_path / "content")
        assert result.returncode == 2
        assert all(word in result.stderr for word in words), result.stderr
        assert str(tmp_path / "content") in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "content" / "build").exists() and not (tmp_path / "build").exists()


def test_a_default_build_warns_that_base_url_is_a_local_address(tmp_path):
    # The repository's own site.toml, as a fresh clone has it, with the pages its menu names.
    (tmp_path / "site.toml").write_text((REPO / "site.toml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    shutil.copytree(REPO / "content" / "trang", tmp_path / "content" / "trang")
    result = run_cli("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "base_url" in line)
    assert re.match(r"site\.toml:\d+: warning: base_url: http://localhost:8000/ is a local "
                    r"address", line), line
    for what in ("share buttons", "feeds", "sitemap.xml", "robots.txt", "printed pages"):
        assert what in line
    real = run_cli("build", "--base-url", "https://phucdong.gov.vn/", cwd=tmp_path)
    assert real.returncode == 0 and "base_url" not in real.stderr
    placeholder = run_cli("build", "--base-url", "https://www.example.com/", cwd=tmp_path)
    assert "--base-url: warning: base_url: https://www.example.com/ is a placeholder" in \
        placeholder.stderr
    previewed = run_cli("build", "--drafts", cwd=tmp_path)     # a preview is not published
    assert "base_url" not in previewed.stderr


def test_language_options_are_exact_and_the_last_one_wins(site):
    site.article("2024/a.md", 'title: "Tin"\ndate: 2024-01-01\nviews: -1')
    abbreviated = run_cli("check", "--lan", "en", cwd=site.root)
    assert abbreviated.returncode == 2            # no silent guess at what --lan meant
    last = run_cli("--lang", "en", "check", "--lang", "vi", cwd=site.root)
    assert last.returncode == 1 and "là số âm" in last.stderr
    jobs = run_cli("build", "--jobs", "x", "--lang", "vi", cwd=site.root)
    assert jobs.returncode == 2 and "'x' không phải số từ 1 trở lên" in jobs.stderr


def test_import_outside_a_site_refuses_like_the_other_commands(tmp_path):
    page = tmp_path / "trang.txt"
    page.write_text("Tiêu đề\nNgày đăng 07/01/2021 | 18:11 | Lượt xem: 1\nNội dung.\n",
                    encoding="utf-8")
    result = run_cli("import", str(page), cwd=tmp_path)
    assert result.returncode == 2 and "no site.toml in" in result.stderr
    assert not (tmp_path / "content").exists()
