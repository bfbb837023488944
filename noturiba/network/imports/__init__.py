"""Importing organisations and people from CSV and XLSX files.

The stages, each its own module:

1. ``reading`` — bytes → tables of text cells (encodings, separators, XLSX, limits);
2. ``columns`` — Latvian/English headings → fields;
3. ``rows`` — cells → validated values, or row errors naming the column;
4. ``preview`` — every row matched against the directory (updates, duplicate candidates);
5. ``apply`` — a valid preview written in one transaction, in bulk, with audit entries;
6. ``batches`` / ``tasks`` — an uploaded file kept until confirmed, then imported by a task.

Nothing is written unless every row of the file is valid.
"""

from noturiba.network.imports.apply import ImportResult, apply_import
from noturiba.network.imports.preview import ImportPreview, build_preview
from noturiba.network.imports.reading import MAX_FILE_BYTES, MAX_ROWS, ImportFileError

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "ImportFileError",
    "ImportPreview",
    "ImportResult",
    "apply_import",
    "build_preview",
]
