"""A folder on this computer (the web server's root): each file copied beside its place and
renamed over it, so a reader never gets half a file."""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from phucdong_site.config import DeployTarget, SiteConfig
from phucdong_site.errors import os_reason
from phucdong_site.language import _

from .state import DeployError

WORK = ".phucdong-deploy.tmp"        # under the target: files on their way, removed after


class FolderTarget:
    def __init__(self, config: SiteConfig, target: DeployTarget):
        self.target = target
        path = Path(os.path.expanduser(target.path))
        self.root = (path if path.is_absolute() else config.site_dir / path).absolute()
        out = config.output_dir.absolute()
        if self.root == out or self.root.is_relative_to(out) or out.is_relative_to(self.root):
            raise DeployError(_("{target}: the folder {folder} is the build's output or holds "
                                "it; name the web server's folder in site.toml").format(
                                    target=target.name, folder=self.root))
        self.work = self.root / WORK

    def _fail(self, error: OSError, path: str | Path = "") -> DeployError:
        where = f" ({path})" if path else ""
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return DeployError(_("{target}: the target is full{where}: {reason}; what landed "
                                 "is recorded, run deploy again once there is room").format(
                                     target=self.target.name, where=where,
                                     reason=os_reason(error)))
        return DeployError(_("{target}: cannot write to {folder}{where}: {reason}").format(
            target=self.target.name, folder=self.root, where=where, reason=os_reason(error)))

    def open(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if self.work.exists():
                shutil.rmtree(self.work)            # a killed deploy's files on their way
            self.work.mkdir()
        except OSError as error:
            raise self._fail(error) from None

    def close(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)

    def upload(self, files: list[tuple[str, Path]], landed: Callable[[str], None]) -> None:
        for number, (relative, source) in enumerate(files):
            dest = self.root / relative
            temporary = self.work / str(number)
            try:
                shutil.copyfile(source, temporary)
                os.chmod(temporary, 0o644)
                _make_folder(dest.parent, self.root)
                try:
                    os.replace(temporary, dest)
                except IsADirectoryError:       # the site had a folder where this file goes
                    shutil.rmtree(dest)
                    os.replace(temporary, dest)
            except OSError as error:
                raise self._fail(error, relative) from None
            landed(relative)

    def delete(self, paths: Iterable[str], gone: Callable[[str], None]) -> None:
        folders: set[PurePosixPath] = set()
        for relative in paths:
            try:
                os.unlink(self.root / relative)
            except (FileNotFoundError, NotADirectoryError):
                pass                              # already gone (a killed deploy's last step)
            except IsADirectoryError:
                pass                              # a folder of this site's files now
            except OSError as error:
                raise self._fail(error, relative) from None
            gone(relative)
            folders.update(PurePosixPath(relative).parents)
        folders.discard(PurePosixPath("."))
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            try:
                os.rmdir(self.root / folder)
            except OSError:
                pass                              # not empty: files of the site or others'

    def listing(self) -> set[str]:
        found = set()
        for folder, subfolders, files in os.walk(self.root):
            if Path(folder) == self.root and WORK in subfolders:
                subfolders.remove(WORK)
            relative = os.path.relpath(folder, self.root)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            found.update(prefix + name for name in files)
        return found


def _make_folder(folder: Path, root: Path) -> None:
    """FOLDER, replacing a file of an older deploy on its way (a page that became a folder)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        for part in reversed([folder, *folder.parents]):
            if part.is_relative_to(root) and part != root and (
                    part.is_symlink() or part.exists() and not part.is_dir()):
                part.unlink()
        folder.mkdir(parents=True, exist_ok=True)
