"""Editing the duty roster of a week: who may fill each slot, and the save of a whole week at once."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models.duty import SLOTS, DutyDay
from app.models.staff import Staff
from app.security.roles import KASUBSI, KEPALA, PK, TU
from app.workflow import duty

SLOT_LABELS = {
    "tu": _l("TU"),
    "kepala": _l("Kepala (or deputising)"),
    "kasubsi": _l("Kasubsi BKA"),
    "pk": _l("PK BKA"),
    "deputy": _l("Deputy for escalation"),
}
SECTION = "BKA"


def fits(slot: str, staff: Staff) -> bool:
    """Whether a staff member may hold a slot: TU a TU, the Kepala's slot the Kepala or a Kasubsi
    deputising, the Kasubsi and PK slots those of the BKA section, the deputy a Kepala or a Kasubsi."""
    roles = staff.role_names
    if slot == "tu":
        return TU in roles
    if slot == "kasubsi":
        return KASUBSI in roles and staff.section == SECTION
    if slot == "pk":
        return PK in roles and staff.section == SECTION
    return bool(roles & {KEPALA, KASUBSI})


def monday_of(day: date) -> date:
    """The Monday of a date's week."""
    return day - timedelta(days=day.weekday())


def candidates(office_id: int) -> dict[str, list[Staff]]:
    """The active staff of an office who may hold each slot (one query)."""
    stmt = (
        select(Staff)
        .where(Staff.office_id == office_id, Staff.active.is_(True))
        .options(selectinload(Staff.roles))
        .order_by(Staff.first_name, Staff.last_name)
    )
    staff = list(db.session.scalars(stmt))
    return {slot: [s for s in staff if fits(slot, s)] for slot in SLOTS}


def save_week(office_id: int, monday: date, chosen: dict[tuple[int, str], str]) -> list[str]:
    """Save the seven days of a week from the grid's values (staff ids as text, "" for no one);
    returns the messages of what was refused, in which case nothing is written."""
    allowed = {slot: {s.id: s for s in people} for slot, people in candidates(office_id).items()}
    errors: list[str] = []
    values: dict[date, dict[str, int | None]] = {}
    for offset in range(7):
        day = monday + timedelta(days=offset)
        row: dict[str, int | None] = {}
        for slot in SLOTS:
            raw = (chosen.get((offset, slot)) or "").strip()
            if not raw:
                row[f"{slot}_id"] = None
                continue
            staff_id = int(raw) if raw.isdigit() else None
            if staff_id not in allowed[slot]:
                errors.append(str(_l("%(slot)s on %(day)s: this person cannot hold the slot.",
                                     slot=SLOT_LABELS[slot], day=day.strftime("%d-%m-%Y"))))  # fmt: skip
                continue
            row[f"{slot}_id"] = staff_id
        values[day] = row
    if errors:
        return errors
    existing = duty.week(office_id, monday)
    for day, row in values.items():
        found = existing.get(day)
        if found is None:
            if not any(row.values()):
                continue
            found = DutyDay(office_id=office_id, day=day)
            db.session.add(found)
        for key, value in row.items():
            setattr(found, key, value)
    return []
