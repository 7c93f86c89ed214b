"""Case screens."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.formatting import choice_label
from app.forms.cases import CASE_FIELDS, CaseForm
from app.models.cases import AUTHORITIES, LEGAL_STAGES, Case
from app.models.staff import SECTIONS
from app.security.roles import CASE
from app.views.base import BapasModelView, ScopedInterface


class CaseView(BapasModelView):
    """Cases in the user's scope."""

    datamodel = ScopedInterface(Case)
    class_permission_name = CASE
    list_title = show_title = _l("Cases")
    add_title = _l("Add case")
    edit_title = _l("Edit case")
    label_columns = {
        "number": _l("Case number"),
        "offence": _l("Offence"),
        "article": _l("Article"),
        "authority": _l("Referring authority"),
        "section": _l("Section"),
        "legal_stage": _l("Legal stage"),
        "clients": _l("Clients"),
    }
    formatters_columns = {
        "authority": choice_label(AUTHORITIES),
        "legal_stage": choice_label(LEGAL_STAGES),
        "section": choice_label(SECTIONS),
    }
    list_columns = ["number", "offence", "authority", "section", "legal_stage"]
    show_columns = CASE_FIELDS
    search_columns = ["number", "offence", "authority", "section", "legal_stage"]
    order_columns = ["number", "legal_stage"]
    base_order = ("number", "asc")
    add_form = edit_form = CaseForm
    add_columns = edit_columns = CASE_FIELDS
