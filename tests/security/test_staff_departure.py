"""Staff who leave: deactivated, never deleted, once records name them; their clients and open work
handed to other PKs first, in one transaction, on the audit trail, each new PK told (issue 17, 7)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import appbuilder, db
from app.models.audit import AuditLog
from app.models.clients import ACTIVE, Client
from app.models.guidance import GuidanceLog
from app.models.notifications import APP, HANDOVER, Notification
from app.models.staff import Staff
from app.models.workflow import ServiceInstance, StepRecord, instance_member
from app.security import accounts
from app.timeutil import today_wib
from app.workflow import correspondence, departures, engine, moves, outreach, travel_permits
from tests.conftest import DEMO_PASSWORD, indonesian
from tests.scope_records import PNG_1PX

_serial = itertools.count(1)


def _pk(section: str = "BKA", office_id: int = 1) -> Staff:
    """A new PK account of the office and section (committed)."""
    n = next(_serial)
    sm = appbuilder.sm
    user = sm.add_user(
        f"pk.pergi{n}", "Uji", f"Pergi {n}", f"pergi{n}@example.go.id", sm.find_role("PK"), DEMO_PASSWORD
    )
    user.section, user.office_id = section, office_id
    db.session.commit()
    return user


def _client(officer: Staff, tag: str, category: str = "anak") -> Client:
    client = Client(
        register_number=f"{officer.section}-{tag}/2026", name=f"Klien {tag}", sex="L", address="Jl. Uji",
        birth_date=date(2012, 1, 1) if category == "anak" else date(1980, 1, 1), category=category,
        legal_basis="DIVERSI", officer=officer, office_id=officer.office_id, status=ACTIVE,
        supervision_start=today_wib() - timedelta(days=30), supervision_end=today_wib() + timedelta(days=300),
    )  # fmt: skip
    db.session.add(client)
    db.session.flush()
    return client


def _permit(client: Client) -> ServiceInstance:
    """A travel permit waiting at its PK's check (an open step assigned to the client's PK)."""
    trip = {f: "x" for f in travel_permits.FIELDS} | {
        "destination_city": "Kota Yogyakarta", "depart_on": today_wib() + timedelta(days=20),
        "return_on": today_wib() + timedelta(days=22), "applicant_relation": "keluarga",
    }  # fmt: skip
    return travel_permits.submit(client, trip, ("image/png", PNG_1PX, "ttd.png")).instance


def _team(leader: Staff, other: Staff) -> ServiceInstance:
    """A Bambang Solah request whose team `leader` leads."""
    users = {u.username: u for u in db.session.scalars(select(Staff).where(Staff.office_id == 1))}
    request = {"institution": "SMP Uji Pergi", "institution_kind": "SEKOLAH", "contact_name": "x",
               "contact_phone": "0293", "requested_on": today_wib() + timedelta(days=10), "place": "x",
               "audience": "x", "topic": "x"}  # fmt: skip
    sambang = outreach.submit(request, ("image/png", PNG_1PX, "surat.png"))
    db.session.flush()
    correspondence.dispose(sambang.instance.steps[-1], users["kepala"], to=users["kasubsi.bka"],
                           instructions=[], note="ok", urgency="biasa", deadline=None)  # fmt: skip
    db.session.flush()
    outreach.appoint(sambang.instance.steps[-1], users["kasubsi.bka"], [leader, other], None, leader=leader)
    return sambang.instance


@pytest.fixture()
def leaving(app):
    """A BKA PK with two children, one with a permit waiting, leading a Bambang Solah team; two PKs
    of the section to take over. Returns their ids."""
    with app.app_context():
        departing, first, second = _pk(), _pk(), _pk()
        a, b = _client(departing, f"A{departing.id}"), _client(departing, f"B{departing.id}")
        permit = _permit(a)
        team = _team(departing, first)
        db.session.commit()
        return {
            "departing": departing.id, "first": first.id, "second": second.id, "a": a.id, "b": b.id,
            "permit": permit.id, "team": team.id,
        }  # fmt: skip


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_delete_refused_while_records_name_the_account(app, login_as, leaving):
    admin = login_as("Admin")
    response = admin.post_form(
        f"/users/delete/{leaving['departing']}", {}, form_url="/users/list/", follow_redirects=True
    )
    page = response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Staff, leaving["departing"]) is not None
        name = db.session.get(Staff, leaving["departing"]).full_name
    assert (
        indonesian(
            "%(name)s cannot be deleted: records of the office name this account. Deactivate it instead "
            "(untick Active); its records keep the name.",
            name=name,
        )
        in page
    )


def test_delete_refused_for_a_record_of_any_table(app, login_as):
    """One guidance log the account wrote is enough, whatever the table: the schema is read."""
    with app.app_context():
        author, officer = _pk(), _pk()
        log = GuidanceLog(
            client=_client(officer, f"G{author.id}"), officer_id=author.id,
            held_on=today_wib(), kind="kepribadian", place="kantor", notes="x",
        )  # fmt: skip
        db.session.add(log)
        db.session.commit()
        assert accounts.has_records(author.id)
        author_id = author.id
    login_as("Admin").post_form(f"/users/delete/{author_id}", {}, form_url="/users/list/")
    with app.app_context():
        assert db.session.get(Staff, author_id) is not None


def test_an_account_without_records_may_be_deleted(app, login_as):
    with app.app_context():
        fresh = _pk()
        notice = Notification(
            staff_id=fresh.id, channel=APP, kind=HANDOVER, subject="x", body="x", office_id=1
        )
        db.session.add(notice)  # the account's own notices go with it
        db.session.commit()
        fresh_id = fresh.id
        assert not accounts.has_records(fresh_id)
    login_as("Admin").post_form(f"/users/delete/{fresh_id}", {}, form_url="/users/list/")
    with app.app_context():
        assert db.session.get(Staff, fresh_id) is None


def test_no_other_route_deletes_accounts(login_as, leaving):
    admin = login_as("Admin")
    token = admin.token("/users/list/")
    response = admin.client.post(
        "/users/action_post",
        data={"action": "muldelete", "rowid": [leaving["departing"]], "csrf_token": token},
    )
    assert response.status_code == 400


def _edit_form(staff: Staff) -> dict:
    return {
        "first_name": staff.first_name, "last_name": staff.last_name, "username": staff.username,
        "email": staff.email, "roles": [str(r.id) for r in staff.roles], "section": staff.section or "",
        "nip": "", "position": "",
    }  # fmt: skip


def test_deactivation_refused_while_work_is_held(app, login_as, leaving):
    with app.app_context():
        form = _edit_form(db.session.get(Staff, leaving["departing"]))  # "active" left out: unticked
    admin = login_as("Admin")
    url = f"/users/edit/{leaving['departing']}"
    page = admin.post_form(url, form, follow_redirects=True).get_data(as_text=True)
    assert "masih memegang" in page
    response = admin.post_form(
        f"/staffhandover/{leaving['departing']}/deactivate",
        {},
        form_url=f"/staffhandover/{leaving['departing']}",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Staff, leaving["departing"]).active is True


def test_admin_sees_counts_not_names(app, login_as, leaving):
    page = login_as("Admin").get(f"/staffhandover/{leaving['departing']}").get_data(as_text=True)
    assert "BKA: 2" in page
    assert f"Klien A{leaving['departing']}" not in page
    assert 'name="client-' not in page


def test_bulk_reassignment_moves_clients_steps_and_team_then_deactivation(app, login_as, leaving):
    ids = leaving
    kasubsi = login_as("Kasubsi")
    page = kasubsi.get(f"/staffhandover/{ids['departing']}").get_data(as_text=True)
    assert f"Klien A{ids['departing']}" in page and 'id="candidates"' in page
    response = kasubsi.post_form(
        f"/staffhandover/{ids['departing']}/reassign",
        {f"client-{ids['a']}": str(ids["first"]), "all_to": str(ids["second"])},
        form_url=f"/staffhandover/{ids['departing']}",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Client, ids["a"]).officer_id == ids["first"]
        assert db.session.get(Client, ids["b"]).officer_id == ids["second"]
        permit = db.session.get(ServiceInstance, ids["permit"])
        assert permit.officer_id == ids["first"]
        assert {s.assignee_id for s in permit.steps if s.finished_at is None} == {ids["first"]}
        team = db.session.get(ServiceInstance, ids["team"])
        assert team.officer_id == ids["second"]
        assert {m.id for m in team.members} == {ids["first"], ids["second"]}
        assert (
            _count(StepRecord, StepRecord.assignee_id == ids["departing"], StepRecord.finished_at.is_(None))
            == 0
        )
        assert (
            _count(AuditLog, AuditLog.action == "handover", AuditLog.record_id == str(ids["departing"])) == 1
        )
        assert _count(
            AuditLog,
            AuditLog.table_name == "client",
            AuditLog.record_id == str(ids["b"]),
            AuditLog.action == "update",
        )
        for target in (ids["first"], ids["second"]):
            bell = (Notification.kind == HANDOVER, Notification.channel == APP)
            assert _count(Notification, Notification.staff_id == target, *bell) == 1
        assert departures.summary(db.session.get(Staff, ids["departing"])).empty
    admin = login_as("Admin")
    admin.post_form(
        f"/staffhandover/{ids['departing']}/deactivate", {}, form_url=f"/staffhandover/{ids['departing']}"
    )
    with app.app_context():
        assert db.session.get(Staff, ids["departing"]).active is False


def test_a_failure_midway_saves_nothing(app, login_as, leaving, monkeypatch):
    ids = leaving
    real, calls = moves.hand_over, []

    def failing(client_ids: list[int], officer_id: int | None) -> None:
        calls.append(client_ids)
        if len(calls) == 2:
            raise engine.MoveRefused("gagal di tengah")
        real(client_ids, officer_id)

    monkeypatch.setattr(moves, "hand_over", failing)
    with app.app_context():
        last = db.session.scalar(select(func.max(AuditLog.id)))
    kasubsi = login_as("Kasubsi")
    kasubsi.post_form(
        f"/staffhandover/{ids['departing']}/reassign",
        {"all_to": str(ids["first"])},
        form_url=f"/staffhandover/{ids['departing']}",
    )
    assert len(calls) == 2
    with app.app_context():
        assert {db.session.get(Client, i).officer_id for i in (ids["a"], ids["b"])} == {ids["departing"]}
        assert db.session.get(ServiceInstance, ids["permit"]).officer_id == ids["departing"]
        assert db.session.get(ServiceInstance, ids["team"]).officer_id == ids["departing"]
        assert _count(Notification, Notification.staff_id == ids["first"], Notification.kind == HANDOVER) == 0
        # Sign-in rows only: nothing of the handover reached the trail.
        assert _count(AuditLog, AuditLog.id > last, AuditLog.table_name != "ab_user") == 0
        assert (
            _count(AuditLog, AuditLog.action == "handover", AuditLog.record_id == str(ids["departing"])) == 0
        )


def test_a_pk_of_another_section_is_refused(app, login_as, leaving):
    with app.app_context():
        bkd = _pk("BKD").id
    kepala = login_as("Kepala")
    kepala.post_form(
        f"/staffhandover/{leaving['departing']}/reassign",
        {f"client-{leaving['a']}": str(bkd)},
        form_url=f"/staffhandover/{leaving['departing']}",
    )
    with app.app_context():
        assert db.session.get(Client, leaving["a"]).officer_id == leaving["departing"]


def test_spread_gives_each_to_the_lightest(app, leaving):
    with app.app_context():
        departing = db.session.get(Staff, leaving["departing"])
        clients, _services = departures.spread(departing, [leaving["a"], leaving["b"]], [])
        loads = {s.id: n for s, n, _t in departures.candidates("BKA", departing)}
        assert set(clients) == {leaving["a"], leaving["b"]}
        assert all(loads[target] <= min(loads.values()) + 1 for target in clients.values())


def test_only_the_section_and_office_reach_the_page(app, login_as, leaving):
    url = f"/staffhandover/{leaving['departing']}"
    assert login_as("kasubsi.bkd").get(url).status_code == 404
    assert login_as("PK").get(url).status_code in (302, 403)
    with app.app_context():
        elsewhere = _pk(office_id=2).id
    assert login_as("Kepala").get(f"/staffhandover/{elsewhere}").status_code == 404


def test_the_team_swap_keeps_one_membership(app, leaving):
    """The first PK, already on the team, is not added twice."""
    with app.app_context():
        departing = db.session.get(Staff, leaving["departing"])
        departures.reassign(departing, departing, {}, {leaving["team"]: leaving["first"]})
        rows = _count(instance_member, instance_member.c.instance_id == leaving["team"])
        db.session.rollback()
    assert rows == 1


@pytest.mark.parametrize("role", ["Kasubsi", "Admin"])
def test_the_handover_page_speaks_indonesian(login_as, leaving, role):
    from tests.test_i18n import CODE_ON_SCREEN, _english_phrases, visible_text

    page = login_as(role).get(f"/staffhandover/{leaving['departing']}").get_data(as_text=True)
    if role == "Kasubsi":  # each row offers the PKs of its section
        assert f'<option value="{leaving["first"]}">' in page
    text = visible_text(page)
    found = [p.pattern for p in _english_phrases() if p.search(text)]
    found += [m for p in CODE_ON_SCREEN.values() for m in p.findall(text)]
    assert found == []
