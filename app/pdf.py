"""PDF documents (lembar disposisi, …) rendered from Jinja templates with xhtml2pdf.

Templates live under templates/pdf/ and extend pdf/base.html (letterhead, A4 page). Data is
autoescaped like in any .html template, and the renderer may fetch nothing: no network, no
local files. The text is set in DejaVu Sans Condensed (and DejaVu Sans Mono for codes), vendored in
static/fonts and embedded in every PDF, so names with diacritics outside Latin-1 ("Ṡ") print.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import current_app, render_template
from pypdf import PdfReader
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from xhtml2pdf import default as pisa_default
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from app.models.clients import LEGAL_BASES
from app.models.letters import INSTRUCTIONS, URGENCIES
from app.verification import qr_data_uri

if TYPE_CHECKING:
    from app.models.letters import IncomingLetter
    from app.models.mobile import MobileAttendance, MobileService
    from app.models.offices import Office
    from app.models.staff import Staff
    from app.models.transfers import ClientTransfer
    from app.models.travel_permits import TravelPermit

# Every fetch refused: the templates need no resource, and the data in them is never markup.
_NO_RESOURCES = ResourceAccessPolicy.server(base_dir=None, allow_remote=False)
FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
# CSS family -> (regular, bold, oblique, bold oblique) files in FONT_DIR.
FONTS = {
    # Condensed: about as wide as Helvetica, which the layouts were drawn for.
    "DejaVuSansCondensed": tuple(
        f"DejaVuSansCondensed{style}" for style in ("", "-Bold", "-Oblique", "-BoldOblique")
    ),
    "DejaVuSansMono": ("DejaVuSansMono", "DejaVuSansMono-Bold", "DejaVuSansMono", "DejaVuSansMono-Bold"),
}


@cache
def register_fonts() -> None:
    """Register the vendored TrueType fonts with ReportLab and xhtml2pdf, once per process."""
    for family, faces in FONTS.items():
        for face in set(faces):
            pdfmetrics.registerFont(TTFont(face, FONT_DIR / f"{face}.ttf"))
        for (bold, italic), face in zip(((0, 0), (1, 0), (0, 1), (1, 1)), faces, strict=True):
            addMapping(family, bold, italic, face)
        # Known to every document by its CSS name, as the built-in fonts are.
        pisa_default.DEFAULT_FONT[family.lower()] = family


def render_pdf(template: str, office: Office | None = None, **context: Any) -> bytes:
    """Render a template under templates/ to PDF bytes on the letterhead of `office` (the record's
    office; by default the reader's); needs an app or request context."""
    from app.offices import current_office

    register_fonts()
    html = render_template(template, office=office or current_office(), **context)
    out = BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=_NO_RESOURCES)
    if result.err:
        messages = "; ".join(str(msg) for mode, _line, msg, _frag in result.log if mode == "error")
        raise RuntimeError(f"PDF rendering of {template} failed: {messages or result.err}")
    return out.getvalue()


def disposition_sheet(letter: IncomingLetter) -> bytes:
    """The lembar disposisi of an incoming letter, with all its dispositions."""
    dispositions = list(letter.dispositions)
    return render_pdf(
        "pdf/disposition_sheet.html",
        letter.office,
        letter=letter,
        dispositions=dispositions,
        latest=dispositions[-1] if dispositions else None,
        instructions=INSTRUCTIONS,
        urgencies=URGENCIES,
    )


def transfer_letter(transfer: ClientTransfer) -> bytes:
    """The origin's letter handing a client over to the destination Bapas (once its Kepala approved)."""
    return render_pdf(
        "pdf/transfer_letter.html",
        transfer.origin_office,
        transfer=transfer,
        client=transfer.client,
        legal_bases=LEGAL_BASES,
    )


# Body text sizes (pt) tried in turn until the permit letter fits on one page.
PERMIT_FONT_SIZES = (10.5, 9.5, 8.5, 7.5)


def permit_letter(
    permit: TravelPermit,
    verify_url: str | None,
    *,
    signer: Staff | None = None,
    obligations: str | None = None,
) -> bytes:
    """The Surat Izin Pergi ke Luar Kota of a permit on one A4 page, with its verification QR code.

    Without a verify_url the letter is the draft the PK previews and the Kepala reads before signing:
    marked as such, with no number, no signature and no QR code; `obligations` (the text the PK is
    typing, not yet saved) stands in for the permit's own.
    """
    typed = permit.obligations if obligations is None else obligations
    # The letter numbers the obligations itself: drop a "1." or "-" the office typed in front of one.
    lines = (re.sub(r"^\s*(?:\d{1,2}\s*[.)]|[-*•])\s*", "", line) for line in (typed or "").splitlines())
    context = {
        "permit": permit,
        "client": permit.client,
        "signer": signer,
        "obligations": [line.strip() for line in lines if line.strip()],
        "legal_bases": LEGAL_BASES,
        "verify_url": verify_url,
        "qr": qr_data_uri(verify_url) if verify_url else None,
    }
    # Long addresses, purposes or obligations get a smaller type rather than a second page; a usual
    # letter fits at the first size and is rendered once. Past the last size, the letter runs on.
    for font_size in PERMIT_FONT_SIZES:
        pdf = render_pdf("pdf/permit_letter.html", permit.issuing_office, font_size=font_size, **context)
        if len(PdfReader(BytesIO(pdf)).pages) == 1:
            break
    return pdf


def batako_attendance(point: MobileService, visits: list[MobileAttendance]) -> bytes:
    """The daftar hadir of a BATAKO point: the clients the reader may see, each with its signature."""
    folder = Path(current_app.config["UPLOAD_DIR"])
    rows = []
    for visit in visits:
        stored = visit.signature_file
        path = folder / stored.storage_name if stored else None
        data = path.read_bytes() if path and path.is_file() else None
        uri = f"data:{stored.mime_type};base64,{base64.b64encode(data).decode()}" if data else None
        rows.append((visit, uri))
    return render_pdf("pdf/batako_attendance.html", point.office, point=point, rows=rows)
