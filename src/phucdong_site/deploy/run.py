"""One deploy: the built output's manifest against what the target holds as far as this site
knows (its state), then new and changed files, then deletions, each recorded as it lands."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import PurePosixPath

from phucdong_site.config import DeployTarget, SiteConfig
from phucdong_site.errors import UsageError
from phucdong_site.language import _
from phucdong_site.report import Progress

from .manifest import BUILD_MARKER, output_manifest
from .state import DeployError, TargetState, output_unchanging, target_lock

MAX_DELETES_SHARE = 0.10         # by default a deploy deletes at most 10 % of the site's files
MAX_DELETES_FLOOR = 50           # or 50, whichever is larger


@dataclass(frozen=True, slots=True)
class DeployReport:
    target: str
    where: str
    uploaded: tuple[str, ...] = ()       # new and changed files, in the order sent
    new: int = 0                         # of which new to the target
    deleted: tuple[str, ...] = ()
    bytes: int = 0                       # of the files sent
    unchanged: int = 0                   # files already at the target as built
    seconds: float = 0.0
    dry_run: bool = False
    files: int = 0                       # files of the built site
    max_deletes: int = 0                 # the most this deploy might delete

    def __str__(self) -> str:
        from .summary import summary_line
        return summary_line(self)


def default_max_deletes(files: int) -> int:
    return max(MAX_DELETES_FLOOR, int(files * MAX_DELETES_SHARE))


def choose_target(config: SiteConfig, name: str | None) -> DeployTarget:
    if not config.deploy:
        raise UsageError(_("site.toml names no deploy target; add one, e.g.\n"
                           "[[deploy]]\nname = \"may-chu\"\ntype = \"folder\"\n"
                           "path = \"/var/www/phucdong\""))
    if name is None:
        return config.deploy[0]
    for target in config.deploy:
        if target.name == name:
            return target
    names = ", ".join(target.name for target in config.deploy)
    raise UsageError(_("no deploy target named {name} in site.toml (there are: {names})")
                     .format(name=name, names=names))


def connect(config: SiteConfig, target: DeployTarget):
    """The target's driver; S3's imports boto3, which only deploys to S3 need."""
    if target.type == "folder":
        from .folder import FolderTarget
        return FolderTarget(config, target)
    if target.type == "ssh":
        from .ssh import SshTarget
        return SshTarget(config, target)
    from .s3 import S3Target
    return S3Target(config, target)


def _upload_order(path: str) -> tuple[int, str]:
    """Files pages point at (photos, styles, scripts, attachments, search index) before the
    pages and feeds that point at them, so that no page links to a file not yet there."""
    suffix = PurePosixPath(path).suffix.lower()
    base = path[: -len(suffix)] if suffix in (".gz", ".br") else path
    late = PurePosixPath(base).suffix.lower() in (".html", ".xml", ".map", ".webmanifest") \
        or base.endswith("robots.txt")
    return (1 if late else 0, path)


def deploy_site(config: SiteConfig, target_name: str | None = None, *, dry_run: bool = False,
                delete: bool = False, max_deletes: int | None = None,
                progress: Progress = Progress()) -> DeployReport:
    """Put CONFIG's built output (build/) at the target named TARGET_NAME (default: the
    first [[deploy]]): only new and changed files, then deletions. Raises SiteError
    subclasses with the editor's message (DeployError: the target failed; UsageError)."""
    started = time.perf_counter()
    target = choose_target(config, target_name)
    out_dir = config.output_dir
    with target_lock(config, target), output_unchanging(out_dir, progress):
        # Checked with the lock held: taking it finishes a swap a killed build left halfway.
        if not (out_dir / BUILD_MARKER).is_file():
            raise DeployError(_("{folder}: no built site to deploy; run phucdong-site build "
                                "first").format(folder=out_dir))
        manifest = output_manifest(config)
        state = TargetState(config, target)
        changed = sorted((path for path, entry in manifest.items()
                          if state.files.get(path) != entry), key=_upload_order)
        removed = sorted(path for path in state.files if path not in manifest)
        driver = connect(config, target)
        opened = False
        try:
            if delete:      # the one time the target is listed: files the site did not write
                if not dry_run:
                    driver.open()
                    opened = True
                others = driver.listing() - manifest.keys() - set(removed)
                removed = sorted({*removed, *others})
            limit = default_max_deletes(len(manifest)) if max_deletes is None else max_deletes
            if len(removed) > limit and not dry_run:
                raise DeployError(_("{target}: this deploy would delete {count} files, more "
                                    "than the {limit} allowed; check the site (was build/ "
                                    "built from the right content?), then allow it with "
                                    "--max-deletes {count}").format(
                                        target=target.name, count=len(removed), limit=limit))
            report = dict(target=target.name, where=target.where(), files=len(manifest),
                          dry_run=dry_run, max_deletes=limit, deleted=tuple(removed),
                          unchanged=len(manifest) - len(changed),
                          new=sum(1 for path in changed if path not in state.files))
            if dry_run:
                return DeployReport(uploaded=tuple(changed),
                                    bytes=sum(manifest[path].size for path in changed),
                                    seconds=time.perf_counter() - started, **report)
            sent: list[str] = []

            def landed(path: str) -> None:
                if path not in state.files or state.files[path] != manifest[path]:
                    sent.append(path)
                    state.landed(path, manifest[path])
                    progress.advance()

            def gone(path: str) -> None:
                state.gone(path)
                progress.advance()

            if (changed or removed) and not opened:
                driver.open()
                opened = True
            try:
                progress.stage("upload", len(changed))
                driver.upload([(path, out_dir / path) for path in changed], landed)
                progress.stage("delete", len(removed))
                driver.delete(removed, gone)
            finally:
                state.save()
                progress.finish()
        finally:
            if opened:
                driver.close()
        return DeployReport(uploaded=tuple(sent), bytes=sum(manifest[path].size
                                                            for path in sent),
                            seconds=time.perf_counter() - started, **report)
