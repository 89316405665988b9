"""The data rows of an uploaded spreadsheet (Excel .xlsx, or CSV by its
file name), shared by the imports: size and row limits, the header row, one
dict per non-empty row keyed by lower-case column name, with the row number
the user sees in the file."""

import base64
import binascii
import csv
import io
import zipfile

from odoo.exceptions import UserError

try:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
except ImportError:  # pragma: no cover - openpyxl comes with Odoo's requirements
    openpyxl = None
    InvalidFileException = ValueError

# Beyond these an import is a data migration: refused before the whole
# sheet sits in memory and in one create().
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000


def read_rows(env, data, filename, required, optional=()):
    """[(row number, {column: value})] of the base64 ``data``."""
    try:
        content = base64.b64decode(data or b"", validate=True)
    except (binascii.Error, ValueError) as error:
        raise UserError(env._("The file could not be read.")) from error
    if len(content) > MAX_FILE_BYTES:
        raise UserError(
            env._(
                "The file is larger than %(size)s MB: split it into several imports.",
                size=MAX_FILE_BYTES // (1024 * 1024),
            )
        )
    if (filename or "").lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise UserError(env._("The CSV file is not encoded in UTF-8.")) from error
        return _rows(env, csv.reader(io.StringIO(text)), required, optional)
    if openpyxl is None:  # pragma: no cover
        raise UserError(env._("Reading Excel files needs openpyxl."))
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise UserError(env._("The file is not an Excel workbook (.xlsx).")) from error
    try:
        return _rows(
            env,
            workbook.worksheets[0].iter_rows(values_only=True),
            required,
            optional,
        )
    finally:
        workbook.close()


def _rows(env, cells, required, optional):
    cells = iter(cells)
    header = next(cells, None) or ()
    columns = [str(name).strip().lower() if name else "" for name in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise UserError(
            env._(
                "Required columns missing from the header row: %(columns)s.",
                columns=", ".join(missing),
            )
        )
    known = set(required) | set(optional)
    # The first of duplicated columns wins, as a reader scans left to right.
    positions = {}
    for index, name in enumerate(columns):
        if name in known:
            positions.setdefault(name, index)
    rows = []
    for row_number, values in enumerate(cells, start=2):
        if all(value is None or str(value).strip() == "" for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise UserError(
                env._(
                    "The file has more than %(count)s lines: split it into "
                    "several imports.",
                    count=MAX_ROWS,
                )
            )
        rows.append(
            (
                row_number,
                {
                    name: values[index] if index < len(values) else None
                    for name, index in positions.items()
                },
            )
        )
    return rows
