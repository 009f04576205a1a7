"""Lossless backup: the whole database as versioned JSON Lines, and back.

Format (docs/reports.md, "Backup"):

- line 1, the header: ``{"format": "factcheck-backup", "version": 1, "schema": "<alembic revision>"}``
- then one line per row, ``{"table": "<name>", "row": {<column>: <value>, ...}}``, table by table in
  dependency order (``Base.metadata.sorted_tables``, so new tables are included automatically),
  rows ordered by primary key; datetimes ISO 8601 with their time zone, dates ISO, JSON columns
  as JSON, enums as their stored strings;
- last, the trailer: ``{"format": "factcheck-backup-end", "rows": {"<table>": <count>, ...}}``, so
  a file cut short at a line boundary is noticed too.

Keys are sorted and separators fixed, so exporting the same data always gives the same bytes.
Importing goes into an empty, migrated database only, in the caller's single transaction; any
problem raises ``BackupError`` before the caller commits, so a bad file changes nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Float,
    Integer,
    String,
    Table,
    TypeDecorator,
    func,
    select,
    text,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from factcheck import migrate
from factcheck.domain.credibility import PRIOR_STRENGTH_LIMITS
from factcheck.domain.links import link_problem
from factcheck.domain.ratings import DEFAULT_SCALE
from factcheck.models import Base

FORMAT = "factcheck-backup"
END_FORMAT = "factcheck-backup-end"
VERSION = 1
#: Rows sent to the database per INSERT batch.
BATCH_SIZE = 500
#: Tables the migrations create that the models do not describe (kept by Alembic or by triggers).
UNMODELLED = frozenset({"alembic_version", "check_items_status_counts", "publication_counts"})


class BackupError(Exception):
    """A backup that cannot be written or read; the message says what to do."""


def tables() -> list[Table]:
    """Every modelled table, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in UNMODELLED]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _export_value(value: Any) -> Any:
    """A column value as JSON: datetimes and dates ISO, enums as their stored string."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum) and isinstance(value, str):  # StrEnum members
        return value.value
    return value


def _primary_key_order(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns)


def export_lines(connection: Connection) -> Iterator[str]:
    """The backup, line by line (without newlines), read through ``connection``'s transaction."""
    schema = migrate.current_revision(connection)
    if schema is None:
        raise BackupError("This database was never migrated; there is nothing to export.")
    yield _dumps({"format": FORMAT, "version": VERSION, "schema": schema})
    counts: dict[str, int] = {}
    for table in tables():
        counts[table.name] = 0
        result = connection.execute(select(table).order_by(*_primary_key_order(table)))
        for row in result.mappings():
            counts[table.name] += 1
            yield _dumps({"table": table.name, "row": {k: _export_value(v) for k, v in row.items()}})
    yield _dumps({"format": END_FORMAT, "rows": counts})


def export_backup(connection: Connection, out: IO[str]) -> dict[str, int]:
    """Write the whole database to ``out``; return the rows written per table (from the trailer)."""
    line = ""
    for line in export_lines(connection):
        out.write(line + "\n")
    return json.loads(line)["rows"]


# --- import -------------------------------------------------------------------------------------


def _parse(line: str, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BackupError(f"Line {number} is not valid JSON ({exc.msg}); the file is damaged or truncated. "
                          "Nothing was imported.") from None
    except (ValueError, RecursionError):  # a number of thousands of digits, or lists nested thousands deep
        raise BackupError(f"Line {number} holds a number too long or values nested too deep to be a factcheck "
                          "backup. Nothing was imported.") from None
    if not isinstance(value, dict):
        raise BackupError(f"Line {number} is not a JSON object. Nothing was imported.")
    return value


def check_header(header: dict[str, Any], schema: str | None) -> None:
    """Refuse a file that is not a factcheck backup of this version and schema."""
    if header.get("format") != FORMAT:
        raise BackupError("This is not a factcheck backup: its first line lacks "
                          f'"format": "{FORMAT}". Nothing was imported.')
    if header.get("version") != VERSION:
        raise BackupError(f"This backup has format version {header.get('version')!r}; this factcheck reads "
                          f"version {VERSION}. Nothing was imported.")
    if header.get("schema") != schema:
        raise BackupError(f"This backup was made at schema revision {header.get('schema')!r} but the database is "
                          f"at {schema!r}. Migrate a database to the backup's revision (or export again with this "
                          "version) and retry. Nothing was imported.")


def _is_default_scale(connection: Connection, ratings: Table) -> bool:
    keys = set(connection.scalars(select(ratings.c.key)))
    return keys == {spec.key for spec in DEFAULT_SCALE}


def check_empty(connection: Connection) -> None:
    """Refuse to import over data: every table must be empty (the seeded default scale counts as empty)."""
    for table in tables():
        count = connection.scalar(select(func.count()).select_from(table)) or 0
        if not count:
            continue
        if table.name == "ratings" and _is_default_scale(connection, table):
            continue
        raise BackupError(f"The database is not empty: table {table.name} has {count} rows. Import a backup only "
                          "into a new database migrated with `factcheck db upgrade`. Nothing was imported.")


def _python_type(column: Column[Any]) -> type | None:
    # Decorated types (UTCDateTime) report their Python type through the type they wrap.
    type_ = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    try:
        return type_.python_type
    except NotImplementedError:
        return None


#: What an ``integer`` column holds on every supported database (32 bits on PostgreSQL).
INTEGER_RANGE = (-(2**31), 2**31 - 1)
BIG_INTEGER_RANGE = (-(2**63), 2**63 - 1)
#: Rating colours end up in style attributes: a hex colour and nothing else.
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _is_url_column(column: Column[Any]) -> bool:
    return column.name == "url" or column.name.endswith("_url") or column.name == "same_as"


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else shown[:59] + "…"


class _Unfit(ValueError):
    """A value its column cannot take; the message says why, in plain words."""


#: The shapes of the JSON columns the pages read field by field (anything else must only be JSON): a type; ``[x]``,
#: a list of x; a dict, an object with at least those keys; a tuple, any of its shapes. A doctored or damaged value
#: of another shape (hedges of 5) would load and then break every page that shows it.
_SOURCE = {"id": int, "name": str, "kind": str, "same_as": (str, None), "domain": (str, None)}
_JSON_SHAPES: dict[tuple[str, str], Any] = {
    ("check_items", "hedges"): [str],
    ("check_items", "dates"): [str],
    ("check_items", "hedge_spans"): [{"label": str, "start": int, "end": int}],
    ("articles", "dropped"): [{"start": int, "end": int, "reason": str}],
    ("webhooks", "events"): [str],
    ("audit_events", "payload"): {},
    ("verdicts", "shown"): {
        "claim_text": str, "restatement": (str, None), "span": ([int], None), "claimant": (_SOURCE, None),
        "chain": [{"source": _SOURCE, "verb": str}], "hedges": [str], "dates": [str],
        "evidence": [{"id": int, "title": str, "url": (str, None), "passage": (str, None), "stance": str,
                      "source": (_SOURCE, None), "is_anonymous": bool, "is_off_record": bool,
                      "is_publishable": bool}],
    },
}


def _fits(value: Any, shape: Any) -> bool:
    """Whether the JSON ``value`` has ``shape`` (see ``_JSON_SHAPES``)."""
    if shape is None:
        return value is None
    if isinstance(shape, tuple):
        return any(_fits(value, one) for one in shape)
    if isinstance(shape, list):
        return isinstance(value, list) and all(_fits(item, shape[0]) for item in value)
    if isinstance(shape, dict):
        return isinstance(value, dict) and all(key in value and _fits(value[key], inner) for key, inner in shape.items())
    if shape is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, shape)


#: Numbers the desk only ever writes within a range (an editorial prior's pseudo-counts, shares): a value outside
#: would break the pages that read it.
_NUMBER_RANGES: dict[tuple[str, str], tuple[float, float]] = {
    ("sources", "prior_alpha"): (1e-6, PRIOR_STRENGTH_LIMITS[1]),
    ("sources", "prior_beta"): (1e-6, PRIOR_STRENGTH_LIMITS[1]),
    ("sources", "standing_mean"): (0.0, 1.0),
    ("check_items", "priority"): (0.0, 1.0),
    ("check_items", "checkworthiness"): (0.0, 1.0),
    ("check_items", "match_similarity"): (0.0, 1.0),
}


def _check_value(column: Column[Any], value: Any) -> Any:
    """``value`` as the column binds it, checked the way the forms and services check input."""
    if value is None:
        if not column.nullable:
            raise _Unfit("must have a value")
        return None
    if isinstance(column.type, JSON):
        shape = _JSON_SHAPES.get((column.table.name, column.name))
        if shape is not None and not _fits(value, shape):
            raise _Unfit("does not have the shape this field holds")
        return value
    type_ = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    kind = _python_type(column)
    if isinstance(type_, Boolean):
        if not isinstance(value, bool):
            raise _Unfit("must be true or false")
        return value
    if isinstance(type_, Integer):
        low, high = BIG_INTEGER_RANGE if isinstance(type_, BigInteger) else INTEGER_RANGE
        if not isinstance(value, int) or isinstance(value, bool):
            raise _Unfit("must be a whole number")
        if not low <= value <= high:
            raise _Unfit(f"must be a whole number from {low:,} to {high:,}")
        return value
    if isinstance(type_, Float):
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise _Unfit("must be a number")
        bounds = _NUMBER_RANGES.get((column.table.name, column.name))
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            raise _Unfit(f"must be a number from {bounds[0]:g} to {bounds[1]:g}")
        return value
    if not isinstance(value, str):
        raise _Unfit("must be text")
    if "\x00" in value:
        raise _Unfit("must not contain NUL characters")
    if kind is dt.datetime:
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Unfit("must be a date and time such as 2026-02-14T10:02:00+00:00") from None
        if parsed.tzinfo is None:
            raise _Unfit("must be a date and time with its time zone, such as 2026-02-14T10:02:00+00:00")
        return parsed
    if kind is dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise _Unfit("must be a real date, written as YYYY-MM-DD") from None
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)
            raise _Unfit(f"must be one of {allowed}") from None
    if isinstance(type_, String) and type_.length is not None and len(value) > type_.length:
        raise _Unfit(f"must be at most {type_.length:,} characters long (it has {len(value):,})")
    if _is_url_column(column) and (problem := link_problem(value)) is not None:
        raise _Unfit(problem)  # (the rule every writer of a link applies: what they stored comes back)
    if column.table.name == "ratings" and column.name == "colour" and not _COLOUR.fullmatch(value):
        raise _Unfit("must be a colour written as #rrggbb")
    return value


def _import_value(column: Column[Any], value: Any, where: str) -> Any:
    """A JSON value turned back into what the column's type binds, or a refusal naming line and field."""
    try:
        return _check_value(column, value)
    except _Unfit as exc:
        raise BackupError(f"{where}, field {column.table.name}.{column.name}: this field cannot hold {_shown(value)}; "
                          f"it {exc}. Nothing was imported.") from None


class _TableLoader:
    """Inserts one table's rows in batches; self-references are filled in after the table is loaded."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table
        self.columns = {c.name: c for c in table.columns}
        # A row may point at a row of its own table with a higher key (a source merged into a newer
        # one); those columns are inserted empty and set once every row of the table exists.
        self.self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        self.pending: list[dict[str, Any]] = []
        self.links: list[tuple[dict[str, Any], dict[str, Any], str]] = []
        self.keys: set[tuple[Any, ...]] = set()
        self.count = 0

    def add(self, row: Any, where: str) -> None:
        if not isinstance(row, dict):
            raise BackupError(f"{where}: the row is not a JSON object. Nothing was imported.")
        unknown = set(row) - set(self.columns)
        missing = set(self.columns) - set(row)
        if unknown or missing:
            detail = "; ".join(filter(None, [
                f"unknown columns {', '.join(sorted(unknown))}" if unknown else "",
                f"missing columns {', '.join(sorted(missing))}" if missing else "",
            ]))
            raise BackupError(f"{where}: the row of {self.table.name} does not match this database ({detail}). "
                              "Nothing was imported.")
        values = {name: _import_value(self.columns[name], value, where) for name, value in row.items()}
        key = {c.name: values[c.name] for c in self.table.primary_key.columns}
        self.keys.add(tuple(key.values()))
        links = {name: values[name] for name in self.self_refs if values[name] is not None}
        if links:
            self.links.append((key, links, where))
            values.update({name: None for name in links})
        self.pending.append(values)
        self.count += 1
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.connection.execute(self.table.insert(), self.pending)
            self.pending = []

    def check_links(self) -> None:
        """Rows pointing at rows of their own table (a source merged into another) must point at a row
        the backup has, and never round in a circle (A merged into B and B into A)."""
        for name in self.self_refs:
            # Self-references are on single-column keys (sources.merged_into_id → sources.id).
            pointing = {next(iter(key.values())): (links[name], where)
                        for key, links, where in self.links if name in links}
            for target, where in pointing.values():
                if (target,) not in self.keys:
                    raise BackupError(f"{where}, field {self.table.name}.{name}: it points at {self.table.name} "
                                      f"row {target}, which is not in the backup. Nothing was imported.")
            settled: set[Any] = set()  # rows whose chain is known to end
            for start in pointing:
                path: dict[Any, int] = {}  # row → its place on this walk
                current = start
                while current in pointing and current not in settled:
                    if current in path:
                        circle = " → ".join(str(i) for i in [*list(path)[path[current]:], current])
                        raise BackupError(f"{pointing[current][1]}, field {self.table.name}.{name}: the rows point "
                                          f"at each other in a circle ({circle}). Nothing was imported.")
                    path[current] = len(path)
                    current = pointing[current][0]
                settled.update(path)

    def finish(self) -> None:
        self.flush()
        self.check_links()
        for key, links, _where in self.links:
            condition = [self.table.c[name] == value for name, value in key.items()]
            self.connection.execute(update(self.table).where(*condition).values(**links))


def _reset_sequences(connection: Connection) -> None:
    """After explicit ids, PostgreSQL's sequences must continue above the highest id."""
    if connection.dialect.name != "postgresql":
        return  # SQLite takes the next rowid from the table itself
    for table in tables():
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer) or keys[0].foreign_keys:
            continue  # composite or text keys have no sequence
        column = keys[0]
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "
            f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 1), "
            f"(SELECT MAX({column.name}) FROM {table.name}) IS NOT NULL)"
        ), {"table": table.name, "column": column.name})


def import_backup(connection: Connection, lines: Iterable[str]) -> dict[str, int]:
    """Load a backup into the empty database behind ``connection``; return the rows loaded per table.

    Runs in the caller's transaction and never commits: on ``BackupError`` (or any database
    error, turned into one) the caller rolls back and the database is as before.
    """
    known = {t.name: t for t in tables()}
    iterator = iter(lines)
    try:
        first = next(iterator)
    except StopIteration:
        raise BackupError("The file is empty. Nothing was imported.") from None
    check_header(_parse(first, 1), migrate.current_revision(connection))
    check_empty(connection)
    connection.execute(known["ratings"].delete())  # the seeded scale is replaced by the backup's
    loaders: dict[str, _TableLoader] = {}
    current: _TableLoader | None = None
    trailer: dict[str, Any] | None = None
    number = 1
    try:
        for number, line in enumerate(iterator, start=2):
            if not line.strip():
                continue
            if trailer is not None:
                raise BackupError(f"Line {number} follows the end of the backup. Nothing was imported.")
            record = _parse(line, number)
            if record.get("format") == END_FORMAT:
                trailer = record
                continue
            name = record.get("table")
            if not isinstance(name, str) or name not in known:
                raise BackupError(f"Line {number} names an unknown table {name!r}. Nothing was imported.")
            if current is None or current.table.name != name:
                if name in loaders:
                    raise BackupError(f"Line {number}: the rows of table {name} are not together. "
                                      "Nothing was imported.")
                if current is not None:
                    current.finish()
                current = loaders[name] = _TableLoader(connection, known[name])
            current.add(record.get("row"), f"Line {number}")
        if current is not None:
            current.finish()
    except SQLAlchemyError as exc:
        message = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise BackupError(f"The database refused the backup near line {number}: {message}. "
                          "Nothing was imported.") from None
    if trailer is None:
        raise BackupError("The backup ends before its last line: the file is truncated. Nothing was imported.")
    counts = {name: loader.count for name, loader in loaders.items()}
    rows = trailer.get("rows") or {}
    if not isinstance(rows, dict):
        raise BackupError("The backup's last line does not count its rows table by table: the file is damaged. "
                          "Nothing was imported.")
    expected = {name: n for name, n in rows.items() if n}
    if {name: n for name, n in counts.items() if n} != expected:
        raise BackupError("The backup's rows do not add up to the counts on its last line: the file is damaged. "
                          "Nothing was imported.")
    _reset_sequences(connection)
    return {t.name: counts.get(t.name, 0) for t in tables()}
