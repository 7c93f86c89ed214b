"""Fuzz, bounded: every form the app shows and every list parameter, sent text with control
characters, huge numbers, odd unicode, dates out of range, junk files, as an account allowed to use
it. No response may be a 5xx (the test app propagates exceptions, so one fails the test too).

The forms are discovered, not listed: each role's pages are crawled from its home page (menu, lists
with their add pages, the first records of each list, its tasks, taken up as the actor would), and
the public portal anonymously, so a form a role can reach is fuzzed the day it is added; every FAB
add page a role may open must be among them. Valid submissions change the data, so this module runs
last (tests/security/conftest.py) and edits only a throwaway account and role.
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask_appbuilder import ModelView
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.extensions import appbuilder, db
from tests.conftest import DEMO_PASSWORD, Session, csrf_token, sign_in
from tests.security.test_permissions import matrix_records  # noqa: F401 (one record of every kind, autouse)

STAFF = ("kepala", "kasubsi.bka", "pk1", "tu", "pengaduan", "pengawas", "admin")  # BKD's forms are BKA's
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))  # per form; the whole module stays under a minute
# (65: the bell's list and the channel settings are on every role's navbar since notifications.)
PAGES_PER_ROLE = 65
# Never followed or submitted: they end the session, delete, or change the crawling account's password;
# opening a notification only marks it read and leads to a task the crawl reaches anyway.
SKIP = re.compile(
    r"/logout|/lang/|/delete/|/action/|/resetmypassword|/resetpassword|/static/|^/api/|/notifications/open/"
)
# Downloads are fetched once by the crawl, not parsed for forms.
DOWNLOADS = re.compile(
    r"/(minutes|invitations|letter|pdf|xlsx|unduh|handover|evidence|file)\b|/performance/report"
)
ADVANCING = ("/open", "/setup")
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # no shrinking: every step is an HTTP request
    suppress_health_check=list(HealthCheck),
)

NASTY = [
    "\x00", "a\x00b", "\x01\x02\x1b[31m", "\x7f", "\u0085", "\r\n", "\t",
    "9" * 30, "-9" * 15, "0", "-1", "2147483648", "1e309", "NaN", "²", "١٢٣",
    "0001-01-01", "9999-12-31", "2026-02-30", "31/12/2026", "00:00", "99:99",
    "\u202eabc", "\ufeff", "𝓤𝓷𝓲𝓬𝓸𝓭𝓮", "ا", "😀" * 50, "<script>alert(1)</script>", "' OR 1=1 --",
    "%00", "../../etc/passwd", "x" * 20_000, " ", "",
]  # fmt: skip
TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x9F, categories=["Cc"]), min_size=1, max_size=4),
    st.integers(-(10**30), 10**30).map(str),
    st.from_regex(r"-?[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
)
FILES = st.tuples(
    st.binary(max_size=300),
    st.sampled_from(["scan.pdf", "foto.png", "foto.jpg", "x.exe", "tanpa-akhiran", "a\x00.pdf", "ü.PDF"]),
)


@dataclass
class Field:
    """A field of a rendered form: its name, kind and the values the page offers."""

    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, hidden
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    """A form as the browser would send it."""

    method: str
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The form's route with ids replaced and its fields: one form of each kind is fuzzed."""
        names = ",".join(sorted(n for n in self.fields if n != "csrf_token"))
        return f"{self.method} {route(self.action)} [{names}]"


def route(url: str) -> str:
    """The path of a URL with its ids replaced."""
    return re.sub(r"/\d+", "/<id>", urlsplit(url).path)


class FormParser(HTMLParser):
    """The forms of a page and the links on it."""

    def __init__(self, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.url, self.forms, self.links = url, [], []
        self.form: Form | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("id") not in ("filter_form", "delete_form"):  # search: the list test
            action = urljoin(self.url, a.get("action") or self.url)
            if a.get("id") == "action_form":  # FAB's script points it at action_post when it is sent
                action = re.sub(r"/list/?$", "/action_post", urlsplit(action).path)
            self.form = Form(a.get("method", "get").upper(), action)
        elif self.form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            known = self.form.fields.get(a["name"])
            if kind in ("radio", "checkbox") and known:
                known.options.append(a.get("value", "y"))
                return
            value = a.get("value", "")
            if kind == "checkbox":
                value = a.get("value", "y") if "checked" in a else ""
            self.form.fields[a["name"]] = Field(a["name"], kind, value, [a.get("value", "y")])
        elif tag == "textarea":
            self.textarea = self.form.fields[a["name"]] = Field(a["name"], "textarea")
        elif tag == "select":
            self.select = Field(a["name"], "select", multiple="multiple" in a)
            self.form.fields[a["name"]] = self.select
        if tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))
            if "selected" in a:
                self.select.value = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.form is not None:
            self.forms.append(self.form)
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def parse(url: str, html: str) -> FormParser:
    """Forms and links of a page."""
    parser = FormParser(url)
    parser.feed(html)
    return parser


def _same_site(link: str, skip: re.Pattern | None = None) -> str | None:
    path = urlsplit(link)
    if path.netloc or SKIP.search(path.path) or (skip and skip.search(path.path)):
        return None
    return link


def _others_than(throwaway: dict[str, int]) -> re.Pattern:
    """Edit and show pages of accounts and roles other than the throwaway ones."""
    bases = "|".join(re.escape(b) for b in throwaway)
    ids = "|".join(str(pk) for pk in throwaway.values())
    return re.compile(rf"^({bases})/(edit|show)/(?!({ids})$)\d+$")


def _takes_a_step_up(form: Form) -> bool:
    """A form without fields that takes a step or a BATAKO point up: the crawl sends it as the actor would."""
    path = urlsplit(form.action).path
    return form.method == "POST" and path.endswith(ADVANCING) and set(form.fields) <= {"csrf_token"}


def _read(session: Session, url: str) -> FormParser | None:
    response = session.get(url, follow_redirects=True)
    assert response.status_code < 500, (url, response.status_code)
    if response.mimetype != "text/html" or response.status_code != 200:
        return None
    url = response.request.path
    page = parse(url, response.get_data(as_text=True))
    # A step's form shows once its actor has taken it up (a BATAKO point's once it is set up and open).
    for _ in range(3):
        opening = [f for f in page.forms if _takes_a_step_up(f)]
        if not opening:
            break
        for form in opening:
            token = form.fields["csrf_token"].value
            session.client.post(urlsplit(form.action).path, data={"csrf_token": token})
        page = parse(url, session.get(url).get_data(as_text=True))
    return page


def crawl(
    session: Session, start: list[str], limit: int, per_route: int = 2, skip: re.Pattern | None = None
) -> dict[str, tuple[Form, str]]:
    """Forms on the pages reachable from `start`, one per route and set of fields:
    {key: (form, page it came from)}."""
    seen: set[str] = set()
    queue, forms, visits = list(start), {}, {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = route(url)
        if url in seen or visits.get(path, 0) >= per_route:
            continue
        seen.add(url)
        visits[path] = visits.get(path, 0) + 1
        page = _read(session, url)
        if page is None:
            continue
        for form in page.forms:
            if _same_site(form.action, skip) and form.key not in forms:
                forms[form.key] = (form, url)
        for link in page.links:
            # Links with a query string are sort, page and filter variants of a page already read.
            if (
                (link := _same_site(link, skip))
                and "?" not in link
                and link not in seen
                and not DOWNLOADS.search(link)
            ):
                queue.append(link)
    return forms


def _model_views(app) -> list[ModelView]:
    with app.app_context():
        return [v for v in appbuilder.baseviews if isinstance(v, ModelView)]


def _value(data: st.DataObject, item: Field):
    if item.kind == "file":
        chosen = data.draw(st.one_of(st.none(), FILES))
        return (io.BytesIO(chosen[0]), chosen[1]) if chosen else None
    offered = [o for o in item.options if o] if item.kind in ("select", "radio", "checkbox") else []
    plausible = st.sampled_from(offered) if offered else st.just(item.value)
    if item.kind == "checkbox":
        plausible = st.sampled_from([None, *offered])
    value = data.draw(st.one_of(plausible, plausible, TEXT), label=item.name)
    if item.multiple and value is not None:
        return data.draw(st.lists(st.one_of(plausible, TEXT), max_size=3), label=item.name)
    return value


def submit(session: Session, form: Form, token: str, data: st.DataObject):
    """Send the form once with drawn values; the CSRF token and the spam trap stay as a browser sends them."""
    values = {}
    for name, item in form.fields.items():
        if name == "csrf_token":
            values[name] = token
        elif name == "website":
            values[name] = ""
        elif (value := _value(data, item)) is not None:
            values[name] = value
    path = urlsplit(form.action)
    url = path.path + (f"?{path.query}" if path.query else "")
    if form.method == "GET":
        flat = {k: v for k, v in values.items() if isinstance(v, str | list)}
        return session.client.get(path.path, query_string=flat)
    return session.client.post(url, data=values, content_type="multipart/form-data")


def fuzz_forms(session: Session, forms: dict[str, tuple[Form, str]], who: str) -> list[str]:
    """Fuzz each form; returns the routes fuzzed ("POST /clientview/add")."""
    token = session.token("/") if who != "public" else ""
    done = []
    for key, (form, page) in sorted(forms.items()):
        if not [f for f in form.fields.values() if f.name not in ("csrf_token", "website")]:
            continue
        if who == "public":
            token = csrf_token(session.get(page).get_data(as_text=True))
        _fuzz_form(session, form, token, f"{who} {key}")
        done.append(f"{form.method} {route(form.action)}")
    return done


def _fuzz_form(session: Session, form: Form, token: str, label: str) -> None:
    @FUZZ_SETTINGS
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        response = submit(session, form, token, data)
        assert response.status_code < 500, (label, response.status_code)

    one()


def _account(username: str, role: str) -> int:
    sm = appbuilder.sm
    user = sm.find_user(username=username) or sm.add_user(
        username, "Fuzz", "Uji", f"{username}@bapas.example.id", [sm.find_role(role)], DEMO_PASSWORD
    )
    return user.id


@pytest.fixture(scope="module")
def throwaway(app) -> dict[str, int]:
    """An account and a role the fuzz may edit at will (it must not lock out or rename the demo accounts),
    and an account that fuzzes its own profile and password forms."""
    with app.app_context():
        role = appbuilder.sm.find_role("Fuzz role") or appbuilder.sm.add_role("Fuzz role")
        ids = {"/users": _account("fuzz.target", "TU"), "/roles": role.id}
        _account("fuzz.self", "TU")
        db.session.commit()
        return ids


def _session(app, username: str) -> Session:
    client = app.test_client()
    assert sign_in(client, username).request.path == "/", f"{username} cannot sign in"
    return Session(client)


@pytest.mark.parametrize("username", STAFF)
def test_every_staff_form_survives_fuzzing(app, throwaway, username):
    session = _session(app, username)
    adds = [
        f"{v.route_base}/add"
        for v in _model_views(app)
        if session.get(f"{v.route_base}/add").status_code == 200
    ]
    # The accounts and roles the fuzz may edit are the throwaway ones; every add page the role may open
    # is a start of the crawl, so none is missed however many pages the menus lead to.
    start = ["/", *adds, *(f"{base}/edit/{pk}" for base, pk in throwaway.items())]
    forms = crawl(session, start, PAGES_PER_ROLE, skip=_others_than(throwaway))
    done = fuzz_forms(session, forms, username)
    allowed_adds = {f"POST {url}" for url in adds}
    assert allowed_adds <= set(done), allowed_adds - set(done)
    assert done or username == "pengawas", f"{username}: no form found"


def test_password_and_profile_forms_survive_fuzzing(app, throwaway):
    session = _session(app, "fuzz.self")  # the crawl leaves these alone: they would change its own account
    pages = ["/resetmypassword/form", "/userinfoeditview/form"]
    forms = {
        f.key: (f, url) for url in pages for f in parse(url, session.get(url).get_data(as_text=True)).forms
    }
    done = fuzz_forms(session, forms, "fuzz.self")
    assert done == ["POST /resetmypassword/form", "POST /userinfoeditview/form"]


def _status_pages(app) -> list[str]:
    from app.models.complaints import Complaint
    from app.models.outreach import Outreach
    from app.models.travel_permits import TravelPermit

    with app.app_context():
        codes = {model: db.session.scalars(select(model.receipt_code).limit(20)).all()
                 for model in (TravelPermit, Complaint, Outreach)}  # fmt: skip
    return [
        *(
            page
            for c in codes[TravelPermit]
            for page in (f"/layanan/status/{c}", f"/layanan/status/{c}/perbaikan")
        ),
        *(f"/layanan/pengaduan/status/{c}" for c in codes[Complaint]),
        *(f"/layanan/bambang-solah/status/{c}" for c in codes[Outreach]),
    ]


def test_public_portal_forms_survive_fuzzing(app):
    session = Session(app.test_client())
    start = ["/layanan/", "/layanan/izin-luar-kota", "/layanan/pengaduan", "/layanan/bambang-solah"]
    forms = crawl(session, [*start, *_status_pages(app)], 80)
    done = fuzz_forms(session, forms, "public")
    assert {"POST /layanan/pengaduan", "POST /layanan/bambang-solah", "POST /layanan/status"} <= set(done), (
        done
    )


def test_sign_in_form_survives_fuzzing(app):
    session = Session(app.test_client())
    forms = crawl(session, ["/login/"], 1)
    done = fuzz_forms(session, forms, "public")
    assert done == ["POST /login/"]


@pytest.mark.parametrize("username", ["kepala", "admin", "pk1"])
def test_every_list_parameter_survives_fuzzing(app, username):
    session = _session(app, username)
    for view in _model_views(app):
        url = f"{view.route_base}/list/"
        if session.get(url).status_code != 200:
            continue
        name = view.__class__.__name__
        columns = sorted(view._filters.get_search_filters())
        arguments = st.sampled_from(
            [f"psize_{name}", f"page_{name}", f"_oc_{name}", f"_od_{name}"]
            + [f"_flt_{i}_{c}" for c in columns for i in range(len(view._filters.get_search_filters()[c]))]
        )

        values = st.one_of(TEXT, st.sampled_from([*view.order_columns, "asc", "desc", "25"]))
        _fuzz_list(session, url, st.dictionaries(arguments, values, max_size=4))


def _fuzz_list(session: Session, url: str, queries: st.SearchStrategy) -> None:
    @FUZZ_SETTINGS
    @given(query=queries)
    def one(query: dict[str, str]) -> None:
        response = session.get(url, query_string=query)
        assert response.status_code < 500, (url, query, response.status_code)

    one()
