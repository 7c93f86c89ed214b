"""The screens of SOP steps, by the `form` name a step declares in app.workflow.definitions.

Each domain module registers the screens of its own steps (`register`); the one task screen
(app.views.tasks) looks them up. A screen builds the step's form for a record and applies a
validated form through the engine; a step acted on elsewhere (a Sidang TPP, the public portal)
has no form, only a note saying where it happens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.formatting import fmt_date
from app.forms.tasks import DecideForm, NoteForm, RecordForm
from app.models.cases import LEGAL_STAGES
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.uploads import store
from app.workflow import engine
from app.workflow.definitions import DONE, OUTCOME_LABELS, RECORD

Build = Callable[[StepRecord], Any]
Apply = Callable[[StepRecord, Staff, Any], None]


@dataclass(frozen=True)
class StepScreen:
    """How a step is worked on: its form, what submitting it does, and the labels of its buttons."""

    build: Build | None = None
    apply: Apply | None = None
    submit_label: str = _l("Save and complete the step")
    close_label: str = _l("Finished: close")
    elsewhere: str | None = None  # where the step is acted on, when not on the task screen
    elsewhere_endpoint: str | None = None  # a link to that place
    elsewhere_link: Callable[[StepRecord], str] | None = None  # or a link that depends on the record
    preview: Callable[[StepRecord], str] | None = None  # where the form posts for a preview (PDF)


SCREENS: dict[str, StepScreen] = {}


def register(name: str, screen: StepScreen) -> None:
    """Declare the screen of steps whose `form` is `name`."""
    if name in SCREENS:
        raise ValueError(f"step screen {name!r} registered twice")
    SCREENS[name] = screen


def screen_of(record: StepRecord) -> StepScreen:
    """The screen of a record's step."""
    return SCREENS[engine.step_of(record).form]


def build_form(record: StepRecord) -> Any:
    """The step's form for this record, or None for a step acted on elsewhere."""
    screen = screen_of(record)
    return screen.build(record) if screen.build else None


def _note_apply(record: StepRecord, user: Staff, form: NoteForm) -> None:
    data = {}
    if getattr(form, "checked_upload", None):
        mime, content = form.checked_upload
        stored = store(mime, content, form.attachment.data.filename, user.id)
        db.session.flush()  # the file's id exists only once its row is written
        data["file_id"] = stored.id
    engine.complete(record, user, outcome=DONE, note=form.note.data, data=data)


def _decide_build(record: StepRecord) -> DecideForm:
    form = DecideForm()
    form.outcome.choices = [(o, OUTCOME_LABELS[o]) for o in engine.step_of(record).outcomes]
    return form


def decide_apply(record: StepRecord, user: Staff, form: Any) -> None:
    """Complete the step with the chosen outcome and its reasons."""
    engine.complete(record, user, outcome=form.outcome.data, note=form.note.data)


def record_entry(data: dict) -> str:
    """One accompaniment entry as the history shows it: "Penyidikan — Polres Magelang, 28 November 2026"."""
    stage = LEGAL_STAGES.get(data.get("stage", ""), data.get("stage", ""))
    try:
        day = fmt_date(date.fromisoformat(data.get("held_on", "")))
    except ValueError:
        day = ""
    return f"{stage} — {data.get('place', '')}, {day}".strip(" ,—")


def _record_apply(record: StepRecord, user: Staff, form: RecordForm) -> None:
    data = {"stage": form.stage.data, "held_on": form.held_on.data.isoformat(), "place": form.place.data}
    engine.complete(record, user, outcome=RECORD, note=form.note.data, data=data)


register("note", StepScreen(build=lambda _record: NoteForm(), apply=_note_apply))
register("decide", StepScreen(build=_decide_build, apply=decide_apply))
register(
    "record",
    StepScreen(
        build=lambda _record: RecordForm(),
        apply=_record_apply,
        submit_label=_l("Add record"),
        close_label=_l("Accompaniment finished: close"),
    ),
)
register("public", StepScreen(elsewhere=_l("Waiting for the applicant's correction on the public portal.")))


@dataclass(frozen=True)
class Panel:
    """Rows a service adds to the task screen (its request, letter, documents), from one template."""

    template: str
    load: Callable[[StepRecord], dict[str, Any]]


PANELS: dict[str, list[Panel]] = {}


def register_panel(services: tuple[str, ...], template: str, load: Callable[[StepRecord], dict]) -> None:
    """Show `template` (rows of the task screen's summary table) on the steps of these services."""
    for code in services:
        PANELS.setdefault(code, []).append(Panel(template, load))


def panels_of(record: StepRecord) -> tuple[list[str], dict[str, Any]]:
    """The panel templates of a record's service and the context they need."""
    templates, context = [], {}
    for panel in PANELS.get(record.instance.service, ()):
        loaded = panel.load(record)
        if loaded is not None:
            templates.append(panel.template)
            context.update(loaded)
    return templates, context
