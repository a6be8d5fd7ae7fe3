"""The language an editor reads: Vietnamese first, English on request.

Messages are written in English in the code, marked with `_()`, and translated through
the standard gettext catalogs in locale/ (Babel extracts and compiles them: `make
messages`). Vietnamese is the default; English comes with `--lang en` or an English
locale (LANGUAGE, LC_ALL, LC_MESSAGES or LANG naming `en`).

The chosen language travels in the LANGUAGE variable of the environment, as gettext
itself expects: worker processes inherit it, and argparse's own words ("usage:",
"options", "the following arguments are required") translate through the same catalog.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "phucdong_site"
LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT = "vi"
_LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def choose(requested: str | None = None, environ: Mapping[str, str] = os.environ) -> str:
    """REQUESTED if given, else English when the locale names English, else Vietnamese."""
    if requested:
        return requested
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            first = value.split(":")[0].lower()
            return "en" if first == "en" or first.startswith(("en_", "en.", "en-")) else DEFAULT
    return DEFAULT


@functools.cache
def _catalog(language: str) -> gettext.NullTranslations:
    # English is the language of the code: no catalog, the messages as written.
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def _(message: str) -> str:
    """MESSAGE in the current language."""
    return _catalog(choose()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _catalog(choose()).ngettext(singular, plural, count)


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Run the block, and the workers it starts, in LANGUAGE; argparse included."""
    saved_variable = os.environ.get("LANGUAGE")
    saved_domain = gettext.textdomain()
    os.environ["LANGUAGE"] = language
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    try:
        yield
    finally:
        gettext.textdomain(saved_domain)
        if saved_variable is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = saved_variable


def N_(message: str) -> str:
    """Marks MESSAGE for the catalog where it is defined; `_()` translates it where used."""
    return message
