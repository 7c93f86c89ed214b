"""Active content in an uploaded PDF, found by parsing every object rather than searching bytes.

A byte search misses names written with #-escapes (`/OpenAct#69on`) and anything inside a
compressed object stream, and it trips over the compressed pictures of ordinary scans. Here every
object is parsed with pypdf (whose names come out decoded): those the cross-reference table lists,
those a repairing reader would find by scanning the file, and those packed in object streams.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    read_object,
)

# Keys that make a PDF do something by itself: scripts, automatic and additional actions,
# programs, attached files, scriptable forms, embedded media.
ACTIVE_KEYS = frozenset({
    "/JS", "/JavaScript", "/OpenAction", "/AA", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF",
    "/XFA", "/RichMedia", "/RichMediaContent", "/RichMediaSettings", "/RichMediaExecute",
})  # fmt: skip
# The same as action types (/S) and object types (/Type, /Subtype). Links (/URI, /GoTo) are fine.
ACTIVE_TYPES = frozenset({
    "/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE", "/GoToR", "/Rendition",
    "/RichMediaExecute", "/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/3D",
})  # fmt: skip
_TYPE_KEYS = frozenset({"/S", "/Type", "/Subtype"})
# Resource dictionaries map labels the producer chose (a font may be called /AA) to objects.
_LABEL_MAPS = frozenset(
    {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties"}
)
_OBJECT_HEADER = re.compile(
    rb"(?<![0-9])[0-9]{1,10}[\x00\t\n\x0c\r ]+[0-9]{1,5}[\x00\t\n\x0c\r ]+obj(?![A-Za-z])[\x00\t\n\x0c\r ]*"
)
MAX_NODES = 1_000_000  # dictionary entries and array items walked; far above any scan
MAX_UNPACKED = 32 * 1024 * 1024  # bytes of object streams unpacked


class Unreadable(ValueError):
    """The file cannot be parsed as a PDF (damaged, empty, or built to exhaust the parser)."""


class Encrypted(ValueError):
    """The file is encrypted: its content cannot be inspected."""


class _Budget:
    def __init__(self) -> None:
        self.nodes = MAX_NODES
        self.unpacked = MAX_UNPACKED

    def spend(self, nodes: int = 1, unpacked: int = 0) -> None:
        self.nodes -= nodes
        self.unpacked -= unpacked
        if self.nodes < 0 or self.unpacked < 0:
            raise Unreadable("too many objects")


def active_content(data: bytes) -> str | None:
    """The first active element of a PDF (e.g. '/OpenAction'), or None when it has none.

    Raises Encrypted, or Unreadable when the file cannot be parsed or has no page.
    """
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Encrypted("encrypted")
        if len(reader.pages) == 0:
            raise Unreadable("no page")
        budget = _Budget()
        for node in (reader.trailer, *_objects(data, reader, budget)):
            found = _first_active(node, budget)
            if found:
                return found
    except (Encrypted, Unreadable):
        raise
    except Exception as exc:  # hostile input: any parser failure means the file is refused
        raise Unreadable(str(exc)) from exc
    return None


def _objects(data: bytes, reader: PdfReader, budget: _Budget) -> Iterator[PdfObject]:
    """Every object: those the xref table lists, then those a repairing reader finds by scanning."""
    listed = set()
    for generation, table in list(reader.xref.items()):
        for number, offset in list(table.items()):
            listed.add(offset)
            yield from _with_packed(
                reader.get_object(IndirectObject(number, generation, reader)), reader, budget
            )
    source = io.BytesIO(data)
    for match in _OBJECT_HEADER.finditer(data):
        if match.start() not in listed:
            source.seek(match.end())
            yield from _with_packed(read_object(source, reader), reader, budget)


def _with_packed(obj: PdfObject | None, reader: PdfReader, budget: _Budget) -> Iterator[PdfObject]:
    if obj is None:
        return
    yield obj
    if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
        yield from _packed(obj, reader, budget)


def _packed(stream: StreamObject, reader: PdfReader, budget: _Budget) -> Iterator[PdfObject]:
    """The objects inside an object stream."""
    data = stream.get_data()
    budget.spend(unpacked=len(data))
    count, first = stream.get("/N"), stream.get("/First")
    if not isinstance(count, NumberObject) or not isinstance(first, NumberObject):
        raise Unreadable("object stream without /N or /First")
    numbers = data[:first].split()
    if len(numbers) < 2 * count:
        raise Unreadable("object stream index too short")
    source = io.BytesIO(data)
    for offset in numbers[1 : 2 * count : 2]:
        source.seek(first + int(offset))
        budget.spend()
        yield read_object(source, reader)


def _is_view(action: PdfObject) -> bool:
    """An open action that only shows a page of the document (LibreOffice writes one)."""
    action = action.get_object()
    return isinstance(action, ArrayObject) or (
        isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo"
    )


def _first_active(root: PdfObject, budget: _Budget) -> str | None:
    """Walk one object (references are not followed: every object is walked on its own)."""
    stack: list[tuple[PdfObject, bool]] = [(root, False)]
    while stack:
        node, labels = stack.pop()
        if isinstance(node, IndirectObject):
            continue
        if isinstance(node, DictionaryObject):
            budget.spend(len(node))
            for key, value in dict.items(node):
                if key in ACTIVE_KEYS and not labels and not (key == "/OpenAction" and _is_view(value)):
                    return str(key)
                if key in _TYPE_KEYS and isinstance(value, NameObject) and value in ACTIVE_TYPES:
                    return str(value)
                stack.append((value, key in _LABEL_MAPS))
        elif isinstance(node, ArrayObject):
            budget.spend(len(node))
            stack.extend((item, False) for item in node)
    return None
