"""django-q2 entry point of the admin's register import (thin: one service call)."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .models import RegisterImport
from .services import import_register


@contextlib.contextmanager
def local_copy(record: RegisterImport) -> Iterator[Path]:
    """The uploaded file as a local path (a temporary copy when the storage is remote, S3)."""
    try:
        yield Path(record.file.path)
        return
    except NotImplementedError:
        pass
    suffix = Path(record.file.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with record.file.open("rb") as source:
            shutil.copyfileobj(source, copy, 1 << 20)
        copy.flush()
        yield Path(copy.name)


def run_import(record_id: int) -> str:
    """Run a queued import. A worker that died in the middle leaves it unfinished: run again, it
    starts over (nothing was stored: the merge is one transaction). A finished one is left."""
    record = RegisterImport.objects.get(pk=record_id)
    if record.finished:
        return record.status
    with local_copy(record) as path:
        import_register(
            record.register,
            path,
            fmt=record.format,
            encoding=record.encoding,
            mode=record.mode,
            record=record,
        )
    return record.status
