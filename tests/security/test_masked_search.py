"""A reader who sees a child masked cannot confirm the child's name or NIK by searching for it: a
search on an identity column (or on a service's subject, which carries the name) finds adults only
for that reader, in the rows and in the count alike."""

from __future__ import annotations

import re

import pytest

from tests.conftest import indonesian

CHILD = ("BKA-001/2026", "Rizky", "3308011203100001")
ADULT = ("BKD-001/2026", "Joko", "3308010101800004")
# FAB's filters of a name by index: 0 starts with, 2 contains; a NIK's (app.views.search): 0 starts
# with, 1 equal to.
CLIENT_SEARCHES = ("/clientview/list/?_flt_0_name={name}", "/clientview/list/?_flt_2_name={name}",
                   "/clientview/list/?_flt_1_nik={nik}", "/clientview/list/?_flt_0_nik={nik}")  # fmt: skip


def _finds(session, url: str, register: str) -> bool:
    response = session.get(url)
    assert response.status_code == 200, url
    return register in response.get_data(as_text=True)


@pytest.mark.parametrize("reader", ["pengawas", "kanwil.jateng"])
@pytest.mark.parametrize("url", CLIENT_SEARCHES)
def test_a_masked_reader_cannot_find_a_child_by_name_or_nik(login_as, reader, url):
    session = login_as(reader)
    register, name, nik = CHILD
    assert not _finds(session, url.format(name=name, nik=nik), register)
    register, name, nik = ADULT  # adults stay searchable: their identity is not masked
    assert _finds(session, url.format(name=name, nik=nik), register)


@pytest.mark.parametrize("url", CLIENT_SEARCHES)
def test_readers_of_the_child_still_find_it(login_as, url):
    register, name, nik = CHILD
    for reader in ("kepala", "pk1"):
        assert _finds(login_as(reader), url.format(name=name, nik=nik), register)


def test_the_count_gives_nothing_away(login_as):
    """The beginning of the child's NIK (its region and birth date): the masked reader's count
    leaves every child out, so it reads as for a NIK nobody has."""
    session = login_as("pengawas")
    counts = []
    for prefix in (CHILD[2][:12], "000000000000"):
        page = session.get(f"/clientview/list/?_flt_0_nik={prefix}").get_data(as_text=True)
        assert CHILD[0] not in page
        counts.append(re.search(rf"{indonesian('Record Count')}:</strong>\s*([^<\s]+)", page).group(1))
    assert counts[0] == counts[1] == "0"


def test_a_masked_reader_cannot_find_a_child_service_by_its_subject(login_as, app):
    """A service's subject names its client ("<name>: <destination>"); shown as initials, and not
    searchable by the name either."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models.clients import Client
    from app.models.workflow import ServiceInstance
    from app.workflow import engine

    with app.app_context():
        child = db.session.scalar(select(Client).where(Client.register_number == CHILD[0]))
        instance = engine.start("IZIN", f"{child.name}: Kota Uji Cari", officer_id=child.officer_id,
                                section="BKA", client_id=child.id)  # fmt: skip
        db.session.commit()
        assert db.session.get(ServiceInstance, instance.id).client_id == child.id
    url = "/serviceinstanceview/list/?_flt_2_subject=Rizky+Aditya"
    assert "Kota Uji Cari" in login_as("kepala").get(url).get_data(as_text=True)
    assert "Kota Uji Cari" not in login_as("pengawas").get(url).get_data(as_text=True)
