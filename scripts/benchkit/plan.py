"""How much of everything a benchmark database holds at a given number of clients."""

from __future__ import annotations

from dataclasses import dataclass

FULL = 1_000_000
OFFICES = 90
REGIONS = 33
# Most of the data belongs to a few offices: the first holds 40 %, the next three 10 % each, the
# other 86 share the rest. The first office is the one measured.
BIG_SHARES = (0.40, 0.10, 0.10, 0.10)
BIG_PKS = (15, 35)  # PKs of a big office per section (BKA, BKD): 50
SMALL_PKS = (2, 3)


@dataclass(frozen=True)
class Plan:
    """Row counts at `clients` clients; everything scales with it (national: 1,000,000)."""

    clients: int

    def part(self, per_million: int, least: int = 1) -> int:
        """A count proportional to the number of clients."""
        return max(least, round(self.clients * per_million / FULL))

    @property
    def guidance_per_client(self) -> int:
        """Guidance logs per client (10,000,000 at full size)."""
        return 10

    @property
    def cases(self) -> int:
        """Legal cases, one for every two clients."""
        return self.part(500_000)

    @property
    def letters(self) -> int:
        """Incoming letters; a fifth of them are child-accompaniment requests (ABH)."""
        return self.part(100_000, 20)

    @property
    def complaints(self) -> int:
        """Complaints."""
        return self.part(100_000, 10)

    @property
    def permits(self) -> int:
        """Travel permit requests."""
        return self.part(100_000, 10)

    @property
    def stage_plans(self) -> int:
        """Stage plans (early and middle stage; a tenth of them final stage)."""
        return self.part(180_000, 10)

    @property
    def mobile_points(self) -> int:
        """BATAKO points, five clients reporting at each."""
        return self.part(20_000, 5)

    @property
    def outreach(self) -> int:
        """Bambang Solah requests."""
        return self.part(20_000, 5)

    @property
    def audit_rows(self) -> int:
        """Rows of the audit trail, one per client."""
        return self.clients

    def office_ranges(self) -> list[tuple[int, int, int]]:
        """(office id, first client id, last client id), every office with at least one client."""
        shares = list(BIG_SHARES) + [(1 - sum(BIG_SHARES)) / (OFFICES - len(BIG_SHARES))] * (
            OFFICES - len(BIG_SHARES)
        )
        ranges, first = [], 1
        for office, share in enumerate(shares, start=1):
            last = max(first, min(self.clients, first + round(self.clients * share) - 1))
            if office == OFFICES:
                last = max(first, self.clients)
            ranges.append((office, first, last))
            first = last + 1
        return ranges
