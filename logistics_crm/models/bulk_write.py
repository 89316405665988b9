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


def insert_rows(model, vals_list):
    """Create plain records in one ``INSERT ... SELECT FROM unnest`` and
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
    columns = [
        (
            fname,
            model._fields[fname].column_type[1],
            [vals.get(fname) or None for vals in vals_list],
        )
        for fname in fnames
    ]
    audit = SQL("%s, %s, %s, %s", model.env.uid, cr.now(), model.env.uid, cr.now())
    cr.execute(
        SQL(
            "INSERT INTO %(table)s (id, %(names)s, create_uid, create_date,"
            " write_uid, write_date)"
            " SELECT new.*, %(audit)s"
            " FROM unnest(%(ids)s::int[], %(arrays)s) AS new",
            table=SQL.identifier(model._table),
            names=SQL(", ").join(
                SQL.identifier(fname) for fname, _type, _values in columns
            ),
            audit=audit,
            ids=ids,
            arrays=SQL(", ").join(
                SQL("%s::%s[]", values, SQL(column_type))
                for _fname, column_type, values in columns
            ),
        )
    )
    records = model.browse(ids)
    records.check_access("create")
    return records
