"""Every collection of the API under the screens' scope: for each, a token of every role of
office 2 (Semarang) and of another PK or section in office 1 reaches none of the records office 1's
owner reaches alone, by list or by id. A collection added tomorrow is covered the day it exists."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.api.resources import RESOURCES
from app.extensions import db
from app.models.staff import Staff
from app.security import scope

# (owner, outsider): the outsider must reach no record the owner reaches but the outsider does not
# by the screens' rules (scope.clause), and must see every record it does reach by them.
PAIRS = [("pk1", "pk2"), ("kasubsi.bka", "kasubsi.bkd"), ("kepala", "kepala.smg"), ("kepala", "pk.smg")]


def _reached(username: str, model: type) -> set[int]:
    user = db.session.scalar(select(Staff).where(Staff.username == username))
    return set(db.session.scalars(select(model.id).where(scope.clause(model, user))))


def _listed(api, token: str, name: str) -> set[int]:
    ids, cursor = set(), None
    while True:
        query = {"limit": 200, "fields": "id", **({"cursor": cursor} if cursor else {})}
        response = api(token, name, query_string=query)
        if response.status_code == 403:
            return set()
        body = response.get_json()
        ids |= {row["id"] for row in body["data"]}
        cursor = body["next_cursor"]
        if cursor is None:
            return ids


@pytest.mark.parametrize("name", RESOURCES)
@pytest.mark.parametrize(("owner", "outsider"), PAIRS)
def test_a_token_reaches_exactly_its_screens_scope(app, api, issue, name, owner, outsider):
    model = RESOURCES[name].model
    token = issue(outsider)
    with app.app_context():
        own, theirs = _reached(owner, model), _reached(outsider, model)
    listed = _listed(api, token, name)
    forbidden = own - theirs
    if (owner, outsider) == ("kepala", "kepala.smg"):
        assert forbidden, f"office 1 has no {name} to try"  # the test is never vacuous
    assert not listed & forbidden
    assert listed == theirs or api(token, name).status_code == 403
    for record_id in sorted(forbidden)[:3]:
        assert api(token, f"{name}/{record_id}").status_code in (403, 404)
