"""Command line: parse arguments, call the pipeline, map errors to exit codes. Kept thin."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path


def _interrupted_at_top(kind, error, tb) -> None:
    """sys.excepthook, set before the imports below (most of a second): a Ctrl-C while
    the program starts, or one main() does not catch, is one line, never a traceback."""
    if not issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    try:
        with speaking(choose(_requested_language(sys.argv[1:]))):
            print(_interrupted_line(), file=sys.stderr)
    except Exception:  # noqa: BLE001 - stopped while loading what the message needs
        print("interrupted; the previous output is unchanged", file=sys.stderr)


sys.excepthook = _interrupted_at_top

from phucdong_site import __version__  # noqa: E402 - the hook above comes first
from phucdong_site.config import (
    SiteConfig,
    address_warning,
    find_site,
    is_site_address,
    load_config,
)
from phucdong_site.console import (
    QuietProgress,
    TerminalProgress,
    checked_line,
    print_warnings,
    summary,
    write_every_letter,
)
from phucdong_site.content import new_article
from phucdong_site.errors import SiteError, UsageError, os_reason, shown_path
from phucdong_site.language import LANGUAGES, _, choose, ngettext, speaking
from phucdong_site.models import LeftOut
from phucdong_site.output import nginx_config, published_output
from phucdong_site.pipeline import BuildReport, build, check
from phucdong_site.report import Progress


def _site_dir(value: str | None, command: str) -> Path:
    """SITE_DIR as given, or the site holding the current folder (found upward)."""
    if value is not None:
        path = Path(value)
        if not path.is_dir():
            raise UsageError(_("{folder}: no such folder (SITE_DIR is the folder holding "
                               "site.toml and content/)").format(folder=value))
        return path
    found = find_site(Path("."))
    if found is None:
        raise _no_site(command)
    return found


def _no_site(command: str) -> UsageError:
    folder = _("FOLDER")
    example = (f'phucdong-site new "…" --site {folder}' if command == "new" else
               f"phucdong-site {command} {folder}")
    return UsageError(_("no site.toml in {folder} or in any folder above it: open the "
                        "terminal in the site's folder (the one holding site.toml and "
                        "content/), or name that folder: {example}").format(
                            folder=Path.cwd(), example=example))


def _base_url(value: str) -> str:
    if not is_site_address(value):
        raise argparse.ArgumentTypeError(_("{value} is not an http(s) address a site can be "
                                           "published at (no ?query, #fragment or spaces)")
                                         .format(value=repr(value)))
    return value if value.endswith("/") else f"{value}/"


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(_("{value} is not a number of at least 1").format(
            value=repr(value)))
    return int(value)


def _count(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(_("{value} is not a whole number of at least 0")
                                         .format(value=repr(value)))
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(_("{value} is not a port number (0-65535; 0 picks a "
                                           "free one)").format(value=repr(value)))
    return int(value)


def _requested_language(argv: list[str]) -> str | None:
    """--lang, read before argparse so that its own messages come in that language too;
    the last one wins, as argparse's would (abbreviations are off: --lan is an error)."""
    chosen = None
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            chosen = word.partition("=")[2]
        elif word == "--lang" and index + 1 < len(argv):
            chosen = argv[index + 1]
    return chosen if chosen in LANGUAGES else None


def _lang_help() -> str:
    return _("language of the messages: vi or en (default: vi; en in an English locale)")


def _add_verbosity(command: argparse.ArgumentParser) -> None:
    group = command.add_mutually_exclusive_group()
    group.add_argument("-q", "--quiet", action="store_true",
                       help=_("print only problems (errors and warnings)"))
    group.add_argument("-v", "--verbose", action="store_true",
                       help=_("print each stage with its timing (and, for serve, each "
                              "request)"))


def _progress(args: argparse.Namespace) -> Progress:
    """A live counter on a terminal, stage lines with -v, nothing with -q (but a wait)."""
    if args.quiet:
        return QuietProgress(sys.stderr)
    return TerminalProgress(sys.stderr, verbose=args.verbose)


def _add_site_option(command: argparse.ArgumentParser) -> None:
    """--site DIR, for commands whose positional arguments are not (only) the site's
    folder; a SITE_DIR given as well wins over this default."""
    command.add_argument("--site", dest="site_option", metavar="DIR",
                         help=_("the site's folder (default: the one holding the current "
                                "folder)"))
    command.set_defaults(site_dir=None)


def _add_common(command: argparse.ArgumentParser, *, site: bool = True) -> None:
    if site:
        command.add_argument("site_dir", nargs="?", default=None, metavar="SITE_DIR",
                             help=_("the site's folder (default: the one holding the current "
                                    "folder, found by its site.toml)"))
    # Also accepted after the command (read before parsing: _requested_language).
    command.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                         help=_lang_help())


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="phucdong-site", allow_abbrev=False,
        description=_("Build the news site of phường Phúc Đồng from Markdown articles."))
    root.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                      help=_("show the program's version and exit"))
    root.add_argument("--debug", action="store_true",
                      help=_("show a traceback on internal errors"))
    root.add_argument("--lang", choices=LANGUAGES, default=None, help=_lang_help())
    commands = root.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))

    build_cmd = commands.add_parser("build", help=_("build the site into build/ (or -o OUT)"),
                                    allow_abbrev=False)
    _add_common(build_cmd)
    build_cmd.add_argument("-o", "--output", type=Path, metavar="OUT",
                           help=_("output folder (default: SITE_DIR/build)"))
    build_cmd.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                           help=_("worker processes (default: one per core)"))
    build_cmd.add_argument("--drafts", action="store_true",
                           help=_("include draft and scheduled articles, marked"))
    build_cmd.add_argument("--base-url", type=_base_url, metavar="URL",
                           help=_("the address the site is published at (overrides base_url "
                                  "in site.toml)"))
    _add_verbosity(build_cmd)

    deploy_cmd = commands.add_parser(
        "deploy", help=_("put build/ at a target of site.toml's [[deploy]]: only new and "
                         "changed files, then deletions"), allow_abbrev=False)
    deploy_cmd.add_argument("target", nargs="?", default=None, metavar="TARGET",
                            help=_("the target's name in site.toml (default: the first "
                                   "[[deploy]])"))
    _add_common(deploy_cmd, site=False)
    _add_site_option(deploy_cmd)
    deploy_cmd.add_argument("--dry-run", action="store_true",
                            help=_("list what would be uploaded and deleted; change nothing"))
    deploy_cmd.add_argument("--delete", action="store_true",
                            help=_("also delete files at the target that the site did not "
                                   "write"))
    deploy_cmd.add_argument("--max-deletes", type=_count, default=None, metavar="N",
                            help=_("delete at most N files (default: a tenth of the site's "
                                   "files, or 50 if that is more)"))
    _add_verbosity(deploy_cmd)

    views_cmd = commands.add_parser(
        "views", help=_("count article views from web-server logs into data/luot-xem.csv"),
        allow_abbrev=False)
    views_cmd.add_argument("logs", nargs="+", type=Path, metavar="LOG",
                           help=_("access logs (plain or .gz), in any order; lines already "
                                  "counted are skipped"))
    _add_common(views_cmd, site=False)
    _add_site_option(views_cmd)
    views_cmd.add_argument("--dry-run", action="store_true",
                           help=_("count and tell, but do not change the data file"))
    _add_verbosity(views_cmd)

    publish_cmd = commands.add_parser(
        "publish", help=_("build the site, then deploy it to TARGET; run often by a timer "
                          "so that scheduled articles go public on time"), allow_abbrev=False)
    publish_cmd.add_argument("target", nargs="?", default=None, metavar="TARGET",
                             help=_("the target's name in site.toml (default: the first "
                                    "[[deploy]])"))
    _add_common(publish_cmd, site=False)
    _add_site_option(publish_cmd)
    publish_cmd.add_argument("-o", "--output", type=Path, metavar="OUT",
                             help=_("output folder (default: SITE_DIR/build)"))
    publish_cmd.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                             help=_("worker processes (default: one per core)"))
    publish_cmd.add_argument("--base-url", type=_base_url, metavar="URL",
                             help=_("the address the site is published at (overrides base_url "
                                    "in site.toml)"))
    publish_cmd.add_argument("--dry-run", action="store_true",
                             help=_("build, then list what the deploy would change, changing "
                                    "nothing at the target"))
    publish_cmd.add_argument("--max-deletes", type=_count, default=None, metavar="N",
                             help=_("delete at most N files (default: a tenth of the site's "
                                    "files, or 50 if that is more)"))
    publish_cmd.add_argument("--print-units", action="store_true",
                             help=_("print the systemd service and timer and the cron line "
                                    "that run this publish every few minutes, and exit"))
    publish_cmd.add_argument("--write-units", type=Path, metavar="DIR",
                             help=_("write that service and timer into DIR (such as "
                                    "/etc/systemd/system), and exit"))
    _add_verbosity(publish_cmd)

    check_cmd = commands.add_parser(
        "check", help=_("validate content, photos, internal links and images; write nothing"),
        allow_abbrev=False)
    _add_common(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help=_("check draft articles too"))
    _add_verbosity(check_cmd)

    serve_cmd = commands.add_parser(
        "serve", help=_("preview: build, serve on 127.0.0.1, rebuild and reload pages on "
                        "change"), allow_abbrev=False)
    _add_common(serve_cmd)
    serve_cmd.add_argument("--port", type=_port, default=8000, metavar="P",
                           help=_("port to listen on (default 8000; 0 picks a free one)"))
    serve_cmd.add_argument("--host", default="127.0.0.1", metavar="H",
                           help=_("address to listen on (default 127.0.0.1: this computer "
                                  "only)"))
    _add_verbosity(serve_cmd)

    nginx_cmd = commands.add_parser(
        "nginx", help=_("print an nginx config that serves the built site"), allow_abbrev=False)
    _add_common(nginx_cmd)
    nginx_cmd.add_argument("-o", "--output", type=Path, metavar="OUT",
                           help=_("the built site (default SITE_DIR/build)"))
    nginx_cmd.add_argument("--base-url", type=_base_url, metavar="URL",
                           help=_("the site's address, if built with --base-url"))
    nginx_cmd.add_argument("--root", type=Path, metavar="PATH",
                           help=_("where the site is deployed on the server (default OUT)"))
    nginx_cmd.add_argument("--listen", default="80", metavar="ADDRESS",
                           help=_("nginx's listen address (default 80)"))
    nginx_cmd.add_argument("--brotli", action=argparse.BooleanOptionalAction, default=None,
                           help=_("serve the .br copies (default: if nginx's brotli module is "
                                  "installed)"))
    nginx_cmd.add_argument("--standalone", type=Path, metavar="DIR",
                           help=_("print a whole nginx.conf keeping its pid, logs and temporary "
                                  "files in DIR (to run nginx as any user)"))

    new_cmd = commands.add_parser("new", help=_('start an article: new "Tiêu đề bài viết"'),
                                  allow_abbrev=False)
    new_cmd.add_argument("title", metavar="TITLE", help=_("the article's title, in quotes"))
    _add_common(new_cmd)
    _add_site_option(new_cmd)

    import_cmd = commands.add_parser(
        "import", help=_("turn pages saved from the old portal (text or HTML) into articles, "
                         "and its document lists (CSV) into documents"),
        allow_abbrev=False)
    import_cmd.add_argument("inputs", nargs="+", type=Path, metavar="FILE",
                            help=_("legacy pages (.txt, .html), or folders holding them; "
                                   "document lists (.csv)"))
    _add_common(import_cmd, site=False)
    import_cmd.add_argument("-o", "--output", type=Path, metavar="DIR",
                            help=_("where to write (default: content/imported for articles, "
                                   "content/van-ban for documents)"))
    import_cmd.add_argument("--force", action="store_true",
                            help=_("replace articles and documents that an earlier import "
                                   "wrote into DIR"))
    return root


def run_import(args: argparse.Namespace) -> int:
    # Imported here: the HTML parser it needs would slow every other command's start.
    from phucdong_site import legacy

    site = find_site(Path("."))
    if site is None and args.output is None:
        raise _no_site("import")
    out_dir = args.output or legacy.default_output(site)
    config = load_config(legacy.site_dir_for(out_dir, site or Path(".")))

    def report(outcome: legacy.Outcome) -> None:
        stream = sys.stderr if outcome.status == "failed" else sys.stdout
        print("\n".join(legacy.outcome_lines(outcome)), file=stream, flush=True)

    documents_dir = args.output or legacy.default_documents_output(site)
    summary = legacy.import_pages(args.inputs, out_dir, config, force=args.force, report=report,
                                  documents_dir=documents_dir)
    print(summary.line())
    return 1 if summary.count("failed") else 0


EXPIRED_SHOWN = 5               # files named in the build's line about expired ones


def left_out_line(left_out: LeftOut, config: SiteConfig) -> str:
    """Why an article may be missing: drafts and scheduled ones, and the next date."""
    parts = []
    if left_out.drafts:
        parts.append(ngettext("{count} draft", "{count} drafts", left_out.drafts).format(
            count=left_out.drafts))
    if left_out.scheduled:
        parts.append(ngettext("{count} scheduled article", "{count} scheduled articles",
                              left_out.scheduled).format(count=left_out.scheduled))
    expired = ""
    if left_out.expired:
        shown = ", ".join(left_out.expired[:EXPIRED_SHOWN]) + (
            ", …" if len(left_out.expired) > EXPIRED_SHOWN else "")
        expired = ngettext(
            "{count} expired, kept at its address marked as expired but gone from listings, "
            "feeds, search and the sitemap: {files}",
            "{count} expired, kept at their addresses marked as expired but gone from "
            "listings, feeds, search and the sitemap: {files}",
            len(left_out.expired)).format(count=len(left_out.expired), files=shown)
    if not parts:
        return expired
    line = _("not published: {which}").format(which=", ".join(parts))
    if left_out.scheduled and left_out.next_publication is not None:
        moment = left_out.next_publication.astimezone(config.tz)
        line += "; " + _("the next goes public at {time} on {date}, at the first build after "
                         "that").format(time=f"{moment:%H:%M}", date=f"{moment:%d/%m/%Y}")
    if left_out.drafts:
        line += " " + _("(drafts: draft: true; see them with make serve or build --drafts)")
    return f"{line}\n{expired}" if expired else line


def build_config(args: argparse.Namespace, site_dir: Path) -> SiteConfig:
    return load_config(site_dir, args.output, base_url=args.base_url,
                       drafts=getattr(args, "drafts", False) or None, jobs=args.jobs)


def build_and_tell(args: argparse.Namespace, config: SiteConfig) -> BuildReport:
    """Build as `build` does (publish too) and say what it did; problems raise."""
    report = build(config, _progress(args))
    address = None if config.drafts else address_warning(config, bool(args.base_url))
    print_warnings([*report.warnings, *([address] if address else [])])
    if not args.quiet:
        done = (_("nothing changed, kept as it was") if report.unchanged else
                ngettext("{count} photo processed", "{count} photos processed",
                         report.photos_processed).format(count=report.photos_processed))
        print(f"{summary(report.articles, report.pages, report.photos, report.seconds)} "
              f"({done}) → {report.output_dir}")
        if line := left_out_line(report.left_out, config):
            print(line)
    return report


def run_publish(args: argparse.Namespace, site_dir: Path) -> int:
    """Build, then deploy what the build wrote; a failed build raises before anything is
    deployed. Last, when the next scheduled article goes public."""
    from phucdong_site import deploy  # its clients (boto3, ...) only for the commands using them

    if args.print_units or args.write_units:
        files = deploy.unit_files(site_dir, _publish_arguments(args))
        if args.print_units:
            print(deploy.units_text(files), end="")
        if args.write_units:
            if not args.write_units.is_dir():
                raise UsageError(_("{folder}: no such folder").format(folder=args.write_units))
            for path in deploy.write_units(files, args.write_units):
                print(_("wrote {path}").format(path=path))
        return 0
    config = build_config(args, site_dir)
    deploy.choose_target(config, args.target)       # a wrong name before a long build
    report = build_and_tell(args, config)
    deployed = deploy.deploy_site(config, args.target, dry_run=args.dry_run,
                                  max_deletes=args.max_deletes, progress=_progress(args))
    if args.dry_run:
        print("\n".join(deploy.dry_run_lines(deployed)))
    if not args.quiet:
        if not args.dry_run:
            print(deploy.summary_line(deployed))
        for line in deploy.next_lines(report.left_out, config.tz):
            print(line)
    return 0


def _publish_arguments(args: argparse.Namespace) -> list[str]:
    """The publish command a timer runs for ARGS: quiet (the journal or cron's mail gets
    only problems), with the same target and build options, paths made absolute."""
    words = ["-q", *([args.target] if args.target else [])]
    if args.output is not None:
        words += ["-o", str(args.output.absolute())]
    if args.base_url:
        words += ["--base-url", args.base_url]
    if args.jobs:
        words += ["--jobs", str(args.jobs)]
    return words


def run_deploy(args: argparse.Namespace, site_dir: Path) -> int:
    from phucdong_site import deploy  # boto3 is imported only for an S3 target

    config = load_config(site_dir)
    report = deploy.deploy_site(config, args.target, dry_run=args.dry_run,
                                delete=args.delete, max_deletes=args.max_deletes,
                                progress=_progress(args))
    if args.dry_run:
        print("\n".join(deploy.dry_run_lines(report)))
    elif not args.quiet:
        print(deploy.summary_line(report))
    return 0


def run_views(args: argparse.Namespace, site_dir: Path) -> int:
    from phucdong_site import views  # the crawler list loads in 16 ms: only views needs it

    report = views.count_views(load_config(site_dir), args.logs, dry_run=args.dry_run,
                               progress=_progress(args))
    print_warnings(report.warnings)
    if not args.quiet:
        print("\n".join(views.summary_lines(report)))
    return 0


def run(args: argparse.Namespace) -> int:
    if args.command == "import":
        return run_import(args)
    if args.command == "new" and args.site_dir and args.site_option:
        raise UsageError("new: " + _("give the site folder once, either after the title or "
                                     "with --site"))
    site_dir = _site_dir(getattr(args, "site_option", None) or args.site_dir, args.command)
    if args.command == "build":
        build_and_tell(args, build_config(args, site_dir))
        return 0
    if args.command == "publish":
        return run_publish(args, site_dir)
    if args.command == "deploy":
        return run_deploy(args, site_dir)
    if args.command == "views":
        return run_views(args, site_dir)
    if args.command == "check":
        config = load_config(site_dir, drafts=args.drafts or None)
        planned = check(config, _progress(args))
        address = None if config.drafts else address_warning(config, False)
        print_warnings([*planned.warnings, *([address] if address else [])])
        if not args.quiet:
            print(checked_line(len(planned.site.articles), len(planned.site.pages),
                               len(planned.site.register)))
            if line := left_out_line(planned.left_out, config):
                print(line)
        return 0
    if args.command == "serve":
        from phucdong_site.serve import serve  # imports watchfiles: only serve needs it
        serve(site_dir, args.host, args.port, quiet=args.quiet, verbose=args.verbose,
              progress=_progress(args))
        return 0
    if args.command == "nginx":
        config = load_config(site_dir, args.output, base_url=args.base_url)
        print(nginx_config(config, (args.root or config.output_dir).absolute(),
                           listen=args.listen, brotli=args.brotli,
                           standalone=args.standalone), end="")
        return 0
    if args.command == "new":
        path = new_article(load_config(site_dir), args.title)
        print(shown_path(path))
        return 0
    raise UsageError(_("unknown command {name}").format(name=args.command))


def _interrupted_line() -> str:
    """What a Ctrl-C (or a SIGTERM to a build) left: the previous output, or the new one
    when the build had swapped it in already."""
    published = published_output()
    if published is None:
        return _("interrupted; the previous output is unchanged")
    return _("interrupted once the new site was in place: {folder} holds it, whole").format(
        folder=published)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    write_every_letter(sys.stdout, sys.stderr)
    with speaking(choose(_requested_language(argv))):
        args = parser().parse_args(argv)
        try:
            return run(args)
        except SiteError as error:
            for line in error.lines():
                print(line, file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print(_interrupted_line(), file=sys.stderr)
            return 130
        except OSError as error:
            name = error.filename
            where = (f"{shown_path(name) if isinstance(name, str) else name}: " if name
                     else "")
            print(f"{where}{os_reason(error)}", file=sys.stderr)
            return 1
        except Exception as error:  # noqa: BLE001 - a bug of ours must not dump a traceback
            if args.debug:
                traceback.print_exc()
            print(_("internal error: {error} (run with --debug and report it)").format(
                error=f"{type(error).__name__}: {error}"), file=sys.stderr)
            return 1
