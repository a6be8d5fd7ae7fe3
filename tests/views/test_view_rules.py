"""`phucdong-site views`: what counts as a view, in every log format it reads.

The known mix of logmaker (crawlers, robots.txt, repeats, HEAD, 404, assets, query strings,
index.html, hosts, prefetches, local midnight) written as each server writes it, plain and
gzip, must give the counts it was made with.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from logmaker import (
    BROWSERS,
    HANOI,
    SNEAKY,
    Hit,
    LogMix,
    in_time_order,
    known_mix,
    line,
    make_site,
    write,
)

from phucdong_site.content.view_counts import read_view_counts


@pytest.fixture
def views(invoke, site):
    def run(*args):
        result = invoke("views", *map(str, args), "--site", str(site.root))
        result.said = result.out + result.err
        assert "Traceback" not in result.said
        return result
    return run


def rows(site):
    return list(read_view_counts(site.root, HANOI).daily)


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("style", ["combined", "extended", "vhost", "s3", "cloudfront"])
def test_every_format_gives_the_counts_of_the_mix(site, views, tmp_path, style, compress):
    pages = make_site(site)
    mix = known_mix(pages, visitors=80, portable=True)
    log = write(tmp_path / ("access.log.gz" if compress else "access.log"),
                in_time_order(mix, jitter=20), style=style)
    result = views(log)
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()


def test_hosts_and_prefetches_of_the_full_mix(site, views, tmp_path):
    pages = make_site(site)
    mix = known_mix(pages, visitors=30)
    result = views(write(tmp_path / "access.log", in_time_order(mix)))
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()


DAY = datetime(2026, 11, 28, tzinfo=HANOI)


@pytest.mark.parametrize("style", ["extended", "combined", "vhost", "s3", "cloudfront"])
def test_robots_txt_marks_its_client_for_that_local_day_only(site, views, tmp_path, style):
    """In every format: with a Host (extended, vhost, S3, CloudFront) and without one."""
    pages = make_site(site)
    mix = LogMix()
    bot, agent = "113.161.0.1", SNEAKY
    # Pages first, robots.txt later the same day: the client is marked for the whole day.
    mix.add(Hit(DAY + timedelta(hours=8), bot, agent, pages.page))
    mix.add(Hit(DAY + timedelta(hours=20), bot, agent, "/robots.txt"))
    mix.add(Hit(DAY + timedelta(hours=23, minutes=59), bot, agent, pages.document))
    # The next local day (a minute later) it is a reader again.
    mix.add(Hit(DAY + timedelta(hours=24, minutes=1), bot, agent, pages.articles[0]),
            pages.articles[0])
    # robots.txt with a 404 still says what the client is.
    other = "113.161.0.2"
    mix.add(Hit(DAY + timedelta(hours=9), other, agent, "/robots.txt", status=404))
    mix.add(Hit(DAY + timedelta(hours=9, minutes=1), other, agent, pages.page))
    result = views(write(tmp_path / "access.log", in_time_order(mix), style=style))
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()


def test_prefetch_only_after_the_user_agent(site, views, tmp_path):
    pages = make_site(site)
    mix = LogMix()
    when = DAY + timedelta(hours=10)
    # The word in the referrer or the query is no prefetch.
    mix.add(Hit(when, "113.161.1.1", BROWSERS[0], pages.page,
                referer="https://phucdong.gov.vn/?prefetch=1"), pages.page)
    mix.add(Hit(when, "113.161.1.2", BROWSERS[0], pages.page + "?prefetch"), pages.page)
    mix.add(Hit(when, "113.161.1.3", BROWSERS[0], pages.page, purpose="prefetch"))
    mix.add(Hit(when, "113.161.1.4", BROWSERS[0], pages.page, purpose="Prefetch"))
    log = write(tmp_path / "access.log", mix.hits)
    # A log format that writes Sec-Purpose quoted after the user agent.
    quoted = tmp_path / "quoted.log"
    hit = Hit(when, "113.161.1.5", BROWSERS[1], pages.document)
    quoted.write_text(line(hit, "combined") + ' "prefetch;prerender"\n'
                      + line(Hit(when, "113.161.1.6", BROWSERS[1], pages.document), "combined")
                      + ' "-"\n', encoding="utf-8")
    mix.add(Hit(when, "113.161.1.6", BROWSERS[1], pages.document), pages.document)
    result = views(log, quoted)
    assert result.code == 0, result.said
    assert rows(site) == [(date(2026, 11, 28), pages.page, 2),
                          (date(2026, 11, 28), pages.document, 1)]


def test_repeats_are_measured_from_the_previous_request_of_the_page(site, views, tmp_path):
    pages = make_site(site)
    mix = LogMix()
    reader, agent = "113.161.2.1", BROWSERS[4]
    # Every 20 minutes for three hours: one view, however long the reader stays.
    for n in range(10):
        mix.add(Hit(DAY + timedelta(hours=9, minutes=20 * n), reader, agent, pages.page),
                pages.page if n == 0 else None)
    # 29:59 is a repeat, 30:00 is not.
    mix.add(Hit(DAY + timedelta(hours=15), reader, agent, pages.document), pages.document)
    mix.add(Hit(DAY + timedelta(hours=15, minutes=29, seconds=59), reader, agent,
                pages.document))
    mix.add(Hit(DAY + timedelta(hours=15, minutes=59, seconds=59), reader, agent,
                pages.document), pages.document)
    result = views(write(tmp_path / "access.log", mix.hits))
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()


def test_a_repeat_across_local_midnight_is_still_a_repeat(site, views, tmp_path):
    """The 30 minutes are of time, not of the date: 23:50 and 00:10 are one visit."""
    pages = make_site(site)
    mix = LogMix()
    reader, agent = "113.161.3.1", BROWSERS[2]
    mix.add(Hit(DAY + timedelta(hours=23, minutes=50), reader, agent, pages.articles[1]),
            pages.articles[1])
    mix.add(Hit(DAY + timedelta(hours=24, minutes=10), reader, agent, pages.articles[1]))
    result = views(write(tmp_path / "access.log", mix.hits))
    assert result.code == 0, result.said
    assert rows(site) == mix.rows()
