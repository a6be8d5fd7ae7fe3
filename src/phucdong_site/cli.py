"""Command line: parse arguments, call the pipeline, map errors to exit codes. Kept thin."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from phucdong_site import __version__
from phucdong_site.config import load_config
from phucdong_site.errors import SiteError, UsageError
from phucdong_site.site import build, check


def _site_dir(value: str) -> Path:
    path = Path(value)
    if not path.is_dir():
        raise UsageError(f"{value}: no such folder (SITE_DIR is the folder holding site.toml "
                         "and content/)")
    return path


def _base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL")
    return value if value.endswith("/") else f"{value}/"


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="phucdong-site",
        description="Build the news site of phường Phúc Đồng from Markdown articles.")
    root.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    root.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build the site into build/ (or -o OUT)")
    build_cmd.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    build_cmd.add_argument("-o", "--output", type=Path, metavar="OUT",
                           help="output folder (default: SITE_DIR/build)")
    build_cmd.add_argument("--jobs", type=int, default=None, metavar="N",
                           help="worker processes (default: one per core)")
    build_cmd.add_argument("--drafts", action="store_true", help="include draft articles, marked")
    build_cmd.add_argument("--base-url", type=_base_url, metavar="URL",
                           help="override base_url from site.toml")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only errors")

    check_cmd = commands.add_parser("check", help="validate content and photos; write nothing")
    check_cmd.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    check_cmd.add_argument("--drafts", action="store_true", help="check draft articles too")
    return root


def photo_progress(done: int, total: int) -> None:
    """A one-line counter on a terminal; redrawn in place, ended when all are done."""
    if total:
        end = "\n" if done == total else ""
        print(f"\rXử lý ảnh: {done}/{total}", end=end, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    site_dir = _site_dir(args.site_dir)
    if args.command == "build":
        if args.jobs is not None and args.jobs < 1:
            raise UsageError("--jobs: expected a number of at least 1")
        config = load_config(site_dir, args.output, base_url=args.base_url,
                             drafts=args.drafts or None, jobs=args.jobs)
        progress = photo_progress if sys.stderr.isatty() and not args.quiet else None
        report = build(config, progress)
        if not args.quiet:
            print(f"{report.articles} bài viết, {report.pages} trang, {report.photos} ảnh "
                  f"({report.photos_processed} ảnh mới xử lý) "
                  f"trong {report.seconds:.1f} s → {report.output_dir}")
        return 0
    if args.command == "check":
        config = load_config(site_dir, drafts=args.drafts or None)
        site = check(config)
        print(f"{len(site.articles)} bài viết: không có lỗi (no problems found)")
        return 0
    raise UsageError(f"unknown command {args.command}")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return run(args)
    except SiteError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted; the previous output is unchanged", file=sys.stderr)
        return 130
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{where}{error.strerror or error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - a bug of ours must still not dump a traceback
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(error).__name__}: {error} (run with --debug and report it)",
              file=sys.stderr)
        return 1
