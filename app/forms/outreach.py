"""Forms of Bambang Solah: the request (portal, or fields of TU's letter), the activity report."""

from __future__ import annotations

from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.forms import DynamicForm
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField
from wtforms.validators import InputRequired, NumberRange

from app.forms.clients import PHONE
from app.forms.fields import REQUIRED, area, checked_upload, choice, consent, day, spam_trap, text, upload
from app.forms.letters import AssignForm
from app.forms.ranges import HELD, PLANNED
from app.models.outreach import INSTITUTION_KINDS, MIN_TEAM
from app.uploads import UploadError, check_upload

IMAGES = ("image/jpeg", "image/png")
MAX_PHOTOS = 5


class OutreachRequestForm(FlaskForm):
    """A village or school asks for a Bambang Solah outreach on the public portal."""

    institution = text(_l("Name of the village or school"), 200, True)
    institution_kind = choice(_l("Village or school"), INSTITUTION_KINDS)
    contact_name = text(_l("Contact person"), 120, True)
    contact_phone = text(_l("Contact person's phone / WhatsApp"), 20, True, PHONE)
    requested_on = day(_l("Requested date of the outreach"), True, window=PLANNED)
    place = area(_l("Place (address of the venue)"), 300, True)
    audience = text(_l("Audience (who, and how many people)"), 300, True)
    topic = text(_l("Topic asked for"), 300, True)
    request_letter = upload(_l("Signed request letter"))
    notify_consent = consent()
    website = spam_trap()

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, the date's window, and the request letter file."""
        ok = super().validate(extra_validators)
        if not (self.request_letter.data and self.request_letter.data.filename):
            self.request_letter.errors = [
                *self.request_letter.errors,
                _l("Please attach the request letter."),
            ]
            return False
        return checked_upload(self, self.request_letter) and ok


OUTREACH_FIELDS = [
    "institution", "institution_kind", "contact_name", "contact_phone", "requested_on", "place",
    "audience", "topic", "request_letter", "notify_consent",
]  # fmt: skip


class ReportForm(DynamicForm):
    """The team's activity report: date, participants, summary and photos."""

    held_on = day(_l("Date the activity was held"), True, window=HELD)
    participants_count = IntegerField(
        _l("Number of participants"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=100000, message=_l("Between 1 and 100000.")),
        ],
        render_kw={"class": "form-control"},
    )
    participants = area(_l("Participants (who took part)"), 500, True)
    summary = area(_l("Summary of the activity"), 5000, True)
    photos = upload(_l("Photos of the activity (one to five)"), multiple=True, pictures_only=True)

    requested_on = None  # set by the screen: the date the outreach was asked for

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules, the date between the requested day and today, one to five pictures."""
        ok = super().validate(extra_validators)
        held = self.held_on.data
        if held and self.requested_on and held < self.requested_on:
            self.held_on.errors = [
                *self.held_on.errors,
                _l("The activity cannot precede the requested date."),
            ]
            ok = False
        return self._check_photos() and ok

    def _check_photos(self) -> bool:
        files = [f for f in (self.photos.data or []) if f and f.filename]
        self.checked_photos: list[tuple[str, bytes, str]] = []
        if not files:
            self.photos.errors = [*self.photos.errors, _l("Attach at least one photo of the activity.")]
            return False
        if len(files) > MAX_PHOTOS:
            self.photos.errors = [*self.photos.errors, _l("At most five photos.")]
            return False
        for storage in files:
            try:
                mime, content = check_upload(storage)
            except UploadError as exc:
                self.photos.errors = [*self.photos.errors, f"{storage.filename}: {exc}"]
                return False
            if mime not in IMAGES:
                self.photos.errors = [*self.photos.errors, _l("Photos must be JPG or PNG pictures.")]
                return False
            self.checked_photos.append((mime, content, storage.filename))
        return True


class TeamForm(AssignForm):
    """The Kasubsi's Bambang Solah team: at least two PK of the section, and which of them leads it."""

    leader = SelectField(
        _l("Team leader (one of the PK of the team)"),
        coerce=int,
        validators=[InputRequired(message=REQUIRED)],
        widget=Select2Widget(),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """Field rules; the SOP asks for at least two officers; the leader is one of them."""
        ok = super().validate(extra_validators)
        officers = set(self.officers.data or [])
        if not self.officers.errors and len(officers) < MIN_TEAM:
            self.officers.errors = [*self.officers.errors, _l("A Bambang Solah team has at least two PK.")]
            ok = False
        elif not self.officers.errors and not self.leader.errors and self.leader.data not in officers:
            self.leader.errors = [*self.leader.errors, _l("Choose the team leader among the PK of the team.")]
            ok = False
        return ok
