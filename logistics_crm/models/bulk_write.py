"""Write engine output for many records in one statement."""

from odoo.tools import SQL


def write_columns(records, columns, rows):
    """Set plain stored columns of many records in one ``UPDATE ... FROM
    unnest``: ``columns`` maps field names to their SQL types, ``rows`` are
    ``(id, value, ...)`` tuples in the order of ``columns``.

    For batch engines whose output needs none of ``write``'s per-record work
    (tracking, sync, constraints on other fields): pending writes of those
    fields are flushed first and the cache is invalidated after, so the ORM
    reads the new values.
    """
    if not rows:
        return
    fnames = list(columns)
    ids, *arrays = zip(*rows, strict=True)
    target = records.browse(ids)
    target.flush_recordset(fnames)
    records.env.cr.execute(
        SQL(
            "UPDATE %(table)s AS target SET %(sets)s"
            " FROM unnest(%(ids)s::int[], %(arrays)s) AS new(id, %(names)s)"
            " WHERE target.id = new.id",
            table=SQL.identifier(records._table),
            sets=SQL(", ").join(
                SQL("%s = new.%s", SQL.identifier(fname), SQL.identifier(fname))
                for fname in fnames
            ),
            ids=list(ids),
            arrays=SQL(", ").join(
                SQL("%s::%s[]", list(values), SQL(columns[fname]))
                for fname, values in zip(fnames, arrays, strict=True)
            ),
            names=SQL(", ").join(SQL.identifier(fname) for fname in fnames),
        )
    )
    target.invalidate_recordset(fnames)
