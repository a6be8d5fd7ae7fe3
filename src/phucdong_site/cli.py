"""Command line: parse arguments, call the pipeline, map errors to exit codes. Kept thin."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from phucdong_site import __version__
from phucdong_site.config import load_config
from phucdong_site.console import QuietProgress, TerminalProgress, summary
from phucdong_site.content import new_article
from phucdong_site.errors import SiteError, UsageError
from phucdong_site.pipeline import build, check
from phucdong_site.report import Progress


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


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535; 0 picks a free one)")
    return int(value)


def _add_verbosity(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    group.add_argument("-v", "--verbose", action="store_true",
                       help="print each stage with its timing (and, for serve, each request)")


def _progress(args: argparse.Namespace) -> Progress:
    """A live counter on a terminal, stage lines with -v, nothing with -q (but a wait)."""
    if args.quiet:
        return QuietProgress(sys.stderr)
    return TerminalProgress(sys.stderr, verbose=args.verbose)


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
    _add_verbosity(build_cmd)

    check_cmd = commands.add_parser(
        "check", help="validate content, photos, internal links and images; write nothing")
    check_cmd.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    check_cmd.add_argument("--drafts", action="store_true", help="check draft articles too")
    _add_verbosity(check_cmd)

    serve_cmd = commands.add_parser(
        "serve", help="preview: build, serve on 127.0.0.1, rebuild and reload pages on change")
    serve_cmd.add_argument("site_dir", nargs="?", default=".", metavar="SITE_DIR")
    serve_cmd.add_argument("--port", type=_port, default=8000, metavar="P",
                           help="port to listen on (default 8000; 0 picks a free one)")
    serve_cmd.add_argument("--host", default="127.0.0.1", metavar="H",
                           help="address to listen on (default 127.0.0.1: this computer only)")
    _add_verbosity(serve_cmd)

    new_cmd = commands.add_parser("new", help='start an article: new "Tiêu đề bài viết"')
    new_cmd.add_argument("title", metavar="TITLE", help="the article's title, in quotes")
    new_cmd.add_argument("site_dir", nargs="?", default=None, metavar="SITE_DIR")
    new_cmd.add_argument("--site", dest="site_option", metavar="DIR",
                         help="the site folder (default: the current folder)")

    import_cmd = commands.add_parser(
        "import", help="turn pages saved from the old portal (text or HTML) into articles")
    import_cmd.add_argument("inputs", nargs="+", type=Path, metavar="FILE",
                            help="legacy pages (.txt, .html), or folders holding them")
    import_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                            help="where to write the articles (default: content/imported)")
    import_cmd.add_argument("--force", action="store_true",
                            help="replace articles that an earlier import wrote into DIR")
    return root


def run_import(args: argparse.Namespace) -> int:
    # Imported here: the HTML parser it needs would slow every other command's start.
    from phucdong_site import legacy

    out_dir = args.output or legacy.default_output(Path("."))
    config = load_config(legacy.site_dir_for(out_dir))

    def report(outcome: legacy.Outcome) -> None:
        stream = sys.stderr if outcome.status == "failed" else sys.stdout
        print("\n".join(legacy.outcome_lines(outcome)), file=stream, flush=True)

    summary = legacy.import_pages(args.inputs, out_dir, config, force=args.force, report=report)
    print(summary.line())
    return 1 if summary.count("failed") else 0


def print_warnings(warnings) -> None:
    """Problems that did not stop the build, on stderr, each marked as a warning."""
    for warning in warnings:
        where = f"{warning.path}:{warning.line}" if warning.line else warning.path
        print(f"{where}: warning: {warning.message}", file=sys.stderr)
        if warning.hint:
            print(f"  hint: {warning.hint}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return run_import(args)
    if args.command == "new" and args.site_dir and args.site_option:
        raise UsageError("new: give the site folder once, either after the title or with --site")
    site_dir = _site_dir(getattr(args, "site_option", None) or args.site_dir or ".")
    if args.command == "build":
        if args.jobs is not None and args.jobs < 1:
            raise UsageError("--jobs: expected a number of at least 1")
        config = load_config(site_dir, args.output, base_url=args.base_url,
                             drafts=args.drafts or None, jobs=args.jobs)
        report = build(config, _progress(args))
        print_warnings(report.warnings)
        if not args.quiet:
            done = ("không có gì thay đổi, giữ nguyên" if report.unchanged
                    else f"{report.photos_processed} ảnh mới xử lý")
            print(f"{summary(report.articles, report.pages, report.photos, report.seconds)} "
                  f"({done}) → {report.output_dir}")
        return 0
    if args.command == "check":
        config = load_config(site_dir, drafts=args.drafts or None)
        planned = check(config, _progress(args))
        print_warnings(planned.index.warnings)
        if not args.quiet:
            print(f"{len(planned.site.articles)} bài viết: không có lỗi (no problems found)")
        return 0
    if args.command == "serve":
        from phucdong_site.serve import serve  # imports watchfiles: only serve needs it
        serve(site_dir, args.host, args.port, quiet=args.quiet, verbose=args.verbose,
              progress=_progress(args))
        return 0
    if args.command == "new":
        path = new_article(load_config(site_dir), args.title)
        print(path)
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
