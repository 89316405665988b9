"""How records without a name of their own are named and found."""

from odoo.fields import Domain
from odoo.tools import SQL


def name_after_parent(records, parent_field, detail_field):
    """Name each record "<parent>: <detail>", the detail being a selection's
    label or a related record's name, so that a list, a breadcrumb or a
    many2one shows what it is instead of "model,id"."""
    field = records._fields[detail_field]
    labels = (
        dict(field._description_selection(records.env))
        if field.type == "selection"
        else None
    )
    for record in records:
        detail = record[detail_field]
        record.display_name = records.env._(
            "%(parent)s: %(detail)s",
            parent=record[parent_field].display_name or "",
            detail=labels.get(detail, "")
            if labels is not None
            else detail.display_name,
        )


def selection_label_domain(model, field_name, text):
    """Records whose selection shows ``text`` in its label (or its key): an
    ilike on a selection compares the stored key, never what users read."""
    text = text.casefold()
    keys = [
        key
        for key, label in model._fields[field_name]._description_selection(model.env)
        if text in label.casefold() or text in key
    ]
    return Domain(field_name, "in", keys) if keys else Domain.FALSE


def next_sequence_names(env, code, count):
    """``count`` new names from the sequence of ``code`` (the company's, else
    the shared one), like as many ``next_by_code`` calls but in one query
    when the sequence is a plain PostgreSQL one: batch creations (a booking's
    shipments, an import) do not pay two queries per record for a name."""
    Sequence = env["ir.sequence"]
    Sequence.browse().check_access("read")
    sequence = Sequence.search(
        [("code", "=", code), ("company_id", "in", [env.company.id, False])],
        order="company_id",
        limit=1,
    )
    if not sequence:
        return [False] * count
    if count == 1 or sequence.implementation != "standard" or sequence.use_date_range:
        return [sequence._next() for _index in range(count)]
    env.cr.execute(
        SQL(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            f"ir_sequence_{sequence.id:03d}",
            count,
        )
    )
    return [sequence.get_next_char(number) for (number,) in env.cr.fetchall()]
