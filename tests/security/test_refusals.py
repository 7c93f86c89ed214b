"""Requests FAB would answer with a 500: a user without a valid role, an unknown list action."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models.staff import Staff
from tests.conftest import indonesian

PASSWORD = "Sangat-Rahasia-2026"


def _user(username: str, **changes: object) -> dict:
    return {
        "first_name": "Budi",
        "last_name": "Santoso",
        "username": username,
        "email": f"{username}@bapas.example.id",
        "active": "y",
        "password": PASSWORD,
        "conf_password": PASSWORD,
        **changes,
    }


def _staff_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Staff))


@pytest.mark.parametrize("roles", [None, "", "abc", "999999", "9" * 30, "-1"])
def test_user_without_a_valid_role_is_refused_with_a_form_message(app, login_as, roles):
    admin = login_as("admin")
    before = _staff_count(app)
    data = _user("budi.norole") if roles is None else _user("budi.norole", roles=roles)
    response = admin.post_form("/users/add", data)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert indonesian("Choose at least one valid role.") in page
    assert _staff_count(app) == before


def test_user_with_a_valid_role_is_still_added(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        role = app.appbuilder.sm.find_role("TU").id
        office = app.appbuilder.sm.find_user(username="tu").office_id
    before = _staff_count(app)
    response = admin.post_form("/users/add", _user("budi.tu", roles=str(role), office=str(office)))
    assert response.status_code == 302
    assert _staff_count(app) == before + 1


@pytest.mark.parametrize("action", ["nosuchaction", "", "\x00"])
def test_unknown_list_action_gives_the_indonesian_400_page(login_as, action):
    session = login_as("pengawas")
    token = session.token("/clientview/list/")
    response = session.client.post(
        "/clientview/action_post", data={"action": action, "rowid": ["1"], "csrf_token": token}
    )
    assert response.status_code == 400
    assert indonesian("Request refused") in response.get_data(as_text=True)


def test_list_action_without_its_name_gives_the_indonesian_400_page(login_as):
    session = login_as("pengawas")
    token = session.token("/clientview/list/")
    response = session.client.post("/clientview/action_post", data={"rowid": ["1"], "csrf_token": token})
    assert response.status_code == 400


def test_editing_a_user_to_no_role_is_refused_with_a_form_message(app, login_as):
    admin = login_as("admin")
    with app.app_context():
        user = app.appbuilder.sm.find_user(username="tu")
        data = {"first_name": user.first_name, "last_name": user.last_name, "username": user.username,
                "email": user.email, "active": "y", "roles": ""}  # fmt: skip
        pk = user.id
    response = admin.post_form(f"/users/edit/{pk}", data)
    assert response.status_code == 200
    assert indonesian("Choose at least one valid role.") in response.get_data(as_text=True)
    with app.app_context():
        assert [r.name for r in app.appbuilder.sm.find_user(username="tu").roles] == ["TU"]


@pytest.mark.parametrize("rowid", ["abc", "9" * 30, "999999", "-1"])
def test_list_action_on_records_that_do_not_exist_is_refused(login_as, rowid):
    session = login_as("pengawas")
    token = session.token("/clientview/list/")
    response = session.client.post(
        "/clientview/action_post", data={"action": "export_csv", "rowid": [rowid], "csrf_token": token}
    )
    assert response.status_code in (400, 404)


@pytest.mark.parametrize(
    ("name", "pk"), [("resetpasswords", "999999"), ("nosuchaction", "1"), ("copyrole", "x")]
)
def test_single_record_action_that_cannot_run_is_refused(app, login_as, name, pk):
    admin = login_as("admin")
    base = "/users" if name != "copyrole" else "/roles"
    response = admin.client.post(
        f"{base}/action/{name}/{pk}", data={"csrf_token": admin.token("/users/list/")}
    )
    assert response.status_code in (400, 404)


@pytest.fixture(scope="module")
def tpp_session_id(app) -> int:
    """A Sidang TPP of Kasubsi BKD, as tests.steps prepares one."""
    from tests.conftest import Session, sign_in

    client = app.test_client()
    sign_in(client, "kasubsi.bkd")
    with app.app_context():
        ids = {u.username: u.id for u in db.session.scalars(select(Staff))}
    form = {"held_on": "2026-11-24", "place": "Ruang Sidang TPP", "chair": ids["kepala"],
            "secretary": ids["kasubsi.bkd"], "members": [ids["pk2"], ids["kasubsi.bkd"]]}  # fmt: skip
    assert Session(client).post_form("/tppsessionview/add", form).status_code == 302
    with app.app_context():
        from app.models.tpp import TppSession

        return db.session.scalar(select(func.max(TppSession.id)))


@pytest.mark.parametrize("record", ["abc", "9" * 30, "", "²"])
def test_tpp_agenda_with_a_matter_that_is_not_an_id_says_so(login_as, tpp_session_id, record):
    secretary = login_as("kasubsi.bkd")
    page = f"/tppsessionview/agenda/{tpp_session_id}"
    response = secretary.post_form(f"{page}/add", {"record": record}, form_url=page, follow_redirects=True)
    assert response.status_code == 200
    assert indonesian("This matter is already on an agenda or decided.") in response.get_data(as_text=True)


def test_a_task_whose_permit_is_missing_opens_without_the_permit_panel(app, login_as):
    """Found by the fuzz: the reports' test data starts travel-permit instances without a permit."""
    from app.models.workflow import ServiceInstance, StepRecord
    from app.timeutil import utcnow

    with app.app_context():
        kepala = app.appbuilder.sm.find_user(username="kepala")
        instance = ServiceInstance(service="IZIN", subject="Tanpa permohonan", office_id=kepala.office_id,
                                   current_step="tpp", status="open", started_at=utcnow())  # fmt: skip
        record = StepRecord(instance=instance, step="tpp", actor_role="Kepala", ready_at=utcnow())
        db.session.add_all([instance, record])
        db.session.commit()
        record_id = record.id
    response = login_as("kepala").get(f"/tasks/{record_id}")
    assert response.status_code < 500
