"""A child's identity masked for readers who may not see it (UU 11/2012): the one masking function
every screen, export, PDF and the audit trail use. Who may see it is decided in
`app.security.scope.sees_child_identity`; which rows a reader reaches, by row scope."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.models.clients import CHILD, IDENTITY_FIELDS, Client
from app.models.staff import Staff
from app.security import scope


def initials(name: str) -> str:
    """Initials of a name, e.g. "Rizky Aditya" -> "R. A."."""
    return " ".join(f"{part[0]}." for part in name.split() if part)


def hidden() -> str:
    """What a reader sees instead of a masked value."""
    return _("[masked]")


def _reader(user: Staff | None) -> Staff | None:
    return user if user is not None else scope.current_staff()


def is_masked(client: Client, user: Staff | None = None) -> bool:
    """Whether this client's identity is masked for the reader (the signed-in user by default).
    Outside a signed-in request (commands, the system's own letters) nothing is masked."""
    reader = _reader(user)
    return reader is not None and client.category == CHILD and not scope.sees_child_identity(reader)


def masked_value(client: Client, column: str, value: Any, user: Staff | None = None) -> Any:
    """A client's column as the reader may see it: initials for the name, a mark for the rest of
    the identity (the year only of the birth date)."""
    if column not in IDENTITY_FIELDS or not value or not is_masked(client, user):
        return value
    if column == "name":
        return initials(value)
    if column == "birth_date":
        return str(value.year)
    return hidden()


def label(client: Client, user: Staff | None = None) -> str:
    """How a client is named on screen: register number and name, or initials when masked."""
    return f"{client.register_number} — {masked_value(client, 'name', client.name, user)}"


def subject(instance: Any, user: Staff | None = None) -> str:
    """A service instance's subject as the reader may see it: the name of its child client, which
    subjects such as "<name>: <destination>" carry, as initials (load `instance.client` with it)."""
    reader = _reader(user)
    if reader is None or not instance.client_id or scope.sees_child_identity(reader):
        return instance.subject  # the client is not even loaded for those who see identities
    client = instance.client
    if client.category != CHILD or not client.name:
        return instance.subject
    return instance.subject.replace(client.name, initials(client.name))


def visiting_label(client: Client) -> str:
    """A client of another office seen through its travel permit: a child by initials only, for
    every reader (the visited office does not work the child's case)."""
    name = initials(client.name) if client.category == CHILD else client.name
    return f"{client.register_number} — {name}"


def identity(client: Client, user: Staff | None = None) -> tuple[str, str, str]:
    """Name, NIK and date of birth of a client for an export, masked as on screen."""
    born = masked_value(client, "birth_date", client.birth_date, user)
    nik = masked_value(client, "nik", client.nik, user)
    return (
        masked_value(client, "name", client.name, user),
        "" if nik == hidden() else nik or "",
        born.isoformat() if hasattr(born, "isoformat") else born or "",
    )


def audit_changes(table: str, record_id: str, changes: dict, user: Staff | None = None) -> dict:
    """An audit row's changes as the reader may see them: a client's identity is masked for a
    reader who cannot reach that client (Admin) or may not see a child's identity (Pengawas)."""
    if table != Client.__tablename__ or not set(changes) & set(IDENTITY_FIELDS):
        return changes
    reader = _reader(user)
    if reader is None or not _audit_masked(record_id, changes, reader):
        return changes
    return {
        field: [v if v in (None, "") else hidden() for v in values] if field in IDENTITY_FIELDS else values
        for field, values in changes.items()
    }


def _audit_masked(record_id: str, changes: dict, reader: Staff) -> bool:
    from app.extensions import db

    client = db.session.get(Client, int(record_id)) if record_id.isdigit() else None
    if client is None or client.id not in scope.reachable(Client, [client.id], reader):
        return True
    category = changes.get("category", [None, None])
    was_child = CHILD in (category if isinstance(category, list | tuple) else [category])
    return (client.category == CHILD or was_child) and not scope.sees_child_identity(reader)
