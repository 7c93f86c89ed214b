"""PDF documents (lembar disposisi, …) rendered from Jinja templates with xhtml2pdf.

Templates live under templates/pdf/ and extend pdf/base.html (letterhead, A4 page). Data is
autoescaped like in any .html template, and the renderer may fetch nothing: no network, no
local files, so a template can only use xhtml2pdf's built-in fonts (Helvetica, Times, Courier).
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

from flask import render_template
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from app.models.letters import INSTRUCTIONS, URGENCIES

if TYPE_CHECKING:
    from app.models.letters import IncomingLetter

# Every fetch refused: the templates need no resource, and the data in them is never markup.
_NO_RESOURCES = ResourceAccessPolicy.server(base_dir=None, allow_remote=False)


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a template under templates/ to PDF bytes; needs an app or request context."""
    html = render_template(template, **context)
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
        letter=letter,
        dispositions=dispositions,
        latest=dispositions[-1] if dispositions else None,
        instructions=INSTRUCTIONS,
        urgencies=URGENCIES,
    )
