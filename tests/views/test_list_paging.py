"""Every list view, for every role, counts its rows right and reaches the last row through the pager."""

from __future__ import annotations

import math
import re
from html import unescape

import pytest
from flask_appbuilder import ModelView

from app.extensions import appbuilder

ROLES = ("kepala", "kasubsi.bka", "kasubsi.bkd", "pk1", "pk2", "tu", "pengaduan", "pengawas", "admin")
PAGE = 2
COUNT = re.compile(r"<strong>Jumlah Data:</strong>\s*(\d+)")


def _list_views(app) -> list[ModelView]:
    with app.app_context():
        return [view for view in appbuilder.baseviews if isinstance(view, ModelView)]


def _rows(html: str, view: ModelView, page: int = 0) -> set[str]:
    """The rows a list page shows, each by its show link, else by its place and text."""
    # The list's rows follow its header; the search filters' table comes before it.
    body = html.rsplit("</thead>", 1)[1].split("</table>", 1)[0] if "</thead>" in html else ""
    keys = set()
    for place, row in enumerate(re.findall(r"<tr.*?</tr>", body, re.S)):
        shown = re.search(rf'href="{re.escape(view.route_base)}/show/([^"?/]+)"', row)
        text = " ".join(re.sub(r"<[^>]+>", " ", row).split())
        keys.add(shown.group(1) if shown else f"{page}.{place}: {text}")
    return keys


@pytest.mark.parametrize("username", ROLES)
def test_every_list_counts_and_pages_to_the_last_row(app, login_as, username):
    session = login_as(username)
    checked = 0
    for view in _list_views(app):
        name = view.__class__.__name__
        url = f"{view.route_base}/list/?psize_{name}={PAGE}"
        first = session.get(url)
        if first.status_code in (302, 403):
            continue
        assert first.status_code == 200, (username, url, first.status_code)
        html = unescape(first.get_data(as_text=True))
        found = COUNT.search(html)
        if found is None:  # an empty list shows no count
            assert not _rows(html, view), (username, url)
            continue
        count = int(found.group(1))
        pages = math.ceil(count / PAGE)
        if pages > 1:
            assert f"page_{name}={pages - 1}" in html, f"{username} {url}: no pager link to the last page"
        seen: set[str] = set()
        for page in range(pages):
            html = unescape(session.get(f"{url}&page_{name}={page}").get_data(as_text=True))
            rows = _rows(html, view, page)
            assert len(rows) == (PAGE if page < pages - 1 else count - PAGE * (pages - 1)), (
                username,
                url,
                page,
            )
            seen |= rows
        assert len(seen) == count, (username, url, count, len(seen))
        checked += 1
    assert checked, f"{username} opened no list at all"
