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
from dataclasses import dataclass
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


def Np_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext's naming
    """N_ for a message with a plural (extracted like ngettext): (singular, plural)."""
    return singular, plural


@dataclass(frozen=True, slots=True)
class Deferred:
    """A message translated when it is shown, not when it is made: for warnings kept in the
    build's caches, which must read in the language, and the catalog, of the run that shows
    them. MSGID is marked with N_() where made; PLURAL and COUNT make it an ngettext."""

    msgid: str
    values: tuple[tuple[str, object], ...] = ()
    prefix: str = ""             # e.g. "photos[0].caption: ", never translated
    plural: str = ""
    count: int = 0

    def __str__(self) -> str:
        text = ngettext(self.msgid, self.plural, self.count) if self.plural else _(self.msgid)
        return self.prefix + text.format(**dict(self.values))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def deferred(msgid: str | tuple[str, str], prefix: str = "", count: int = 0,
             **values: object) -> Deferred:
    """MSGID (from N_, or Np_ with COUNT) with its VALUES, to translate when shown."""
    singular, plural = (msgid, "") if isinstance(msgid, str) else msgid
    return Deferred(singular, tuple(sorted({**values, "count": count}.items())), prefix,
                    plural, count)


def library_words(text: object) -> str:
    """ " (TEXT)": a library's own explanation (Pillow's, libheif's, PyYAML's), which is
    English, for an English reader only; the message around it says what to do."""
    return f" ({text})" if choose() == "en" and str(text) else ""


def decimal(value: float, digits: int) -> str:
    """VALUE with DIGITS decimals, written with the reader's decimal mark (2,5 in Vietnamese)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if choose() == "vi" else text
