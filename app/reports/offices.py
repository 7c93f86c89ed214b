"""The offices a user's figures cover (its reach), for the dashboard's office and region dimension:
the Kanwil compares the offices of its region, Ditjenpas the regions and then their offices."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models.offices import Office, Region
from app.models.staff import Staff
from app.reports.performance import Filters
from app.security import scope


@dataclass(frozen=True)
class Reach:
    """The offices a user reaches, by region then name, and whether it reaches every office."""

    offices: tuple[Office, ...]
    national: bool

    @property
    def office_ids(self) -> set[int]:
        """Ids of the offices reached."""
        return {office.id for office in self.offices}

    @property
    def regions(self) -> list[Region]:
        """The regions of the offices reached, in order."""
        seen: dict[int, Region] = {}
        for office in self.offices:
            seen.setdefault(office.region_id, office.region)
        return list(seen.values())

    @property
    def several(self) -> bool:
        """Whether offices show at all: only for whom reaches more than one."""
        return len(self.offices) > 1

    def settle(self, f: Filters) -> Filters | None:
        """The filters with the chosen office and region checked against the reach (None: one lies
        outside it); a chosen office wins over a region it is not in (both picked from lists)."""
        chosen = self.office(f.office)
        if f.office is not None and chosen is None:
            return None
        if f.region is not None and self.region(f.region) is None:
            return None
        if chosen is not None and f.region is not None and chosen.region_id != f.region:
            return f.narrowed(region=chosen.region_id)
        return f

    def in_view(self, f: Filters) -> list[Office]:
        """The offices the filters leave in view."""
        return [
            office
            for office in self.offices
            if (f.office is None or office.id == f.office)
            and (f.region is None or office.region_id == f.region)
        ]

    def office(self, office_id: int | None) -> Office | None:
        """One office of the reach, by id."""
        return next((o for o in self.offices if o.id == office_id), None)

    def region(self, region_id: int | None) -> Region | None:
        """One region of the reach, by id."""
        return next((r for r in self.regions if r.id == region_id), None)


def reach(user: Staff | None) -> Reach:
    """The offices the user's figures cover, with their regions, in one query."""
    if user is None:
        return Reach((), False)
    stmt = (
        select(Office)
        .join(Office.region)
        .options(contains_eager(Office.region))
        .where(scope.office_clause(Office, user))
        .order_by(Region.name, Region.id, Office.name, Office.id)
    )
    offices = tuple(db.session.scalars(stmt))
    national = user.office_id is None and user.region_id is None and bool(offices)
    return Reach(offices, national)
