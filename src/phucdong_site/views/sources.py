"""Log files as `views` reads them: plain or gzip (several members, as logrotate and
cat make them), in batches of whole lines, each line bounded, hashed as they go by so
that the lines already counted are known by their content.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from phucdong_site.views.formats import (
    CLOUDFRONT,
    Hit,
    cloudfront_fields,
    cloudfront_hit,
    combined_hit,
    s3_hit,
    sniff,
)

BLOCK = 1 << 20                  # bytes read from the file at a time
MAX_LINE = 64 * 1024             # a longer line is not a log line, and is never held whole
SNIFF_LINES = 200                # the first lines that tell a file's format
TOO_LONG = b"\0"                 # stands for a line over MAX_LINE: no format reads it
GZIP_MAGIC = b"\x1f\x8b"
MARKS = tuple(64 * 4 ** power for power in range(14))     # 64, 256, … lines: see LogSpan


@dataclass(slots=True)
class Reading:
    """What reading a file found besides its lines."""

    digest: object = field(default_factory=hashlib.sha256)   # of the whole lines so far
    lines: int = 0               # whole lines read
    truncated: bool = False      # a gzip file that ends before its stream does
    unfinished: bool = False     # the last line has no newline yet: left for a later run
    unreadable: str = ""         # why the rest could not be read (a corrupt gzip stream)
    marks: list = field(default_factory=list)   # (n, digest of the first n lines) at MARKS


def is_gzip(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(2) == GZIP_MAGIC


def blocks(path: Path, reading: Reading, read: Callable[[int], None] = lambda size: None
           ) -> Iterator[bytes]:
    """PATH's bytes, decompressed if it is gzip; READ is told each block's size on disk."""
    with path.open("rb") as file:
        head = file.read(2)
        file.seek(0)
        if head != GZIP_MAGIC:
            while block := file.read(BLOCK):
                read(len(block))
                yield block
            return
        # Output in blocks of at most BLOCK bytes, whatever the input: a small gzip file
        # may hold gigabytes of one repeated byte.
        stream, started = zlib.decompressobj(wbits=31), False
        while block := file.read(BLOCK):
            read(len(block))
            more = True
            while more:
                if not started and not block.strip(b"\0"):
                    break        # nothing (or padding) after the last member
                started = True
                try:
                    data = stream.decompress(block, BLOCK)
                except zlib.error as error:
                    reading.unreadable = str(error)
                    return
                if data:
                    yield data
                if stream.eof:   # a member ended; another may follow
                    block, more = stream.unused_data, bool(stream.unused_data)
                    stream, started = zlib.decompressobj(wbits=31), False
                else:
                    block = stream.unconsumed_tail
                    more = bool(block) or len(data) == BLOCK
        if started:
            if data := stream.flush():
                yield data
            reading.truncated = True


def line_batches(path: Path, reading: Reading, read: Callable[[int], None] = lambda s: None
                 ) -> Iterator[tuple[int, list[bytes]]]:
    """PATH's whole lines in batches: (number of the first, lines without newlines). A line
    over MAX_LINE comes as TOO_LONG; its bytes are hashed, never held. READING.digest ends
    as the hash of the whole lines (a last line without its newline is not one)."""
    carry = b""
    dropping = None              # the digest while a too-long line goes by
    for block in blocks(path, reading, read):
        if dropping is not None:
            end = block.find(b"\n")
            if end < 0:
                dropping.update(block)
                continue
            dropping.update(block[:end + 1])
            reading.digest, dropping = dropping, None
            reading.lines += 1
            if reading.lines in MARKS:
                reading.marks.append((reading.lines, reading.digest.hexdigest()[:16]))
            yield reading.lines, [TOO_LONG]
            block = block[end + 1:]
        data = carry + block if carry else block
        cut = data.rfind(b"\n")
        if cut < 0:
            carry = data
        else:
            whole, carry = data[:cut + 1], data[cut + 1:]
            lines = whole.split(b"\n")
            lines.pop()
            _hash_whole(reading, whole, lines)
            if max(map(len, lines)) > MAX_LINE:
                lines = [TOO_LONG if len(line) > MAX_LINE else line for line in lines]
            first = reading.lines + 1
            reading.lines += len(lines)
            yield first, lines
        if len(carry) > MAX_LINE:
            dropping = reading.digest.copy()
            dropping.update(carry)
            carry = b""
    reading.unfinished = bool(carry) or dropping is not None


def _hash_whole(reading: Reading, whole: bytes, lines: list[bytes]) -> None:
    """Add WHOLE, the bytes of LINES with their newlines, to READING's digest, noting the
    digest at each of MARKS lines on the way."""
    before, position = reading.lines, 0
    for mark in MARKS:
        if mark > before + len(lines):
            break
        if mark > before:
            size = sum(len(line) + 1 for line in lines[:mark - before]) - position
            reading.digest.update(whole[position:position + size])
            position += size
            reading.marks.append((mark, reading.digest.hexdigest()[:16]))
    reading.digest.update(whole[position:])


def prefix_digests(path: Path, counts: list[int]) -> dict[int, str]:
    """The sha256 of PATH's first N lines, for each N of COUNTS it has."""
    wanted = sorted(set(counts))
    found: dict[int, str] = {}
    digest, lines = hashlib.sha256(), 0
    for block in blocks(path, Reading()):
        start = 0
        while wanted:
            need = wanted[0] - lines
            if block.count(b"\n", start) < need:
                break
            end = start + sum(len(line) + 1 for line in block[start:].split(b"\n", need)[:need])
            digest.update(block[start:end])
            lines += need
            start = end
            found[wanted.pop(0)] = digest.hexdigest()
        if not wanted:
            break
        lines += block.count(b"\n", start)
        digest.update(block[start:])
    return found


@dataclass(frozen=True, slots=True)
class Head:
    """What a log's first lines say: its format and the time of its first log line."""

    format: str
    first: int                   # seconds since the epoch
    fields: dict[bytes, int] | None = None   # CloudFront's #Fields, by name


def head_of(path: Path) -> Head | None:
    """The format and first time of the log at PATH, or None if its first lines are not
    those of a log this reads."""
    lines: list[bytes] = []
    for _, batch in line_batches(path, Reading()):
        lines += batch
        if len(lines) >= SNIFF_LINES:
            break
    lines = lines[:SNIFF_LINES]
    kind = sniff(lines)
    if kind is None:
        return None
    reader = reader_for(Head(kind, 0, _fields(lines)))
    for line in lines:
        if (hit := reader(line)) is not None:
            return Head(kind, hit.moment, _fields(lines))
    return None


def is_blank(path: Path) -> bool:
    """True if PATH holds no line with text: logrotate leaves an empty access.log behind."""
    return all(not line.strip() for _, batch in line_batches(path, Reading())
               for line in batch)


def reader_for(head: Head) -> Callable[[bytes], Hit | None]:
    if head.format == CLOUDFRONT:
        fields = head.fields or {}
        return lambda line: None if line.startswith(b"#") else cloudfront_hit(line, fields)
    return combined_hit if head.format == "combined" else s3_hit


def _fields(lines: list[bytes]) -> dict[bytes, int] | None:
    for line in lines:
        if (names := cloudfront_fields(line)) is not None:
            return {name: index for index, name in enumerate(names)}
    return None
