"""PDFs generated for the upload tests: ordinary scans and documents, and PDFs with active content.

Nothing is read from disk: reportlab, xhtml2pdf, Pillow and pypdf's writer make the ordinary files
and the ones pypdf can write; the tricks pypdf will not write (escaped names, an action inside a
compressed object stream, an object outside the cross-reference table) are assembled by hand.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

from PIL import Image, ImageDraw
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from xhtml2pdf import pisa

JS = DictionaryObject(
    {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
)
PAGE_TAIL = b"/MediaBox [0 0 595 842]"


def _scan_picture(size: tuple[int, int] = (620, 877)) -> Image.Image:
    """A grey page with lines of 'text', as a flatbed scanner gives it."""
    picture = Image.new("L", size, 235)
    draw = ImageDraw.Draw(picture)
    for y in range(60, size[1] - 60, 24):
        draw.line((50, y, size[0] - 50 - (y * 7) % 180, y), fill=40, width=3)
    return picture


# ---- hand-assembled files ----------------------------------------------------------------------


def assemble(objects: list[bytes], trailer: bytes = b"", tail: bytes = b"") -> bytes:
    """A PDF with a classic cross-reference table; object 1 is the catalog; `tail` after %%EOF."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer,
        start,
    )
    return bytes(out + tail)


def assemble_compressed(objects: list[bytes]) -> bytes:
    """A PDF 1.5 whose objects (1 = catalog) all lie in one compressed object stream, indexed by an
    xref stream, as modern producers write them."""
    header, body = [], b""
    for number, text in enumerate(objects, 1):
        header.append(b"%d %d" % (number, len(body)))
        body += text + b"\n"
    head = b" ".join(header) + b"\n"
    packed = zlib.compress(head + body)
    stream_no, xref_no = len(objects) + 1, len(objects) + 2
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        stream_no, len(objects), len(head), len(packed)
    )  # fmt: skip
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [bytes([2]) + stream_no.to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(len(objects))]
    rows += [bytes([1]) + stream_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    rows += [bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_no, xref_no + 1, len(table)
    )  # fmt: skip
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def _page_objects(catalog_extra: bytes = b"", page_extra: bytes = b"", font: bytes = b"F1") -> list[bytes]:
    """Catalog, page tree, one page with a line of text, its content and its font (named `font`)."""
    content = b"BT /%s 12 Tf 72 720 Td (Berita acara serah terima) Tj ET" % font
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R " + PAGE_TAIL
        + b" /Contents 4 0 R /Resources << /Font << /%s 5 0 R >> >> " % font + page_extra + b">>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]  # fmt: skip


# ---- ordinary files ------------------------------------------------------------------------------


def reportlab_letter() -> bytes:
    """A typed letter, as reportlab writes it."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 760, "Surat permohonan pendampingan")
    page.drawString(72, 740, "Kepada Yth. Kepala Bapas Magelang")
    page.save()
    return out.getvalue()


def xhtml2pdf_report() -> bytes:
    """A report rendered from HTML by xhtml2pdf, as this app renders its own PDFs."""
    out = io.BytesIO()
    pisa.CreatePDF("<h1>Laporan</h1><table><tr><td>Klien</td><td>Wajib lapor</td></tr></table>", dest=out)
    return out.getvalue()


def pillow_scan() -> bytes:
    """A one-page image-only PDF, as a scanner app saves it (JPEG inside)."""
    out = io.BytesIO()
    _scan_picture().convert("RGB").save(out, format="PDF", resolution=75)
    return out.getvalue()


def pillow_scan_multipage() -> bytes:
    """A three-page scan."""
    out = io.BytesIO()
    pages = [_scan_picture().convert("RGB") for _ in range(3)]
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=75)
    return out.getvalue()


def reportlab_scan() -> bytes:
    """A scanned page placed as an image by reportlab (a copier's 'scan to PDF')."""
    picture = io.BytesIO()
    _scan_picture().save(picture, format="JPEG", quality=70)
    picture.seek(0)
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    from reportlab.lib.utils import ImageReader

    page.drawImage(ImageReader(picture), 0, 0, width=A4[0], height=A4[1])
    page.save()
    return out.getvalue()


def reportlab_with_links() -> bytes:
    """A document with a web link, an internal link and an outline."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.bookmarkPage("awal")
    page.addOutlineEntry("Awal", "awal")
    page.drawString(72, 760, "https://bapas.example.go.id")
    page.linkURL("https://bapas.example.go.id", (72, 750, 300, 775))
    page.linkAbsolute("awal", "awal", (72, 700, 300, 725))
    page.save()
    return out.getvalue()


def keywords_in_text() -> bytes:
    """An uncompressed page whose text reads like PDF keywords: the byte search refused these."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0)
    page.drawString(72, 760, "Kode: /JS /AA /OpenAction /JavaScript /Launch /EmbeddedFile /XFA")
    page.save()
    return out.getvalue()


def pypdf_link_annotation() -> bytes:
    """A blank page with a /URI link annotation added by pypdf."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://sidpp.example.go.id"))
    return _written(writer)


def resource_named_like_keyword() -> bytes:
    """A hand-written page whose font resource happens to be called /AA (a label, not an action)."""
    return assemble(_page_objects(font=b"AA"))


def opens_at_first_page() -> bytes:
    """An open action that only shows the first page, as LibreOffice writes it."""
    return assemble(_page_objects(catalog_extra=b"/OpenAction [3 0 R /XYZ null null 0] "))


def compressed_clean() -> bytes:
    """A clean PDF 1.5 with an object stream and an xref stream."""
    return assemble_compressed([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R " + PAGE_TAIL + b" /Resources << >> >>",
    ])  # fmt: skip


def incremental_update() -> bytes:
    """A scan saved again with a new title appended as an incremental update."""
    writer = PdfWriter(io.BytesIO(pillow_scan()), incremental=True)
    writer.add_metadata({"/Title": "BAST dipindai ulang"})
    return _written(writer)


GOOD: dict[str, Callable[[], bytes]] = {
    "reportlab_letter": reportlab_letter,
    "xhtml2pdf_report": xhtml2pdf_report,
    "pillow_scan": pillow_scan,
    "pillow_scan_multipage": pillow_scan_multipage,
    "reportlab_scan": reportlab_scan,
    "reportlab_with_links": reportlab_with_links,
    "keywords_in_text": keywords_in_text,
    "pypdf_link_annotation": pypdf_link_annotation,
    "resource_named_like_keyword": resource_named_like_keyword,
    "opens_at_first_page": opens_at_first_page,
    "compressed_clean": compressed_clean,
    "incremental_update": incremental_update,
}


# ---- active content ------------------------------------------------------------------------------


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _rect(*corners: int) -> ArrayObject:
    return ArrayObject([NumberObject(c) for c in corners])


def _blank() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    return writer


def js_in_names_tree() -> bytes:
    """Document-level JavaScript (the /Names /JavaScript tree)."""
    writer = _blank()
    writer.add_open_action(JavaScript("app.alert('x');"))
    return _written(writer)


def js_open_action() -> bytes:
    """JavaScript run when the document opens."""
    writer = _blank()
    writer.root_object[NameObject("/OpenAction")] = writer._add_object(JS)
    return _written(writer)


def launch_open_action() -> bytes:
    """A program started when the document opens."""
    writer = _blank()
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    writer.root_object[NameObject("/OpenAction")] = launch
    return _written(writer)


def embedded_file() -> bytes:
    """A file attached to the document."""
    writer = _blank()
    writer.add_attachment("data.exe", b"MZ\x90\x00")
    return _written(writer)


def document_additional_action() -> bytes:
    """An action on closing the document (/AA on the catalog)."""
    writer = _blank()
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): JS})
    return _written(writer)


def page_additional_action() -> bytes:
    """An action on opening the page."""
    writer = _blank()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert('x');"))
    return _written(writer)


def annotation_additional_action() -> bytes:
    """A link whose mouse-over runs JavaScript."""
    writer = _blank()
    writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="https://contoh.example"))
    annotation = writer.pages[0]["/Annots"][0].get_object()
    annotation[NameObject("/AA")] = DictionaryObject({NameObject("/E"): JS})
    return _written(writer)


def form_field_action() -> bytes:
    """A form field whose keystroke handler is JavaScript."""
    writer = _blank()
    field = DictionaryObject({
        NameObject("/FT"): NameObject("/Tx"), NameObject("/T"): TextStringObject("nama"),
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/Rect"): _rect(50, 50, 200, 80),
        NameObject("/AA"): DictionaryObject({NameObject("/K"): JS}),
    })  # fmt: skip
    reference = writer._add_object(field)
    writer.pages[0][NameObject("/Annots")] = ArrayObject([reference])
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([reference])}
    )
    return _written(writer)


def xfa_form() -> bytes:
    """An XFA form (a scriptable form format)."""
    writer = _blank()
    xfa = DecodedStreamObject()
    xfa.set_data(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'><script>app.alert(1)</script></xdp:xdp>")
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({
        NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): writer._add_object(xfa)
    })  # fmt: skip
    return _written(writer)


def rich_media() -> bytes:
    """A RichMedia (Flash) annotation."""
    writer = _blank()
    annotation = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia"),
        NameObject("/Rect"): _rect(0, 0, 9, 9),
    })  # fmt: skip
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _written(writer)


def open_view_then_script() -> bytes:
    """An open action that shows page one, then runs JavaScript (/Next)."""
    action = b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next << /S /JavaScript /JS (app.alert(1)) >> >> "
    return assemble(_page_objects(catalog_extra=action))


def web_page_on_open() -> bytes:
    """A web address opened as soon as the document opens."""
    return assemble(_page_objects(catalog_extra=b"/OpenAction << /S /URI /URI (https://x.example) >> "))


def launch_link() -> bytes:
    """A link that starts a program instead of opening a web page."""
    annotation = b"<< /Type /Annot /Subtype /Link /Rect [50 50 200 80] /A << /S /Launch /F (calc.exe) >> >>"
    objects = _page_objects(page_extra=b"/Annots [6 0 R] ")
    return assemble([*objects, annotation])


def submit_form_link() -> bytes:
    """A link that sends the form's data to an address (/SubmitForm)."""
    annotation = (
        b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /SubmitForm /F (https://x.example) >> >>"
    )
    return assemble([*_page_objects(page_extra=b"/Annots [6 0 R] "), annotation])


def escaped_open_action() -> bytes:
    """/OpenAction and /JavaScript written with #-escapes, which readers decode."""
    return assemble(
        _page_objects(catalog_extra=b"/OpenAct#69on << /S /JavaScr#69pt /J#53 (app.alert(1)) >> ")
    )


def escaped_names_tree() -> bytes:
    """Document JavaScript in a names tree spelt /Java#53cript."""
    names = b"/Names << /Java#53cript << /Names [(a) << /S /JavaScr#69pt /J#53 (app.alert(1)) >>] >> >> "
    return assemble(_page_objects(catalog_extra=names))


def action_in_object_stream() -> bytes:
    """The open action inside a compressed object stream, invisible to a byte search."""
    return assemble_compressed([
        b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R " + PAGE_TAIL + b" /Resources << >> >>",
        b"<< /S /JavaScript /JS (app.alert(1)) >>",
    ])  # fmt: skip


def object_outside_xref() -> bytes:
    """An action object appended after %%EOF, unknown to the cross-reference table (a reader that
    repairs the file finds it)."""
    hidden = b"9 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (x) >> >>\nendobj\n"
    return assemble(_page_objects(), tail=hidden)


def encrypted() -> bytes:
    """A password-protected PDF (its content cannot be inspected)."""
    writer = _blank()
    writer.encrypt(user_password="rahasia", owner_password="rahasia-pemilik", algorithm="RC4-128")
    return _written(writer)


def unparseable() -> bytes:
    """A PDF header followed by nothing a reader can use."""
    return b"%PDF-1.4\n" + bytes(range(256)) * 8


BAD: dict[str, Callable[[], bytes]] = {
    "js_in_names_tree": js_in_names_tree,
    "js_open_action": js_open_action,
    "launch_open_action": launch_open_action,
    "embedded_file": embedded_file,
    "document_additional_action": document_additional_action,
    "page_additional_action": page_additional_action,
    "annotation_additional_action": annotation_additional_action,
    "form_field_action": form_field_action,
    "xfa_form": xfa_form,
    "rich_media": rich_media,
    "open_view_then_script": open_view_then_script,
    "web_page_on_open": web_page_on_open,
    "launch_link": launch_link,
    "submit_form_link": submit_form_link,
    "escaped_open_action": escaped_open_action,
    "escaped_names_tree": escaped_names_tree,
    "action_in_object_stream": action_in_object_stream,
    "object_outside_xref": object_outside_xref,
}
