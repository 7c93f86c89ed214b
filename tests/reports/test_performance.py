"""Performance figures of the hand-built May 2026 (tests/reports/conftest.py), worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.models.staff import Staff
from app.models.workflow import StepRecord
from app.reports import dashboard, performance
from app.reports.drilldown import drill
from app.reports.percentiles import step_percentiles
from app.workflow.definitions import SERVICES

H = 3600
PERIOD = performance.Filters(date(2026, 5, 1), date(2026, 5, 31))
ALL_IN_MAY = {
    "started": 6, "finished": 2, "open": 5, "overdue": 4, "limit_met": 1, "limit_missed": 1,
    "steps_finished": 20, "within": 17, "missed": 3, "steps_open": 5, "steps_overdue": 4,
}  # fmt: skip
BKA = {
    "started": 4, "finished": 0, "open": 4, "overdue": 4, "limit_met": 1, "limit_missed": 1,
    "steps_finished": 11, "within": 9, "missed": 2, "steps_open": 4, "steps_overdue": 4,
}  # fmt: skip
BKD = {
    "started": 2, "finished": 2, "open": 1, "overdue": 0, "limit_met": 0, "limit_missed": 0,
    "steps_finished": 9, "within": 8, "missed": 1, "steps_open": 1, "steps_overdue": 0,
}  # fmt: skip
PK1 = {
    "started": 3, "finished": 0, "open": 3, "overdue": 3, "limit_met": 1, "limit_missed": 1,
    "steps_finished": 10, "within": 8, "missed": 2, "steps_open": 3, "steps_overdue": 3,
}  # fmt: skip


def _user(name: str) -> Staff:
    return db.session.scalar(select(Staff).where(Staff.username == name))


def _step(instance_id: int, code: str) -> StepRecord:
    return db.session.scalar(
        select(StepRecord).where(StepRecord.instance_id == instance_id, StepRecord.step == code)
    )


def _totals(user: Staff, f: performance.Filters = PERIOD) -> dict:
    totals = dashboard.totals(dashboard.tables(f, user)[0])
    return {k: totals[k] for k in ALL_IN_MAY}


def test_stored_times_count_working_time_across_a_holiday_and_the_weekend(app, may_2026):
    with app.app_context():
        register = _step(may_2026["A"], "register")  # Wed 13 May 14:00 -> Mon 18 May 10:00
        assert (register.waiting_seconds, register.handling_seconds, register.lead_seconds) == (
            1800, 19.5 * H, 20 * H,
        )  # fmt: skip
        assert register.within_standard is True  # 20 working hours: within 1 working day
        dispose = _step(may_2026["A"], "dispose")  # Mon 18 May 10:00 -> Wed 20 May 12:00
        assert (dispose.lead_seconds, dispose.within_standard) == (50 * H, False)
        labour_day = _step(may_2026["F"], "dispose")  # Thu 30 Apr 15:30 -> Mon 4 May 08:00
        assert (labour_day.waiting_seconds, labour_day.lead_seconds, labour_day.within_standard) == (
            16 * H, 16.5 * H, True,
        )  # fmt: skip


def test_wall_clock_and_handling_standards(app, may_2026):
    with app.app_context():
        night = _step(may_2026["C"], "dispose")  # Sunday 00:00-00:20, ready at 23:40: 40 min > 30
        assert (night.lead_seconds, night.within_standard) == (40 * 60, False)
        check = _step(may_2026["D"], "check")  # 4 days after it arrived, but 20 minutes of work > 5
        assert check.lead_seconds > 3 * 24 * H and check.handling_seconds == 20 * 60
        assert check.within_standard is False
        tpp = _step(may_2026["D"], "tpp")  # a handling standard sets no due time: never overdue
        assert tpp.due_at is None and tpp.finished_at is None and tpp.waiting_seconds is None


def test_kepala_sees_the_whole_month(app, may_2026):
    with app.app_context():
        assert _totals(_user("kepala")) == ALL_IN_MAY
        assert _totals(_user("pengawas")) == ALL_IN_MAY


def test_per_service_section_and_officer(app, may_2026):
    with app.app_context():
        tables = {t.key: t for t in dashboard.tables(PERIOD, _user("kepala"))}
        services = {r.args["service"]: r.values for r in tables["service"].rows}
        assert set(services) == set(SERVICES)  # every declared service has a row
        assert {k: services["SURAT"][k] for k in ("started", "finished", "open", "overdue")} == {
            "started": 3, "finished": 2, "open": 2, "overdue": 2,
        }  # fmt: skip
        assert (services["ABH"]["limit_met"], services["ABH"]["limit_missed"]) == (1, 1)
        assert services["IZIN"]["steps_open"] == 1 and services["IZIN"]["steps_overdue"] == 0
        assert services["SURAT"]["share"] == pytest.approx(10 / 11)  # only A's disposition was late
        sections = {r.args["section"]: r.values for r in tables["section"].rows}
        assert {k: sections["BKA"][k] for k in BKA} == BKA
        assert {k: sections["BKD"][k] for k in BKD} == BKD
        pk1 = _user("pk1")
        officers = {r.args["officer"]: r for r in tables["officer"].rows}
        assert officers[pk1.id].label == pk1.full_name
        # pk1 finished one step (E's accompaniment) and holds three open ones (A, C, E).
        assert {k: officers[pk1.id].values[k] for k in ("steps_finished", "steps_open", "steps_overdue")} == {
            "steps_finished": 1, "steps_open": 3, "steps_overdue": 3,
        }  # fmt: skip
        assert officers[pk1.id].values["started"] == 3  # the instances pk1 is responsible for
        kepala = _user("kepala")
        assert officers[kepala.id].values["steps_finished"] == 5  # the dispositions of A, B, C, E and F
        assert officers[performance.NONE].values["steps_open"] == 2  # D's TPP and G's disposition


def test_percentiles_per_step(app, may_2026):
    with app.app_context():
        spreads = step_percentiles(PERIOD, _user("kepala"))
        register = spreads[("SURAT", "register")]  # A, B and G (F's was in April)
        assert register["lead"]["n"] == 3
        assert register["lead"][50] == 1800  # 10 min, 30 min, 20 h
        assert register["lead"][90] == pytest.approx(1800 + (72000 - 1800) * 0.8)
        assert register["waiting"][50] == 0 and register["handling"][90] == pytest.approx(1800 + 68400 * 0.8)
        dispose = spreads[("SURAT", "dispose")]  # B 1.5 h, F 16.5 h, A 26 h (working hours)
        assert (dispose["lead"][50], dispose["lead"]["n"]) == (16.5 * H, 3)
        rows = {
            (r.args["service"], r.args["step"]): r.values
            for r in dashboard.tables(PERIOD, _user("kepala"))[1].rows
        }
        assert rows[("SURAT", "dispose")]["lead_50"] == timedelta(hours=16.5)


def test_percentiles_match_postgresql(app, may_2026):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("percentile_cont is PostgreSQL's")
        spreads = step_percentiles(PERIOD, _user("kepala"))
        rows = db.session.execute(
            text(
                "SELECT i.service, s.step, percentile_cont(0.5) WITHIN GROUP (ORDER BY s.lead_seconds),"
                " percentile_cont(0.9) WITHIN GROUP (ORDER BY s.handling_seconds)"
                " FROM step_record s JOIN service_instance i ON i.id = s.instance_id"
                " WHERE s.finished_at >= :since AND s.finished_at < :until"
                " AND i.office_id = 1 GROUP BY i.service, s.step"  # the Kepala's office, Magelang
            ),
            {"since": PERIOD.since, "until": PERIOD.until},
        ).all()
        assert rows
        for service, step, lead_50, handling_90 in rows:
            assert spreads[(service, step)]["lead"][50] == pytest.approx(lead_50)
            assert spreads[(service, step)]["handling"][90] == pytest.approx(handling_90)


@pytest.mark.parametrize(
    ("username", "expected"), [("kasubsi.bka", BKA), ("kasubsi.bkd", BKD), ("pk1", PK1), ("pk2", BKD)]
)
def test_row_scope(app, may_2026, username, expected):
    with app.app_context():
        assert _totals(_user(username)) == expected


def test_april_counts_only_what_happened_in_april(app, may_2026):
    with app.app_context():
        april = performance.Filters(date(2026, 4, 1), date(2026, 4, 30))
        totals = _totals(_user("kepala"), april)
        assert (totals["started"], totals["finished"], totals["open"], totals["steps_finished"]) == (
            1,
            0,
            1,
            1,
        )


def test_drill_down_lists_the_rows_behind_a_figure(app, may_2026):
    with app.app_context():
        kepala = _user("kepala")
        overdue = drill(PERIOD, kepala, "overdue")
        assert not overdue.of_steps and overdue.total == 4
        assert {i.id for i, _latest in overdue.rows} == {may_2026[k] for k in "ACEG"}
        for instance, latest in overdue.rows:
            assert latest == max(s.id for s in instance.steps)
        missed = drill(PERIOD, kepala, "missed")
        assert missed.of_steps and {(r.instance.service, r.step) for r in missed.rows} == {
            ("SURAT", "dispose"), ("ABH", "dispose"), ("IZIN", "check"),
        }  # fmt: skip
        slowest = drill(
            PERIOD.narrowed(service="SURAT", step="dispose"), kepala, "steps_finished", sort="lead"
        )
        assert [r.lead_seconds for r in slowest.rows] == [50 * H, 16.5 * H, 1.5 * H]
        assert drill(PERIOD.narrowed(section="BKD"), kepala, "overdue").total == 0
        assert drill(PERIOD, _user("kasubsi.bkd"), "overdue").total == 0
        assert drill(PERIOD, _user("pk1"), "steps_overdue").total == 3
        assert drill(PERIOD.narrowed(officer=performance.NONE), kepala, "started").total == 1  # G
