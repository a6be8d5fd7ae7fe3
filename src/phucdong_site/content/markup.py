"""Markdown bodies → HTML: photos become captioned figures; the first paragraph is the summary."""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass

import markdown
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor

from phucdong_site import system
from phucdong_site.language import _
from phucdong_site.models import Photo
from phucdong_site.photos import PhotoProblem
from phucdong_site.text import caption_text
from phucdong_site.workers import start_worker

SUMMARY_LENGTH = 280
# Python-Markdown is super-linear on some inputs (thousands of unclosed "[" take minutes);
# no article an editor writes needs more than a fraction of a second.
RENDER_SECONDS = 10.0


class BodyTooComplex(Exception):
    """The body could not be rendered within the time or nesting bound."""
EXTENSIONS = ["tables", "fenced_code", "footnotes", "attr_list", "sane_lists"]


@dataclass(frozen=True, slots=True)
class BodyProblem:
    src: str                     # the image reference that failed
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    first_paragraph: str         # plain text, for the summary
    problems: tuple[BodyProblem, ...] = ()


# Turns a body image's src into a Photo (raising PhotoProblem), or None for web addresses.
Resolver = Callable[[str], Photo | None]


# Builds what shows a photo, e.g. a <picture>: (photo, alt text, eager) → element.
# EAGER is true for the page's first photo only, which should load at once.
PictureMaker = Callable[[Photo, str, bool], etree.Element]


# A body link's href and text → (the published address, the words that mark it, e.g.
# "(PDF, 1,2 MB)"), or None to leave the link as it is.
LinkResolver = Callable[[str, str], tuple[str, str] | None]


def _plain_img(photo: Photo, alt: str, eager: bool) -> etree.Element:
    return etree.Element("img", {"alt": alt, "width": str(photo.width),
                                 "height": str(photo.height)})


def figure(photo: Photo, picture: etree.Element) -> etree.Element:
    element = etree.Element("figure", {"class": "photo"})
    element.append(picture)
    if photo.caption:
        etree.SubElement(element, "figcaption").text = caption_text(photo.caption)
    return element


class _Photos(Treeprocessor):
    """Resolves body images, wraps lone ones in figures and appends unplaced photos."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.reset(lambda src: None, (), _plain_img)

    def reset(self, resolve: Resolver, photos: tuple[Photo, ...],
              picture_of: PictureMaker) -> None:
        self.resolve, self.photos, self.picture_of = resolve, photos, picture_of
        self.problems: list[BodyProblem] = []
        self.first_paragraph = ""
        self.shown = 0

    def picture(self, photo: Photo, alt: str) -> etree.Element:
        """The photo's element; the first one of the page in document order is eager."""
        self.shown += 1
        return self.picture_of(photo, alt, self.shown == 1)

    def run(self, root: etree.Element) -> None:
        captions = {photo.source: photo for photo in self.photos}
        placed = set()
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img":
                    continue
                src = child.get("src", "")
                try:
                    photo = self.resolve(src)
                except PhotoProblem as problem:
                    self.problems.append(BodyProblem(src, str(problem), problem.hint))
                    continue
                if photo is None:
                    continue
                known = captions.get(photo.source)
                if known is not None:
                    placed.add(photo.source)
                    photo = known
                alt = child.get("alt", "")
                if _alone_in_paragraph(parent, child):
                    parent.tag, parent.attrib, parent.text = "figure", {"class": "photo"}, None
                    parent.remove(child)
                    parent.append(self.picture(photo, alt or photo.caption))
                    caption = photo.caption or alt
                    if caption:
                        etree.SubElement(parent, "figcaption").text = caption_text(caption)
                else:
                    tail = child.tail
                    parent[index] = self.picture(photo, alt or photo.caption)
                    parent[index].tail = tail
        for photo in self.photos:
            if photo.source not in placed:
                placed.add(photo.source)
                root.append(figure(photo, self.picture(photo, photo.caption)))
        self.first_paragraph = next(
            (text for p in root.iter("p") if (text := _plain(p))), "")


class _Documents(Treeprocessor):
    """Points body links to documents at their published copies, marked with their type
    and size inside the link, so that a screen reader says them with it."""

    def __init__(self, md: markdown.Markdown):
        super().__init__(md)
        self.link_of: LinkResolver | None = None

    def run(self, root: etree.Element) -> None:
        if self.link_of is None:
            return
        for link in list(root.iter("a")):
            found = self.link_of(link.get("href", ""), _plain(link))
            if found is None:
                continue
            link.set("href", found[0])
            mark = etree.SubElement(link, "span", {"class": "file-info"})
            mark.text = f" {found[1]}"


def _alone_in_paragraph(parent: etree.Element, child: etree.Element) -> bool:
    return (parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip()
            and not (child.tail or "").strip())


def _plain(element: etree.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


# Each thread's own converter: a Markdown instance holds a body's state while it converts it,
# and serve looks at a saved body while a build under way parses others.
_converters = threading.local()


def _converter() -> tuple[markdown.Markdown, _Photos, _Documents]:
    made = getattr(_converters, "made", None)
    if made is None:
        made = _converters.made = _new_converter()
    return made


def _forget_converter() -> None:
    """Interrupted mid-conversion: this thread's converter is never used again."""
    _converters.made = None


def _new_converter() -> tuple[markdown.Markdown, _Photos, _Documents]:
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    photos, documents = _Photos(md), _Documents(md)
    # After "inline" so images and links exist as elements; before "prettify" and
    # serialisation.
    md.treeprocessors.register(photos, "phucdong_photos", 5)
    md.treeprocessors.register(documents, "phucdong_documents", 4)
    return md, photos, documents


class _Expired(BaseException):
    # A BaseException, so that no "except Exception" inside a library swallows it.
    pass


def _convert(md: markdown.Markdown, text: str, seconds: float) -> str:
    """TEXT converted by MD, or _Expired if that takes more than SECONDS."""
    if system.can_interrupt():
        with system.interrupt_after(seconds, _Expired):
            return md.convert(text)
    # A thread this Python cannot interrupt (one built without ctypes): the body is
    # converted first where it can be stopped, in a worker process, and here only once it
    # finished there in time. It costs a second conversion, on serve's rebuild thread only.
    if not _trial.converts_in_time(text, seconds):
        raise _Expired
    return md.convert(text)


class _Trial:
    """A worker process that converts bodies with the bare converter (no photos or
    documents resolved), kept warm between bodies, stopped when a body runs out of time,
    and ended with the build (workers.start_worker)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process = self._connection = None

    def converts_in_time(self, text: str, seconds: float) -> bool:
        """TEXT converts within SECONDS there. A worker that dies on it is started again
        once; a body that kills two counts as too complex (here it could kill serve)."""
        with self._lock:
            for _attempt in range(2):
                if self._process is None:
                    self._start()
                try:
                    self._connection.send(text)
                    if not self._connection.poll(seconds):
                        self._stop()
                        return False
                    self._connection.recv()
                    return True
                except (EOFError, OSError):
                    self._stop()
                except BaseException:
                    self._stop()          # its late answer must not pass for the next body's
                    raise
            return False

    def _start(self) -> None:
        # spawn, not fork: this runs in a thread of a process that has others (serve's).
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_trial_worker, args=(os.getpid(), theirs),
                                  daemon=True, name="phucdong-site markdown trial")
        process.start()
        theirs.close()
        self._process, self._connection = process, ours
        try:
            ours.recv()            # started and imported: that time is no body's
        except (EOFError, OSError):
            self._stop()
            raise OSError(_("the worker process for Markdown bodies ended as it started")) \
                from None

    def _stop(self) -> None:
        # terminate(), never kill(): SIGKILL may not exist (Windows has TerminateProcess).
        process, connection = self._process, self._connection
        self._process = self._connection = None
        process.terminate()
        process.join(5)
        connection.close()


_trial = _Trial()


def _trial_worker(parent: int, connection) -> None:
    start_worker(parent)
    connection.send(None)
    while True:
        try:
            text = connection.recv()
        except (EOFError, OSError):          # the build ended
            return
        md = _converter()[0]
        md.reset()
        try:
            md.convert(text)
        except Exception:  # noqa: BLE001 - the build's own conversion reports it
            _forget_converter()
        connection.send(None)


def render_body(text: str, photos: tuple[Photo, ...], resolve: Resolver,
                picture_of: PictureMaker, link_of: LinkResolver | None = None) -> RenderedBody:
    """HTML of a Markdown body, its first paragraph, and the image references that failed.
    LINK_OF points links to documents at their published copies.

    Raises BodyTooComplex when the body nests too deeply or takes too long to render.
    """
    md, processor, documents = _converter()
    md.reset()
    processor.reset(resolve, photos, picture_of)
    documents.link_of = link_of
    if text.strip():
        try:
            html = _convert(md, text, RENDER_SECONDS)
        except _Expired:
            _forget_converter()      # interrupted mid-conversion: never reuse its state
            raise BodyTooComplex(_("too complex to render within {seconds:g} s (for example "
                                   "thousands of unclosed '[' or '<'); simplify it").format(
                                       seconds=RENDER_SECONDS))
        except RecursionError:
            _forget_converter()
            raise BodyTooComplex(_("nested too deeply (lists or quotes inside each other "
                                   "hundreds of times); flatten it"))
    else:
        # Python-Markdown returns early on a blank body, before any treeprocessor runs;
        # a photo-only article still shows its photos.
        root = etree.Element("div")
        processor.run(root)
        html = "\n".join(to_html_string(child) for child in root)
    documents.link_of = None
    return RenderedBody(html=html, first_paragraph=processor.first_paragraph,
                        problems=tuple(processor.problems))


def shorten(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """TEXT cut at a word boundary to at most LIMIT characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:-–")
    return f"{cut}…"
