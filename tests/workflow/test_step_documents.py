"""Documents uploaded on step screens are kept, shown on the task screen and downloaded by those
who may see the step."""

from __future__ import annotations

import io
from datetime import date, timedelta
from html import unescape

import pytest
import wtforms.form
from flask_wtf.file import FileField, MultipleFileField

from app.models.files import StoredFile
from app.models.workflow import ServiceInstance, StepRecord
from tests import pdf_corpus
from tests.steps import act
from tests.workflow.test_child_accompaniment import (
    SUNDAY_2AM,
    _open_step,
    dispose_and_appoint,
    register_police_letter,
)

# The screens whose form takes a file, and the test that downloads what they store. A new file
# field on a step screen fails the discovery test below until it is added here with its test.
SCREENS_WITH_FILES = {
    "note": "test_a_note_screen_document_is_kept_and_downloaded_by_who_sees_the_step (below)",
    "outreach_report": "tests/workflow/test_outreach.py::test_sop14_from_the_portal_to_the_activity_report",
}
MAY_DOWNLOAD = ("pk1", "kasubsi.bka", "kepala", "pengawas")  # own PK, section, head, supervision
REFUSED = ("pk2", "kasubsi.bkd", "tu", "pengaduan")  # another PK, another section, no business


def _file_fields(form) -> list[str]:
    return [field.name for field in form if isinstance(field, FileField | MultipleFileField)]


class _StandIn:
    """A domain row for builders that read one (a complaint, a plan, an outreach): fields empty."""

    id = 0
    requested_on = date(2026, 12, 3)

    def __getattr__(self, _name: str) -> None:
        return None


def test_the_screens_that_take_files_are_known(app, monkeypatch):
    from app.views.steps import SCREENS
    from app.workflow import complaints, guidance
    from app.workflow import outreach as sambang
    from app.workflow.definitions import SERVICES

    for module, lookup in ((complaints, "complaint_of"), (guidance, "plan_of"), (sambang, "outreach_of")):
        monkeypatch.setattr(module, lookup, lambda _record: _StandIn())
    built: list = []
    original = wtforms.form.BaseForm.__init__

    def remember(self, *args, **kwargs):
        original(self, *args, **kwargs)
        built.append(self)

    monkeypatch.setattr(wtforms.form.BaseForm, "__init__", remember)
    with_files = set()
    for code, service in SERVICES.items():
        for step in service.steps:
            screen = SCREENS[step.form]
            if screen.build is None:
                continue
            record = StepRecord(step=step.code, section=step.section or "BKA", actor_role=step.actor, data={})
            record.instance = ServiceInstance(service=code, subject="-", section="BKA", data={})
            built.clear()
            with app.test_request_context():
                screen.build(record)
            assert built, f"{code}.{step.code}: no form built"
            if any(_file_fields(form) for form in built):
                with_files.add(step.form)
    assert with_files == set(SCREENS_WITH_FILES)


def _to_litmas(login_as, db_session, clock, subject: str) -> StepRecord:
    register_police_letter(login_as, subject, "2026-11-22 01:30")
    step = dispose_and_appoint(login_as, db_session, clock, subject, SUNDAY_2AM)
    child = {"name": "Bayu Pratama", "birth_date": "2011-03-03", "sex": "L", "address": "Dusun Sawit",
             "guardian_name": "Sarno", "guardian_relation": "ayah", "case_number": "LP/B/411/XI/2026",
             "offence": "Pencurian", "note": "Didampingi saat pemeriksaan.",
             "arrived_at": "2026-11-22 02:45"}  # fmt: skip
    clock(SUNDAY_2AM + timedelta(minutes=50))
    assert act(login_as("pk1"), step.id, child).status_code == 302
    step = _open_step(db_session, subject)
    assert step.step == "litmas"
    return step


@pytest.mark.parametrize(
    ("name", "make"),
    [("litmas.pdf", pdf_corpus.reportlab_scan), ("litmas.png", None)],
    ids=["pdf", "png"],
)
def test_a_note_screen_document_is_kept_and_downloaded_by_who_sees_the_step(
    login_as, db_session, clock, name, make
):
    from tests.views.test_clients import PNG_1PX

    clock(SUNDAY_2AM)
    subject = f"Pendampingan anak BP ({name})"
    litmas = _to_litmas(login_as, db_session, clock, subject)
    content = make() if make else PNG_1PX
    form = {"note": "Draf Litmas terlampir.", "attachment": (io.BytesIO(content), name)}
    response = act(login_as("pk1"), litmas.id, form, content_type="multipart/form-data")
    assert response.status_code == 302
    db_session.rollback()
    done = db_session.get(StepRecord, litmas.id)
    stored = db_session.get(StoredFile, done.data["file_id"])
    assert stored is not None and stored.original_name == name

    for who in MAY_DOWNLOAD:
        session = login_as(who)
        page = unescape(session.get(f"/tasks/{done.id}").get_data(as_text=True))
        assert f"/tasks/{done.id}/document" in page, who
        download = session.get(f"/tasks/{done.id}/document")
        assert download.status_code == 200, who
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.data.startswith(content[:4]), who
    for who in REFUSED:
        assert login_as(who).get(f"/tasks/{done.id}/document").status_code in (403, 404), who


def test_a_step_without_a_document_has_none_to_download(login_as, db_session, clock):
    clock(SUNDAY_2AM)
    litmas = _to_litmas(login_as, db_session, clock, "Pendampingan anak BP (tanpa lampiran)")
    assert act(login_as("pk1"), litmas.id, {"note": "Draf Litmas selesai."}).status_code == 302
    assert login_as("pk1").get(f"/tasks/{litmas.id}/document").status_code == 404
