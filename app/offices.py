"""Which office a request works for, and the office every new record belongs to.

A record is given its office once, when it is first flushed: the office of the record it hangs on
(its client, instance or case), else the signed-in staff member's office, else the office the public
chose on the portal, else — in an instance of a single office, and for commands — that office.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from flask import g, has_request_context
from sqlalchemy import event, func, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from app.models.offices import Office, OfficeOwned

PARENTS = ("client", "instance", "case", "session", "service")
# The office a command (demo data, an import) works for, where no one is signed in.
_working_for: ContextVar[int | None] = ContextVar("bapas_working_for", default=None)


@contextmanager
def working_for(office_id: int) -> Iterator[None]:
    """Give the records made inside the block to this office (for commands)."""
    token = _working_for.set(office_id)
    try:
        yield
    finally:
        _working_for.reset(token)


def _cached(key: str, compute: Any) -> Any:
    if not has_request_context():
        return compute()
    if key not in g:
        setattr(g, key, compute())
    return getattr(g, key)


def office_count(session: Session | None = None) -> int:
    """How many offices the instance serves (read once per request)."""
    from app.extensions import db

    count = select(func.count(Office.id))
    return _cached("_bapas_office_count", lambda: (session or db.session).scalar(count))


def single_office_id(session: Session | None = None) -> int | None:
    """The id of the one office of a single-office instance, else None."""
    from app.extensions import db

    def compute() -> int | None:
        ids = (session or db.session).scalars(select(Office.id).limit(2)).all()
        return ids[0] if len(ids) == 1 else None

    return _cached("_bapas_single_office", compute)


def current_office_id(session: Session | None = None) -> int | None:
    """The office this request works for: the staff member's, the portal's choice, or the only one."""
    if has_request_context():
        user = getattr(g, "user", None)
        if user is not None and getattr(user, "is_authenticated", False) and user.office_id:
            return user.office_id
        chosen = getattr(g, "portal_office_id", None)
        if chosen:
            return chosen
    return _working_for.get() or single_office_id(session)


def current_office() -> Office | None:
    """The office of this request (letterhead, contacts), or None for a national account."""
    from app.extensions import db

    office_id = current_office_id()
    return db.session.get(Office, office_id) if office_id else None


def several_offices() -> bool:
    """Whether offices show on screen at all (they do not in a single-office instance)."""
    return office_count() > 1


# Words in front of a place name that do not tell one place from another ("Kota Semarang",
# "Kab. Semarang"): a Bapas's work area covers the city and the regency of its name.
_PLACE_WORDS = {"kota", "kabupaten", "kab", "kotamadya", "administrasi"}


def city_key(name: str) -> str:
    """A place name reduced for comparison: lower case, no punctuation, no "Kota"/"Kabupaten"."""
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    while words and words[0] in _PLACE_WORDS:
        words.pop(0)
    return " ".join(words)


def office_in_city(city: str, session: Session | None = None) -> int | None:
    """The office of the instance in this city or regency, or None when none (or several) is."""
    from app.extensions import db

    key = city_key(city or "")
    if not key:
        return None
    rows = (session or db.session).execute(select(Office.id, Office.city)).all()
    matches = [office_id for office_id, office_city in rows if city_key(office_city) == key]
    return matches[0] if len(matches) == 1 else None


def _office_of(obj: Any, session: Session) -> int | None:
    relationships = sa_inspect(type(obj)).relationships
    for name in PARENTS:
        parent = getattr(obj, name, None)
        if parent is None and name in relationships:
            # Only the foreign key may be set yet (e.g. `client_id=`): read the parent by it.
            key = getattr(obj, f"{name}_id", None)
            parent = session.get(relationships[name].mapper.class_, key) if key else None
        office_id = getattr(parent, "office_id", None)
        if office_id:
            return office_id
    return current_office_id(session)


def _assign(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.new:
        if isinstance(obj, OfficeOwned) and obj.office_id is None:
            obj.office_id = _office_of(obj, session)
    # A step record carries its instance's office and service: Kinerja groups the open steps by the
    # step rows alone (app.reports.kinerja_direct).
    for obj in session.new:
        instance = getattr(obj, "instance", None) if type(obj).__name__ == "StepRecord" else None
        if instance is not None:
            obj.office_id = obj.office_id or instance.office_id
            obj.service = obj.service or instance.service


def install() -> None:
    """Give every new record its office at flush (idempotent)."""
    if not event.contains(Session, "before_flush", _assign):
        event.listen(Session, "before_flush", _assign)
