"""The command line contract: exit codes, help, and the README naming every command."""

import re

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
