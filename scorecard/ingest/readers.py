"""Reading one CSV extract into a raw DuckDB table of text columns, with exact line numbers.

DuckDB parses (fast, in parallel); Python decides what the file is (encoding, delimiter,
header) and, when the file has blank lines, line breaks inside quoted cells or broken rows,
walks it once with the `csv` module to learn the physical line on which each record starts.
If the two parsers ever disagree on the records, the Python parse is loaded instead, so a
reported line number is always the line a council officer sees in a text editor.

Every record is accounted for. A file whose records cannot be trusted is refused whole, with
the line where reading went wrong, rather than loaded in part: a stray double quote that
swallows the rows after it, a last row cut short (a file still being copied), a compressed
file that ends early, bytes that are not text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import shutil
import tempfile
import zlib
from array import array
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyarrow as pa
from isal import igzip, isal_zlib

SNIFF_BYTES = 1 << 16
# a stray quote makes one "cell" of the rest of the file: read it whole, to say where it ends
csv.field_size_limit(1 << 30)
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
EXTENSIONS = (".csv", ".csv.gz", ".txt", ".tsv", ".txt.gz", ".tsv.gz")


class FileProblem(Exception):
    """A file that cannot be read at all: one clear message naming the file and what to do."""

    def __init__(self, path: Path | str, what: str, todo: str = ""):
        # a data file is named by its name alone (never a server path); a name given as text
        # (a staging query, "staging/contacts.sql") is shown as the mapping gives it
        self.file = path if isinstance(path, str) else Path(path).name
        self.what = what
        self.todo = todo
        super().__init__(f"{self.file}: {what}" + (f" {todo}" if todo else ""))


@dataclass
class Sniffed:
    """What a file is: encoding, delimiter and its header as written and as normalised."""

    path: Path
    encoding: str
    delimiter: str
    header: list[str]
    names: list[str]
    guessed: bool = False  # UTF-8 judged from the start of the file only (the rest is read)


@dataclass
class RawLoad:
    """A raw table's row accounting: records read and those rejected for their shape."""

    table: str
    rows_read: int
    structural: list[tuple[int, str]] = field(default_factory=list)
    parser: str = "duckdb"
    encoding: str = ""  # as read: Windows-1252 when a file that began as UTF-8 was not


def normalise_name(name: str) -> str:
    """Header names are case- and space-insensitive: 'Received At ' -> 'received_at'."""
    name = name.replace("\ufeff", "").strip().strip('"').lower()
    return re.sub(r"[^0-9a-z]+", "_", name).strip("_")


def _open_binary(path: Path):
    """The file's bytes, a gzipped one decompressed by ISA-L (the same bytes as the standard
    library's gzip, at twice its speed: the lines of a large council's contacts are counted
    in 0.9 s of CPU rather than 1.9)."""
    return igzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")


# what a damaged or cut-short file raises (gzip.BadGzipFile is an OSError)
DAMAGED = (OSError, EOFError, zlib.error, isal_zlib.error)


def damaged(path: Path, exc: BaseException) -> FileProblem:
    """The file could not be read to its end: damaged, or cut short while being copied."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, OSError) and exc.filename:
        reason = exc.strerror or type(exc).__name__  # never echo a server path
    return FileProblem(
        path,
        f"could not be read to the end: it is damaged, or was cut short "
        f"while being copied ({reason}).",
        "Check the file is a complete, uncorrupted CSV.",
    )


def _head(path: Path) -> bytes:
    try:
        with _open_binary(path) as handle:
            return handle.read(SNIFF_BYTES)
    except DAMAGED as exc:
        raise damaged(path, exc) from exc


def _looks_binary(head: bytes) -> bool:
    """Control characters or undecodable bytes in more than 1% of the start of the file, read
    as UTF-8 and as Windows-1252 alike: not text, though no NUL byte says so."""
    allowed = {"\t", "\r", "\n", "\x0c"}
    for encoding in ("utf-8", "cp1252"):
        text = head.decode(encoding, errors="replace")
        odd = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in allowed))
        if odd <= max(2, len(text) // 100):
            return False
    return True


def _check_not_binary(path: Path, head: bytes) -> None:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem(
            path,
            "is an Excel workbook, not a CSV file.",
            "Open it in Excel and use File > Save As > CSV UTF-8.",
        )
    if b"\x00" in head or _looks_binary(head):
        raise FileProblem(
            path,
            "is not a text file (it holds bytes no CSV export writes).",
            "Export the extract as CSV text.",
        )


def detect_encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without BOM) if the start of the file decodes as UTF-8, else
    Windows-1252. The rest is checked as it is read: DuckDB refuses a line that is not
    UTF-8, and such a file is then read again as Windows-1252 (`load_raw`), so no separate
    pass over the whole file is needed."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)  # a character cut at the end
        return "utf-8"  # of the head is not an error
    except UnicodeDecodeError:
        return "cp1252"


def _detect_delimiter(path: Path, header_line: str) -> str:
    counts = {d: len(next(csv.reader([header_line], delimiter=d))) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] < 2:
        raise FileProblem(
            path,
            "has only one column in its header row.",
            "Use a comma-, semicolon- or tab-separated file with a header row.",
        )
    return best


def sniff(path: Path, encoding: str | None = None, delimiter: str | None = None) -> Sniffed:
    """Read the start of a file: refuse empty or binary files, find encoding and delimiter
    (a mapping file may set either)."""
    head = _head(path)
    _check_not_binary(path, head)
    if not head.strip():
        raise FileProblem(path, "is empty.", "Export the extract again with its header row.")
    guessed = not encoding
    encoding = encoding or detect_encoding(path, head)
    text = head.decode(encoding, errors="replace")
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = delimiter or _detect_delimiter(path, header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    names = [normalise_name(h) or f"column_{i + 1}" for i, h in enumerate(header)]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise FileProblem(
            path,
            f"has the column {', '.join(dupes)} more than once in its header.",
            "Remove or rename the repeated column.",
        )
    return Sniffed(path, encoding, delimiter, header, names, guessed and encoding == "utf-8")


def _as_utf8(sniffed: Sniffed, workdir: Path) -> Path:
    """DuckDB reads UTF-8 (with or without BOM); other encodings are transcoded to a copy."""
    if sniffed.encoding in ("utf-8", "utf-8-sig"):
        return sniffed.path
    target = workdir / (sniffed.path.name.removesuffix(".gz") + ".utf8")
    with _open_binary(sniffed.path) as src, open(target, "wb") as dst:
        reader = codecs.getreader(sniffed.encoding)(src, errors="replace")
        writer = codecs.getwriter("utf-8")(dst)
        shutil.copyfileobj(reader, writer, 1 << 22)
    return target


def _open_text(path: Path, encoding: str):
    return io.TextIOWrapper(_open_binary(path), encoding=encoding, newline="")


def physical_lines(path: Path) -> tuple[int, bool]:
    """Lines in the file as an editor counts them, and whether the last one ends in a line
    break (a file cut short while being copied usually does not)."""
    count, last = 0, b""
    with _open_binary(path) as handle:
        while chunk := handle.read(1 << 24):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (1 if last not in (b"\n", b"") else 0), last in (b"\n", b"")


def record_lines(path: Path, encoding: str, delimiter: str, width: int, cut_at: int | None = None):
    """Walk the file once, independently of DuckDB: the start line of each well-formed
    record, and the malformed ones (line, reason). A file whose records cannot be trusted is
    refused (FileProblem) rather than read in part. `cut_at` is the last line's number when
    the file does not end with a line break (a short row there means the file was cut)."""
    good, bad = array("q"), []
    with _open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=False)
        next(reader, None)
        start = reader.line_num + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                raise FileProblem(
                    path,
                    f"could not be split into cells from line {start} ({exc}).",
                    "Check for a stray double quote there.",
                ) from exc
            end = reader.line_num
            if record and len(record) != width:
                _check_shape(path, record, start, end, width, cut_at)
                bad.append((start, f"expected {width} cells, found {len(record)}"))
            elif record:
                good.append(start)
            start = end + 1
    return good, bad


def _check_shape(path, record, start: int, end: int, width: int, cut_at: int | None) -> None:
    """A record with the wrong number of cells is a bad row, unless it is a sign that the
    file cannot be trusted: a quote that swallows the lines after it, or a last row cut short."""
    if end > start:
        swallowed = end - start
        raise FileProblem(
            path,
            f"has a double quote on line {start} that opens a cell which "
            f"does not close until line {end}, so the {swallowed:,} "
            f"row{'s' if swallowed > 1 else ''} after it would be read as "
            "part of one cell.",
            f"Check for a stray double quote on line {start}.",
        )
    if end == cut_at and len(record) < width:
        raise FileProblem(
            path,
            f"ends part-way through its last row (line {start}: "
            f"{len(record)} of {width} cells, and no line break): it may "
            "still be being copied, or was cut short.",
            "Copy the complete file again.",
        )


def _columns_literal(names: list[str]) -> str:
    return "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"


def csv_source(sniffed: Sniffed, rejects: str) -> str:
    """DuckDB's reader over a sniffed file (bound as $path), every column as text, exactly as
    sniffed (nothing guessed again); records it cannot read go to `<rejects>_rej`."""
    delim = sniffed.delimiter.replace("'", "''")
    return (
        f"read_csv($path, columns={_columns_literal(sniffed.names)}, header=true, "
        f"delim='{delim}', quote='\"', escape='\"', auto_detect=false, store_rejects=true, "
        f"rejects_table='{rejects}_rej', rejects_scan='{rejects}_scan')"
    )


def _duckdb_read(con, source: Path, sniffed: Sniffed, table: str) -> tuple[int, int]:
    """Parse with DuckDB into `table` (text columns); returns (good rows, rejected rows)."""
    con.execute(
        f"create or replace temp table {table}_dd as select * from {csv_source(sniffed, table)}",
        {"path": str(source)},
    )
    good = con.execute(f"select count(*) from {table}_dd").fetchall()[0][0]
    rejected = con.execute(f"select count(distinct line) from {table}_rej").fetchall()[0][0]
    return good, rejected


def _python_read(con, source: Path, sniffed: Sniffed, table: str, lines) -> None:
    """Slow path: load the records the csv module found (exact, used when parsers disagree)."""
    wanted = set(lines)
    columns: list[list[str]] = [[] for _ in sniffed.names]
    with _open_text(source, "utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=sniffed.delimiter)
        next(reader, None)
        start = reader.line_num + 1
        for record in reader:
            if start in wanted:
                for col, value in zip(columns, record):
                    col.append(value)
            start = reader.line_num + 1
    arrow = pa.table({n: pa.array(c, pa.string()) for n, c in zip(sniffed.names, columns)})
    arrow = arrow.append_column("_line", pa.array(lines, pa.int64()))
    arrow = arrow.append_column("_pos", pa.array(range(len(lines)), pa.int64()))
    con.register(f"{table}_arrow", arrow)
    con.execute(f"create or replace temp table {table} as select * from {table}_arrow")
    con.unregister(f"{table}_arrow")


NOT_UTF8 = "INVALID ENCODING"  # DuckDB's reject for a line that is not UTF-8


def load_raw(con, sniffed: Sniffed, table: str) -> RawLoad:
    """Load a sniffed file into `table` (a view where the file read cleanly): its columns as
    text plus `_line`, the source line, and `_pos`, the record's position in the file.
    Damage found while reading it (a compressed file that ends early) refuses the file."""
    try:
        try:
            loaded = _load_raw(con, sniffed, table)
        except _NotUtf8:  # read it again as Windows-1252, its first reading forgotten
            for leftover in (f"{table}_rej", f"{table}_scan"):
                con.execute(f"drop table if exists {leftover}")
            sniffed = replace(sniffed, encoding="cp1252", guessed=False)
            loaded = _load_raw(con, sniffed, table)
    except DAMAGED as exc:
        raise damaged(sniffed.path, exc) from exc
    loaded.encoding = sniffed.encoding
    return loaded


class _NotUtf8(Exception):
    """A file taken for UTF-8 from its start has a line further on that is not."""


def _load_raw(con, sniffed: Sniffed, table: str) -> RawLoad:
    with tempfile.TemporaryDirectory(prefix="scorecard-") as tmp:
        source = _as_utf8(sniffed, Path(tmp))
        try:
            good, rejected = _duckdb_read(con, source, sniffed, table)
        except Exception:  # noqa: BLE001 - any DuckDB parse failure: let Python decide
            good, rejected = -1, -1
        if (
            sniffed.guessed
            and rejected > 0
            and con.execute(
                f"select count(*) from {table}_rej where error_type = $t", {"t": NOT_UTF8}
            ).fetchall()[0][0]
        ):
            raise _NotUtf8
        try:
            return _place_lines(con, source, sniffed, table, good, rejected)
        except UnicodeDecodeError:
            if sniffed.guessed:
                raise _NotUtf8 from None
            raise


def _place_lines(
    con, source: Path, sniffed: Sniffed, table: str, good: int, rejected: int
) -> RawLoad:
    """Give each record its line in the file: at once when every line is one record,
    else from an independent walk of the file (and, where the parsers disagree, the
    records that walk found)."""
    lines_in_file, ends_with_break = physical_lines(source)
    if rejected == 0 and lines_in_file == good + 1:
        # every line is one record: the editor's line count and DuckDB's rows agree
        # a view, not a copy: the file's rows as read, with their line and position
        con.execute(
            f"create or replace temp view {table} as "
            f"select *, rowid + 2 as _line, rowid as _pos from {table}_dd"
        )
        return RawLoad(table, good)
    lines, bad = record_lines(
        source,
        "utf-8-sig",
        sniffed.delimiter,
        len(sniffed.names),
        None if ends_with_break else lines_in_file,
    )
    if len(lines) == good:
        index = pa.table(
            {"_i": pa.array(range(good), pa.int64()), "_line": pa.array(lines, pa.int64())}
        )
        con.register(f"{table}_lines", index)
        con.execute(
            f"create or replace temp table {table} as select d.* exclude (_i), "
            f"l._line, d._i as _pos from (select *, rowid as _i from {table}_dd) d "
            f"join {table}_lines l using (_i) order by _i"
        )
        con.unregister(f"{table}_lines")
        return RawLoad(table, good + len(bad), bad)
    _python_read(con, source, sniffed, table, lines)
    return RawLoad(table, len(lines) + len(bad), bad, parser="python")
