"""The commands of the editor's loop are documented where editors and developers look."""

from __future__ import annotations

import pytest

from conftest import REPO, run_cli


@pytest.mark.parametrize("command", ["serve", "new", "check"])
def test_each_editor_command_has_help_and_is_documented(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0 and "usage: phucdong-site" in result.stdout
    assert f"phucdong-site {command}" in (REPO / "README.md").read_text(encoding="utf-8")
    assert f"phucdong-site {command}" in (REPO / "docs" / "huong-dan.md").read_text(
        encoding="utf-8") or (command == "serve" and "make serve" in
                              (REPO / "docs" / "huong-dan.md").read_text(encoding="utf-8"))
