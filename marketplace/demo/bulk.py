"""Writing many generated rows with PostgreSQL's COPY.

Both paths fill what the ORM would: a column the caller does not give gets its field's default, and
auto_now / auto_now_add fields the time of the write. Database triggers (search vectors, catalogue counts)
fire for COPY as for INSERT. Rows come from generators and stream to the server in chunks, so memory stays
flat and the server parses one chunk while Python makes the next.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

T = TypeVar("T")

BATCH = 5000
COPY_CHUNK = 1 << 17  # bytes handed to the server per write: large enough that a write costs nothing
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_INTEGERS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}

ProgressFactory = Callable[..., Any]
Row = Sequence[Any]


class Silent:
    """A progress bar that draws nothing."""

    def __init__(self, iterable: Any = None) -> None:
        self.iterable = iterable

    def __iter__(self) -> Iterator[Any]:
        return iter(self.iterable or [])

    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def no_progress(iterable: Iterable[Any] | None = None, **kwargs: Any) -> Any:
    return Silent(iterable)


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Row], *, bar: Any = None) -> int:
    """Insert rows (tuples in the order of `fields`, attnames such as "vendor_id"); the number written."""
    return _copy(model, fields, rows, bar)


def last_id(model: type[models.Model]) -> int:
    return model.objects.aggregate(last=models.Max("pk"))["last"] or 0


def lock_for_writes(*tables: type[models.Model]) -> None:
    """Hold off other writers until the transaction ends, so the ids above a watermark taken now are exactly
    the rows this transaction writes. Reads go on."""
    names = ", ".join(connection.ops.quote_name(t._meta.db_table) for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {names} IN EXCLUSIVE MODE")


def analyze(*tables: type[models.Model], progress: ProgressFactory = no_progress) -> None:
    """Fresh planner statistics after a bulk load, so the statistics jobs that follow get good plans."""
    bar = progress(total=len(tables), desc="planner statistics", unit="table")
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table._meta.db_table)}")
            bar.update(1)
    bar.close()


@contextmanager
def bulk_load(
    *tables: type[models.Model], adding: int, keep: Sequence[str] = (), progress: ProgressFactory | None = None
) -> Iterator[None]:
    """Load many rows into these tables with their foreign keys and secondary indexes set aside, then put
    them back from their own definitions (pg_get_indexdef, pg_get_constraintdef), unique ones included, so
    every rule is checked again, set-based, over the loaded rows. Measured on 2M memberships and their events:
    28 s this way against 127 s keeping ten indexes up to date row by row and checking two deferred foreign
    keys per row at commit. `keep` names indexes that stay: those a trigger on the table reads during the load.

    PostgreSQL only, inside the caller's transaction: a failure rolls the definitions back with the rows. The
    tables are locked until commit (DROP INDEX), which a seed can afford. Skipped when the tables already
    hold more than twice what is being added, where rebuilding their indexes would cost more than it saves.
    """
    foreign_keys: list[tuple[str, str, str]] = []
    indexes: list[tuple[str, str]] = []
    if adding > 0:
        with connection.cursor() as cursor:
            foreign_keys, indexes = _set_aside(cursor, [t._meta.db_table for t in tables], adding, keep)
    yield
    if not indexes and not foreign_keys:
        return
    bar = (progress or no_progress)(
        total=len(indexes) + len(foreign_keys), desc=f"indexes of {tables[0]._meta.verbose_name_plural}", unit="index"
    )
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
            bar.update(1)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
            bar.update(1)
    bar.close()


def _set_aside(
    cursor: Any, names: list[str], adding: int, keep: Sequence[str]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    cursor.execute("SELECT max(reltuples) FROM pg_class WHERE oid = ANY(%s::regclass[])", [names])
    if (cursor.fetchone()[0] or 0) > 2 * adding:
        return [], []
    # PostgreSQL refuses to alter a table (or the table a dropped foreign key points to) with deferred checks
    # still pending from earlier writes of this transaction (a test seeding inside its own transaction, rows
    # deleted before a reseed): run every pending check now, then give each constraint its default again.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    cursor.execute("SELECT quote_ident(conname) FROM pg_constraint WHERE condeferrable AND NOT condeferred")
    immediate = [name for (name,) in cursor.fetchall()]
    if immediate:
        cursor.execute(f"SET CONSTRAINTS {', '.join(immediate)} IMMEDIATE")
    cursor.execute(_FOREIGN_KEYS, [names])
    foreign_keys = cursor.fetchall()
    cursor.execute(_INDEXES, [names, list(keep)])
    indexes = cursor.fetchall()
    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
    for table, name, _ in foreign_keys:
        cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for index, _ in indexes:
        cursor.execute(f"DROP INDEX {index}")
    return foreign_keys, indexes


_FOREIGN_KEYS = """
SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = ANY(%s::regclass[]) AND contype = 'f' ORDER BY conrelid, conname
"""
# Secondary indexes: not those behind the table's own primary key or unique constraints, nor those kept.
_INDEXES = """
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
WHERE i.indrelid = ANY(%s::regclass[]) AND i.indexrelid::regclass::text <> ALL(%s::text[]) AND NOT EXISTS (
    SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
ORDER BY i.indrelid, i.indexrelid
"""


# --- PostgreSQL COPY ------------------------------------------------------------------------------------


def _encoder(field: models.Field[Any, Any]) -> Callable[[Any], str]:
    kind = (field.target_field if field.is_relation else field).get_internal_type()  # type: ignore[union-attr]
    encode: Callable[[Any], str]
    if kind in _INTEGERS:
        encode = str
    elif kind == "BooleanField":
        encode = _boolean
    elif kind == "DateTimeField":
        encode = datetime.isoformat
    elif kind == "DecimalField":
        encode = str
    elif kind == "JSONField":
        encode = _json
    else:
        encode = _text
    if field.null:
        return lambda value: "\\N" if value is None else encode(value)
    return encode


def _json(value: Any) -> str:
    return _text(json.dumps(value))


def _boolean(value: Any) -> str:
    return "t" if value else "f"


def _text(value: Any) -> str:
    return str(value).translate(_ESCAPES)


def _constants(model: type[models.Model], given: set[str]) -> tuple[list[str], str]:
    """The columns the caller leaves out, with what the ORM would write there, as the tail of each line."""
    now = timezone.now()
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in given or (field.primary_key and isinstance(field, models.AutoField)):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        if field.get_internal_type() != "JSONField":  # encoded by _json, not by the driver's adapter
            value = field.get_db_prep_save(value, connection)
        columns.append(field.column)
        values.append("\\N" if value is None else _encoder(field)(value))
    return columns, "".join("\t" + v for v in values)


class _Stream:
    """A file for psycopg2's copy_expert that reads COPY text lines off a generator, a chunk at a time."""

    def __init__(self, lines: Iterator[str]) -> None:
        self.lines = lines

    def read(self, size: int = -1) -> bytes:
        parts: list[str] = []
        length = 0
        for line in self.lines:
            parts.append(line)
            length += len(line)
            if length >= size > 0:
                break
        return "".join(parts).encode()


def _copy(model: type[models.Model], fields: Sequence[str], rows: Iterable[Row], bar: Any) -> int:
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    encoders = [_encoder(f) for f in given]  # type: ignore[arg-type]
    extra_columns, tail = _constants(model, {f.attname for f in given})  # type: ignore[union-attr]
    columns = [f.column for f in given] + extra_columns  # type: ignore[union-attr]
    written = 0

    def lines() -> Iterator[str]:
        nonlocal written
        pending = 0
        for row in rows:
            yield "\t".join([encode(value) for encode, value in zip(encoders, row, strict=True)]) + tail + "\n"
            pending += 1
            if pending == BATCH:
                written += pending
                if bar is not None:
                    bar.update(pending)
                pending = 0
        written += pending
        if bar is not None and pending:
            bar.update(pending)

    quote = connection.ops.quote_name
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(sql, _Stream(lines()), size=COPY_CHUNK)
    return written
