"""Messages show a site's files with forward slashes on every system (content/2021/x.md),
as Windows would otherwise write them (content\\2021\\x.md); absolute paths stay as the
system writes them. Windows' own path rules, run here through PureWindowsPath."""

from pathlib import PurePosixPath, PureWindowsPath

from phucdong_site.errors import ContentError, shown_path


def test_a_relative_windows_path_is_shown_with_forward_slashes():
    assert shown_path(PureWindowsPath("content\\2021\\x.md")) == "content/2021/x.md"
    assert shown_path(PureWindowsPath("..\\site\\content\\x.md")) == "../site/content/x.md"
    assert shown_path(PurePosixPath("content/2021/x.md")) == "content/2021/x.md"
    assert shown_path("content/2021/x.md") == "content/2021/x.md"


def test_an_absolute_path_is_shown_as_the_system_writes_it():
    assert shown_path(PureWindowsPath("C:\\Users\\ban\\site\\x.md")) == "C:\\Users\\ban\\site\\x.md"
    assert shown_path(PurePosixPath("/home/ban/site/x.md")) == "/home/ban/site/x.md"


def test_a_problem_in_a_file_found_on_windows_is_reported_with_forward_slashes():
    error = ContentError(PureWindowsPath("content\\2021\\x.md"), 4, "date: is not a date")
    assert str(error) == "content/2021/x.md:4: date: is not a date"
