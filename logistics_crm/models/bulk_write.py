"""Write engine output for many records in one statement."""

import csv
import io

from odoo.tools import SQL

# From this many rows on, the values travel to PostgreSQL by COPY into a
# temporary table instead of as array parameters: for the tier results of
# 50 000 customers, quoting the arrays took 0.5 s in psycopg2 and their
# unnest spilled to disk on the server (the whole UPDATE: 2.7 s instead of
# 3.3 s).
COPY_MIN_ROWS = 5000
COPY_TABLE = "logistics_bulk_write_rows"
# What COPY reads as NULL; a text value equal to it would be read as NULL too.
COPY_NULL = "\\N"


def write_columns(records, columns, rows):
    """Set plain stored columns of many records in one ``UPDATE``:
    ``columns`` maps field names to their SQL types, ``rows`` are
    ``(id, value, ...)`` tuples in the order of ``columns``.

    For batch engines whose output needs none of ``write``'s per-record work
    (tracking, sync, constraints on other fields): pending writes of those
    fields are flushed first and the cache is invalidated after, so the ORM
    reads the new values.
    """
    if not rows:
        return
    fnames = list(columns)
    cr = records.env.cr
    target = records.browse(row[0] for row in rows)
    target.flush_recordset(fnames)
    copied = len(rows) >= COPY_MIN_ROWS
    source = _copied_rows(cr, columns, rows) if copied else _unnested(columns, rows)
    cr.execute(
        SQL(
            "UPDATE %(table)s AS target SET %(sets)s FROM %(source)s"
            " WHERE target.id = new.id",
            table=SQL.identifier(records._table),
            sets=SQL(", ").join(
                SQL("%s = new.%s", SQL.identifier(fname), SQL.identifier(fname))
                for fname in fnames
            ),
            source=source,
        )
    )
    if copied:
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(COPY_TABLE)))
    target.invalidate_recordset(fnames)


def _column_values(vals, fnames, booleans):
    for fname in fnames:
        value = vals.get(fname)
        yield None if value is False and fname not in booleans else value


def _unnested(columns, rows):
    ids, *arrays = zip(*rows, strict=True)
    return SQL(
        "unnest(%(ids)s::int[], %(arrays)s) AS new(id, %(names)s)",
        ids=list(ids),
        arrays=SQL(", ").join(
            SQL("%s::%s[]", list(values), SQL(sql_type))
            for sql_type, values in zip(columns.values(), arrays, strict=True)
        ),
        names=SQL(", ").join(SQL.identifier(fname) for fname in columns),
    )


def _copied_rows(cr, columns, rows):
    cr.execute(
        SQL(
            "CREATE TEMPORARY TABLE %s (id int, %s) ON COMMIT DROP",
            SQL.identifier(COPY_TABLE),
            SQL(", ").join(
                SQL("%s %s", SQL.identifier(fname), SQL(sql_type))
                for fname, sql_type in columns.items()
            ),
        )
    )
    # CSV through the csv module's C writer: formatting the values one by
    # one in Python (COPY's text format) cost more than the UPDATE they feed.
    # Strings are quoted, so an empty one stays empty; None travels as the
    # marker COPY is told to read as NULL even when quoted.
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(
        [COPY_NULL if value is None else value for value in row] for row in rows
    )
    buffer.seek(0)
    names = ", ".join(f'"{fname}"' for fname in ("id", *columns))
    cr.copy_expert(
        f'COPY "{COPY_TABLE}" FROM STDIN WITH'
        f" (FORMAT csv, NULL '{COPY_NULL}', FORCE_NULL ({names}))",
        buffer,
    )
    return SQL("%s AS new", SQL.identifier(COPY_TABLE))


def insert_rows(model, vals_list):
    """Create plain records in one ``INSERT ... SELECT`` (rows as for
    ``write_columns``: array parameters, or COPY for big batches) and
    return them: ``vals_list`` holds values of stored, non-computed columns
    only, already valid (required fields given, selections known).

    For feeds of thousands of rows whose model has no create logic of its own
    to run per row: the ORM's create spends most of a 10 000-row batch on
    per-record defaults and cache bookkeeping. Ids are taken from the table's
    sequence first, so the records come back in the order given; access is
    checked as ``create`` checks it, rules included.
    """
    if not vals_list:
        return model.browse()
    model.check_access("create")
    cr = model.env.cr
    fnames = sorted({fname for vals in vals_list for fname in vals})
    cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"{model._table}_id_seq",
            len(vals_list),
        )
    )
    ids = [row[0] for row in cr.fetchall()]
    columns = {fname: model._fields[fname].column_type[1] for fname in fnames}
    # False is the ORM's "no value" for every type but a boolean; a zero or
    # an empty text is a value, stored as it is.
    booleans = {fname for fname in fnames if model._fields[fname].type == "boolean"}
    rows = [
        (record_id, *_column_values(vals, fnames, booleans))
        for record_id, vals in zip(ids, vals_list, strict=True)
    ]
    copied = len(rows) >= COPY_MIN_ROWS
    source = _copied_rows(cr, columns, rows) if copied else _unnested(columns, rows)
    names = SQL(", ").join(SQL.identifier(fname) for fname in fnames)
    values = SQL("new.*")
    if model._log_access:
        names = SQL("%s, create_uid, create_date, write_uid, write_date", names)
        values = SQL(
            "new.*, %s, %s, %s, %s", model.env.uid, cr.now(), model.env.uid, cr.now()
        )
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (id, %(names)s) SELECT %(values)s FROM %(source)s",
            table=SQL.identifier(model._table),
            names=names,
            values=values,
            source=source,
        )
    )
    if copied:
        cr.execute(SQL("DROP TABLE %s", SQL.identifier(COPY_TABLE)))
    records = model.browse(ids)
    records.check_access("create")
    return records
