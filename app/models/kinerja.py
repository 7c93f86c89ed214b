"""Monthly roll-ups of the performance figures (Kinerja) of closed service instances.

The engine adds a closed instance's contribution when it finishes (same transaction);
`flask bapas rebuild-rollups` recomputes them set-based. Open instances are never rolled up: the
dashboard reads them directly (docs/decisions.md, "Kinerja roll-ups").
"""

from __future__ import annotations

from datetime import date

from flask_appbuilder import Model
from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

# Keys hold '' for "no section" and 0 for "no officer / no office / no complaint subject": NULLs would
# defeat the unique key the upsert relies on.


class _Month:
    """The keys every roll-up shares: the WIB month, the office and the service."""

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    office_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service: Mapped[str] = mapped_column(String(10), primary_key=True)


class _StepMonth(_Month):
    """The keys of the step roll-ups: the step, the instance's and the step's section, the actor."""

    step: Mapped[str] = mapped_column(String(30), primary_key=True)
    section: Mapped[str] = mapped_column(String(3), primary_key=True)  # the instance's
    step_section: Mapped[str] = mapped_column(String(3), primary_key=True)
    actor_role: Mapped[str] = mapped_column(String(20), primary_key=True)


class InstanceMonth(_Month, Model):
    """Instances started / finished in a WIB month, and their overall limits, per group."""

    __tablename__ = "kinerja_instance_month"

    section: Mapped[str] = mapped_column(String(3), primary_key=True)
    officer_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # a complaint's staff member
    started: Mapped[int] = mapped_column(Integer, default=0)
    finished: Mapped[int] = mapped_column(Integer, default=0)
    limit_met: Mapped[int] = mapped_column(Integer, default=0)
    limit_failed: Mapped[int] = mapped_column(Integer, default=0)


class StepMonth(_StepMonth, Model):
    """Steps finished in a WIB month, within / over their standard, per group."""

    __tablename__ = "kinerja_step_month"

    officer_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # who did it, or whose it was
    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finished: Mapped[int] = mapped_column(Integer, default=0)
    within: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)


class DurationMonth(_StepMonth, Model):
    """How many finished steps took each (bucketed) duration, per metric: the percentiles' source."""

    __tablename__ = "kinerja_duration_month"

    subject_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    metric: Mapped[str] = mapped_column(String(8), primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer, primary_key=True)  # the bucket's lower bound
    count: Mapped[int] = mapped_column(Integer, default=0)
