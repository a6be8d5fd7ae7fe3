"""Build into a staging folder beside the output, then swap it in whole, or not at all."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import signal
import stat as _stat
import threading
from pathlib import Path, PurePosixPath

from phucdong_site import system
from phucdong_site.errors import ContentError, ErrorList, SiteError, field_label, os_reason
from phucdong_site.files import FileStamp, read_checked, write_checked
from phucdong_site.language import _
from phucdong_site.output.lock import leftovers, lock_output
from phucdong_site.output.mount import (
    INSIDE,
    KEPT,
    PartlyPublished,
    copy_inside,
    is_mount_point,
    publish_into,
)
from phucdong_site.output.swap import swap_in
from phucdong_site.report import Dropped, Progress

MARKER = ".phucdong-site"        # marks a folder this tool built, so it may be replaced
_published: list[Path] = []      # the output this process's last build published, if it did


class OutputError(SiteError):
    """The output folder cannot be written or replaced."""


class Staging:
    """A folder beside OUT that becomes OUT in one step on commit().

    OUT is the folder OUT_DIR names, or the one it points at if it is a symbolic link
    (output_folder). An OUT that is a mount point cannot be replaced: then the staging
    folder is inside it, and commit() moves the new site in entry by entry (mount.py).

    The output that commit() replaces is kept beside OUT as .OUT.previous, and the next
    build stages in it again: only files that differ are replaced, and the rest are made
    hard links of the current output's files, so an edit costs a few writes, not a
    folder tree made and another removed. Nothing in a staged file is ever changed in
    place (a new file is renamed over it), so the current output's files, which the
    staged ones may be links of, are never touched.
    """

    def __init__(self, out_dir: Path, preview: bool = False, trees_file: Path | None = None,
                 progress: Progress = Progress()):
        """TREES_FILE records the files of the output and of the output before last, as the
        last build of OUT left them, so that staging in the latter need not list its folders
        to find what this build no longer writes; without it, it does. It is read and
        written only while OUT is locked: a build waiting for the lock reads what the one
        before it left."""
        # preview (serve): the output is a throwaway copy, so skip the flush to disk.
        self.preview = preview
        self.progress = progress
        self.trees_file = trees_file
        self.known_trees: dict[TreeId, frozenset[str]] = {}
        self._held: frozenset[str] | None = None    # what the recycled folder holds
        self.out_dir = output_folder(out_dir)
        self.inside = is_mount_point(self.out_dir)
        self.path = (self.out_dir / f"{INSIDE}{os.getpid()}" if self.inside else
                     self.out_dir.with_name(f".{self.out_dir.name}.building-{os.getpid()}"))
        self.previous = self.out_dir.with_name(f".{self.out_dir.name}.previous")
        self._out_prefix = f"{self.out_dir}/"
        self._staging_prefix = f"{self.path}/"
        self.written: dict[str, Path | None] = {}
        self.recycled = False        # staging in the output before last: files may be there
        self._folders: set[Path] = set()
        self._made: list[Path] = []      # the folders this build made, outermost first

    def __enter__(self) -> Staging:
        _published.clear()
        self._terminate = None
        self._kept = False
        try:
            self.out_dir.parent.mkdir(parents=True, exist_ok=True)
            self._lock = lock_output(self.out_dir, self.progress)
        except OSError as error:
            raise OutputError(_("{folder}: cannot create the output folder ({reason})").format(
                folder=self.out_dir, reason=os_reason(error))) from None
        try:
            self._terminate = _stop_on_sigterm()
            if self.trees_file is not None:
                trees = read_checked(self.trees_file)
                self.known_trees = trees if isinstance(trees, dict) else {}
            # Leftovers first: a first build killed inside an empty mount point leaves
            # only its staging folder, which must not make OUT look like someone else's.
            remove_leftovers(self.out_dir)
            check_replaceable(self.out_dir, kept=KEPT if self.inside else ())
            if self.previous.is_dir() and not self.previous.is_symlink() and not self.inside:
                self._held = self.known_trees.get(_tree_id(self.previous))
                os.rename(self.previous, self.path)
                self.recycled = True
            else:
                _remove(self.previous)   # the build's own name: a file or link there goes
                self.path.mkdir(mode=0o700 if self.inside else 0o777)
            self.write_text(MARKER, "built by phucdong-site; safe to replace\n")
        except OSError as error:
            self.__exit__(None, None, None)
            raise OutputError(_("{folder}: cannot create the output folder ({reason})").format(
                folder=self.out_dir, reason=os_reason(error))) from None
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, kind, error, tb) -> None:
        # A failed or stopped build's staging folder goes, as it may hold what filled the
        # disk; but not when the build stopped for its content or was dropped, and there
        # is an output: the folder becomes the output before last, and the next build (an
        # editor's fix, serve's newer save) stages there, where it would otherwise stage
        # every file afresh (2 s at 10,000 articles, and a dropped build would leave the
        # next one as much to do again).
        if self.path.exists() and not self._kept and not (
                isinstance(error, (ContentError, ErrorList, Dropped)) and not self.inside
                and (self.recycled or os.path.isdir(self.out_dir)) and self._keep_for_next()):
            shutil.rmtree(self.path, ignore_errors=True)
        system.unlock(self._lock)
        if self._terminate is not None:
            signal.signal(signal.SIGTERM, self._terminate)

    def _keep_for_next(self) -> bool:
        """Put the staging folder back as the output before last, for the next build to
        stage in: its files are the old ones or this build's (the next one replaces what it
        does not find the same), and known_trees says which. Whether it could."""
        # The record knows files only: a folder made for a file that never came (a link
        # refused, the build stopped before the page was rendered) would be published empty.
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        try:
            os.rename(self.path, self.previous)
        except OSError:
            return False
        kept = {}
        with contextlib.suppress(OSError):
            live = _tree_id(self.out_dir)
            if live in self.known_trees:
                kept[live] = self.known_trees[live]
            held = self._held if self.recycled else frozenset()
            if held is not None:
                kept[_tree_id(self.previous)] = held | self.written.keys()
        self.known_trees = kept
        self._remember_trees()
        return True

    def _remember_trees(self) -> None:
        if self.trees_file is not None:
            write_checked(self.trees_file, self.known_trees)

    def _claim(self, relative: str, source: Path | None) -> Path:
        self._mark(relative, source)
        return self.path / relative

    def _mark(self, relative: str, source: Path | None) -> None:
        if relative in self.written:
            other = self.written[relative]
            raise ContentError(source or Path("?"), None,
                               field_label("output") + ": " + _("/{path} is also written by {other}").format(
                                   path=relative,
                                   other=other.as_posix() if other else _("the theme")))
        self.written[relative] = source

    def write_text(self, relative: str, text: str, source: Path | None = None) -> None:
        self.write_bytes(relative, text.encode("utf-8"), source)

    def write_bytes(self, relative: str, data: bytes, source: Path | None = None) -> None:
        """Write DATA; when the current output has the same bytes there, publish that file
        again as a hard link: its mtime stays, so a deploy that syncs by size and time
        uploads only what changed, and an unchanged site writes no file data at all."""
        dest = self._claim(relative, source)
        with self._writing(relative):
            if not self._reuse(relative, dest, lambda old: old == data, len(data)):
                self._make_parent(dest)
                temporary = self._temporary(dest)
                temporary.write_bytes(data)
                self._put(temporary, dest)

    def reuse(self, relative: str, sha256: str, stamp: FileStamp | None = None,
              source: Path | None = None) -> FileStamp | None:
        """Publish the current output's file RELATIVE again if its bytes still have SHA256
        (a page whose inputs did not change), and return its stamp; None, claiming
        nothing, if they do not. A file that still has STAMP, the one it had when this tool
        wrote it, is not read: nothing here changes a file in place, and an edit by hand
        changes its mtime."""
        if relative in self.written:
            self._claim(relative, source)           # reports the clash
        if stamp is not None and self.recycled and self._still_staged(relative, stamp):
            self.written[relative] = source
            return stamp
        dest = self.path / relative
        with self._writing(relative):
            if self._reuse(relative, dest,
                           lambda data: hashlib.sha256(data).hexdigest() == sha256,
                           stamp=stamp):
                self.written[relative] = source
                return self.stamp(relative)
        return None

    def _still_staged(self, relative: str, stamp: FileStamp) -> bool:
        """The current output's RELATIVE still has STAMP, and the recycled staging folder
        holds that very file already (staged as its link last time): nothing to do. Most
        pages of a rebuild are this; two lstat calls, no open, no path objects."""
        try:
            live = os.lstat(f"{self._out_prefix}{relative}")
            staged = os.lstat(f"{self._staging_prefix}{relative}")
        except OSError:
            return False
        return (_stat.S_ISREG(live.st_mode)
                and FileStamp.from_stat(live) == stamp
                and (staged.st_ino, staged.st_dev) == (live.st_ino, live.st_dev))

    def stamp(self, relative: str) -> FileStamp:
        """The stamp of the staged file RELATIVE, which it keeps once published."""
        return FileStamp.from_stat(os.lstat(self.path / relative))

    def _reuse(self, relative: str, dest: Path, same, size: int | None = None,
               stamp: FileStamp | None = None) -> bool:
        previous = self.out_dir / relative
        try:
            # O_NOFOLLOW: a symbolic link planted in the output is never followed (where the
            # system has no O_NOFOLLOW, only one checked just before).
            if not system.O_NOFOLLOW and os.path.islink(previous):
                return False
            fd = os.open(previous, os.O_RDONLY | system.O_NOFOLLOW | system.O_BINARY)
        except OSError:
            return False
        try:
            stat = os.fstat(fd)
            if not _stat.S_ISREG(stat.st_mode) or size not in (None, stat.st_size):
                return False
            if stamp != FileStamp.from_stat(stat):
                with os.fdopen(os.dup(fd), "rb") as file:
                    if not same(file.read()):
                        return False
            if self.recycled and _same_file(dest, stat):
                return True             # staged last time as a link of this very file
            self._make_parent(dest)
            temporary = self._temporary(dest)
            try:      # link the very file just compared, even if renamed meanwhile
                os.link(f"/proc/self/fd/{fd}", temporary, follow_symlinks=True)
            except (OSError, NotImplementedError):     # no /proc; Windows' Python 3.14+
                os.link(previous, temporary, follow_symlinks=False)
            try:
                self._put(temporary, dest)
            except OSError:
                with contextlib.suppress(OSError):   # not left in a folder kept for the next
                    os.unlink(temporary)
                raise
            return True
        except OSError:
            return False
        finally:
            os.close(fd)

    def link(self, relative: str, file: Path, source: Path | None = None) -> None:
        """Publish FILE, which is never modified in place (a cache entry), as a hard link:
        no copy, and removing the old output later only drops a link. Copies across
        filesystems."""
        self._mark(relative, source)
        with self._writing(relative):
            if self.recycled and _same_file(f"{self._staging_prefix}{relative}", os.stat(file)):
                return
            dest = self.path / relative
            self._make_parent(dest)
            temporary = self._temporary(dest)
            try:
                os.link(file, temporary)
            except OSError as error:
                if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.ENOENT):
                    raise
                shutil.copyfile(file, temporary)
            self._put(temporary, dest)

    def copy(self, relative: str, file: Path, source: Path | None = None) -> None:
        with self._writing(relative):
            data = file.read_bytes()
        self.write_bytes(relative, data, source)

    def _make_parent(self, dest: Path) -> None:
        """DEST's folder, which a recycled staging folder may hold as a file."""
        folder = dest.parent
        if folder in self._folders:
            return
        try:
            self._make_folder(folder)
        except (FileExistsError, NotADirectoryError):
            for part in reversed([folder, *folder.parents]):
                if part.is_relative_to(self.path) and part != self.path and (
                        part.is_symlink() or part.exists() and not part.is_dir()):
                    part.unlink()
            self._make_folder(folder)
        self._folders.add(folder)

    def _make_folder(self, folder: Path) -> None:
        """FOLDER and the folders above it that are missing, each noted in _made."""
        try:
            os.mkdir(folder)
        except FileNotFoundError:
            self._make_folder(folder.parent)
            os.mkdir(folder)
        except FileExistsError:
            if os.path.isdir(folder):
                return
            raise
        self._made.append(folder)

    def _temporary(self, dest: Path) -> Path:
        # A new staging folder has nothing to replace: write in place.
        return dest.with_name(f".{dest.name}.new") if self.recycled else dest

    @staticmethod
    def _put(temporary: Path, dest: Path) -> None:
        if temporary == dest:
            return
        try:
            os.replace(temporary, dest)
        except IsADirectoryError:
            shutil.rmtree(dest)
            os.replace(temporary, dest)

    @contextlib.contextmanager
    def _writing(self, relative: str):
        """Turn a failed write (disk full, a file gone) into one line naming the output."""
        try:
            yield
        except FileNotFoundError as error:
            raise OutputError(_("{path}: disappeared during the build; the previous output is "
                                "unchanged").format(path=error.filename)) from None
        except OSError as error:
            raise OutputError(_("{folder}: cannot write {path} ({reason}); the previous output "
                                "is unchanged").format(folder=self.out_dir, path=relative,
                                                       reason=os_reason(error))) from None

    def _remove_unwritten(self) -> None:
        """Remove what the recycled folder held that this build did not write."""
        if self._held is None:
            self._remove_unlisted()
            return
        folders = set()
        for relative in self._held - self.written.keys():
            try:
                os.unlink(self.path / relative)
            except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
                continue        # gone, or a folder of this build's files now
            folders.update(PurePosixPath(relative).parents)
        folders.discard(PurePosixPath("."))
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            try:
                os.rmdir(self.path / folder)
            except OSError:
                pass            # not empty: it holds this build's files

    def _remove_unlisted(self) -> None:
        """As _remove_unwritten, listing every folder: its files are not known."""
        for folder, subfolders, files in os.walk(self.path, topdown=False):
            relative = os.path.relpath(folder, self.path)
            prefix = "" if relative == "." else relative + "/"
            for name in files + [d for d in subfolders
                                 if os.path.islink(os.path.join(folder, d))]:
                if prefix + name not in self.written:
                    os.unlink(os.path.join(folder, name))
            if prefix and not os.listdir(folder):
                os.rmdir(folder)

    def commit(self) -> None:
        """Make the staging folder the output; the old output is kept for the next build.
        Nothing after the swap can fail, and a Ctrl-C or SIGTERM during it takes effect
        once it is done: the output is then the new site, and published_output() says so."""
        if self.recycled:
            with self._writing(_("the output")):
                self._remove_unwritten()
        if not self.preview:
            system.sync_filesystem(self.path)
        replaced = (self.known_trees.get(_tree_id(self.out_dir))
                    if os.path.isdir(self.out_dir) and not self.inside else None)
        with _signals_held():
            try:
                self._swap()
            except PartlyPublished as error:
                # The record of the swap names this folder: the next command moves it in.
                self._kept = True
                raise OutputError(_("{folder}: the new site could not be moved in whole "
                                    "({reason}), and the old one not back; build again").format(
                                        folder=self.out_dir, reason=os_reason(error))) from None
            except OSError as error:
                raise OutputError(_("{folder}: cannot be replaced ({reason}); the previous "
                                    "output is unchanged").format(
                                        folder=self.out_dir, reason=os_reason(error))) from None
            _published[:] = [self.out_dir]
            self._keep_previous(replaced)

    def _swap(self) -> None:
        """The one step that publishes: nothing in OUT changes before it, and it raises
        OSError only with OUT as it was."""
        if self.inside:
            publish_into(self.path, self.out_dir, system.exchange)
            return
        try:
            old = swap_in(self.path, self.out_dir)
        except OSError as error:
            if error.errno not in (errno.EBUSY, errno.EXDEV) or not os.path.isdir(self.out_dir):
                raise
            self._publish_into_mount_point()     # a mount point its table did not show
            return
        if old is not None:
            self.path = old              # the old output, for _keep_previous

    def _publish_into_mount_point(self) -> None:
        inside = self.out_dir / f"{INSIDE}{os.getpid()}"
        try:
            copy_inside(self.path, inside)
            shutil.rmtree(self.path, ignore_errors=True)
            self.path, self.inside = inside, True
        except BaseException:
            shutil.rmtree(inside, ignore_errors=True)
            raise
        publish_into(self.path, self.out_dir, system.exchange)

    def _keep_previous(self, replaced: frozenset[str] | None) -> None:
        """After the swap: keep the old output (whose files were REPLACED, if known) as
        .OUT.previous for the next build, or remove it; never fails."""
        try:
            self.known_trees = {}
            if self.inside:
                shutil.rmtree(self.path, ignore_errors=True)
            elif os.path.isdir(self.path):       # the old output (none at a first build)
                os.rename(self.path, self.previous)
            # Identified once renamed: a rename changes a folder's ctime, nothing else here does.
            self.known_trees = {_tree_id(self.out_dir): frozenset(self.written)}
            if replaced is not None and not self.inside:
                self.known_trees[_tree_id(self.previous)] = replaced
        except OSError:
            shutil.rmtree(self.path, ignore_errors=True)       # the next build stages afresh
        self._remember_trees()


def published_output() -> Path | None:
    """The output the last build of this process published (swapped in), if it did."""
    return _published[0] if _published else None


TreeId = tuple[int, int, int]        # (device, inode, ctime) of an output folder


def _tree_id(path: Path) -> TreeId:
    stat = os.lstat(path)
    return (stat.st_dev, stat.st_ino, stat.st_ctime_ns)


def _same_file(path: Path | str, stat: os.stat_result) -> bool:
    try:
        mine = os.lstat(path)
    except OSError:
        return False
    return (mine.st_ino, mine.st_dev) == (stat.st_ino, stat.st_dev)


def output_folder(out_dir: Path) -> Path:
    """The folder a build of OUT_DIR replaces: OUT_DIR itself or, when OUT_DIR is a symbolic
    link (a web root kept elsewhere), the folder it points at, which need not exist yet.
    The link is left as it is: the staging folder, the previous output and the lock are
    beside its target. A link that leads back to itself, or to a folder whose own folder
    does not exist (a volume not mounted), is refused before anything is touched."""
    out_dir = out_dir.absolute()
    if not out_dir.is_symlink():
        return out_dir
    target = Path(os.path.realpath(out_dir))
    if target.is_symlink() or target == out_dir:
        raise OutputError(_("{folder}: is a symbolic link that leads back to itself; point it "
                            "at the web root's folder, or name that folder with -o").format(
                                folder=out_dir))
    if not target.parent.is_dir():
        raise OutputError(_("{folder}: is a symbolic link to {target}, and {parent} does not "
                            "exist; mount or create it, or point the link elsewhere").format(
                                folder=out_dir, target=target, parent=target.parent))
    return target


def check_replaceable(out_dir: Path, kept: tuple[str, ...] = ()) -> None:
    """Refuse to replace a folder that is not a previous build of this tool (holding more
    than the names KEPT, which a build leaves alone)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(_("{folder}: exists and is not a folder; choose another output").format(
            folder=out_dir))
    if (out_dir.is_dir() and any(path.name not in kept for path in out_dir.iterdir())
            and not (out_dir / MARKER).exists()):
        raise OutputError(_("{folder}: is not empty and was not built by phucdong-site; empty "
                            "it or choose another output with -o").format(folder=out_dir))


def remove_leftovers(out_dir: Path) -> None:
    """Remove the staging folders of builds that were killed before they could clean up.

    Called with the output's lock held, so no live build owns them.
    """
    for path in leftovers(out_dir):
        with contextlib.suppress(OSError):
            _remove(path)


def _remove(path: Path) -> None:
    """Remove PATH, whatever it is (a symbolic link, not what it points at); gone is fine."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    elif os.path.lexists(path):
        path.unlink()


def _stop_on_sigterm():
    """Make SIGTERM stop the build as Ctrl-C does (KeyboardInterrupt), so that it removes
    its staging folder; return the handler to restore, or None where signals cannot be
    handled (a thread of serve). Forked workers, which inherit it, die as before."""
    if threading.current_thread() is not threading.main_thread():
        return None
    owner = os.getpid()

    def stop(number, frame):
        if os.getpid() != owner:
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    return signal.SIG_DFL if previous is None else previous


@contextlib.contextmanager
def _signals_held():
    """A Ctrl-C or SIGTERM in this block takes effect at its end (in the main thread; in
    another, signals never interrupt Python code there anyway)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = {number: signal.signal(number, lambda got, frame: caught.append(got))
                for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])
