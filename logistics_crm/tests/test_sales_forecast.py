import io
from datetime import date, datetime

import openpyxl

from odoo.tests import freeze_time, new_test_user, tagged

from .common import LogisticsCrmCase

TODAY = "2026-06-10 09:00:00"
# Creating the screen and reading its figures: its insert, one read per
# report (the forecast twice: pipeline and months), the record rules' reads.
FIGURES_QUERIES = 8


@tagged("post_install", "-at_install")
class TestSalesForecast(LogisticsCrmCase):
    """The sales manager's figures on a pipeline worked out by hand.

    Open opportunities (contract of 12 months, lanes priced per year):

    ========  =====  =====  ==========  ===================================
    owner     prob.  due    expected    lanes (revenue)
    ========  =====  =====  ==========  ===================================
    Ann       50 %   06-20  12,000      sea FCL 9,000, air 3,000
    Bo        20 %   07-15   5,000      none
    Ann       10 %   08-05   8,000      rail, road FTL, both unpriced
    ========  =====  =====  ==========  ===================================

    Forecast (expected x probability, shared by lane revenue, equally when
    unpriced): sea 4,500, air 1,500, none 1,000, rail 400, road 400; 7,800
    in all, Ann 6,800 (June 6,000, August 800), Bo 1,000.

    Closed: Ann won two (created 03-01 won 03-31: 30 days, sea; created
    04-01 won 04-11: 10 days, air) and lost one (sea); Bo won one (created
    05-01 won 05-06: 5 days) and lost one, both from the source Fair. Win
    rate 3 of 5 = 60 %, Ann 66.7 %, Bo 50 %, sea 50 %, air 100 %, Fair 50 %;
    cycle (30 + 10 + 5) / 3 = 15 days, Ann 20, Bo 5. An archived duplicate
    (neither won nor lost) counts nowhere.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ann = new_test_user(
            cls.env,
            login="lcrm_seller_ann",
            name="Ann",
            groups="logistics_crm.logistics_crm_group_user",
        )
        cls.bo = new_test_user(
            cls.env,
            login="lcrm_seller_bo",
            name="Bo",
            groups="logistics_crm.logistics_crm_group_user",
        )
        Team = cls.env["crm.team"]
        cls.team_ann = Team.create({"name": "Sea Desk", "member_ids": [cls.ann.id]})
        cls.team_bo = Team.create({"name": "Road Desk", "member_ids": [cls.bo.id]})
        cls.fair = cls.env["utm.source"].create({"name": "Fair"})
        cls.mine = [("user_id", "in", (cls.ann | cls.bo).ids)]
        cls.big = cls._opportunity(
            cls.ann, 50, "2026-06-20", lanes=[("sea_fcl", 9000), ("air", 3000)]
        )
        cls.mid = cls._opportunity(cls.bo, 20, "2026-07-15", expected=5000)
        cls.small = cls._opportunity(
            cls.ann,
            10,
            "2026-08-05",
            expected=8000,
            lanes=[("rail", 0), ("road_ftl", 0)],
        )
        won_sea = cls._closed(cls.ann, "2026-03-01", "2026-03-31", True, "sea_fcl")
        won_air = cls._closed(cls.ann, "2026-04-01", "2026-04-11", True, "air")
        lost_sea = cls._closed(cls.ann, "2026-04-05", "2026-05-01", False, "sea_fcl")
        won_bo = cls._closed(cls.bo, "2026-05-01", "2026-05-06", True, source=cls.fair)
        lost_bo = cls._closed(
            cls.bo, "2026-05-02", "2026-05-20", False, source=cls.fair
        )
        cls.closed = won_sea | won_air | lost_sea | won_bo | lost_bo
        cls.duplicate = cls._opportunity(cls.bo, 30, "2026-06-30", expected=999)
        cls.duplicate.action_archive()

    @classmethod
    def _opportunity(cls, user, probability, deadline, expected=0, lanes=()):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"{user.name} {deadline}",
                "type": "opportunity",
                "user_id": user.id,
                "date_deadline": deadline,
                "expected_revenue": expected,
                "logistics_revenue_manual": bool(expected),
            }
        )
        for mode, revenue in lanes:
            cls.env["logistics.lane"].create(
                {
                    "lead_id": lead.id,
                    "origin_city": "Shanghai",
                    "origin_country_id": cls.env.ref("base.cn").id,
                    "destination_city": "Hamburg",
                    "destination_country_id": cls.env.ref("base.de").id,
                    "mode": mode,
                    "volume_quantity": 1,
                    "frequency": "year",
                    "rate": revenue,
                }
            )
        # Set last: a stage or lane change would recompute crm's probability.
        lead.write({"probability": probability, "automated_probability": probability})
        return lead

    @classmethod
    def _closed(cls, user, created, closed, won, mode=None, source=None):
        lead = cls._opportunity(
            user,
            40,
            closed,
            expected=1000,
            lanes=[(mode, 1000)] if mode else (),
        )
        lead.source_id = source
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (datetime.fromisoformat(created), lead.id),
        )
        lead.invalidate_recordset(["create_date"])
        with freeze_time(closed):
            if won:
                lead.action_set_won()
            else:
                lead.action_set_lost()
        return lead

    def _forecast(self, groupby, env=None):
        env = env or self.env
        env.flush_all()
        return {
            key: tuple(values)
            for key, *values in env["logistics.sales.forecast"]._read_group(
                self.mine,
                [groupby],
                ["expected_revenue:sum", "forecast_revenue:sum"],
            )
        }

    def _results(self, groupby, domain=()):
        self.env.flush_all()
        return {
            key: tuple(round(value, 2) for value in values)
            for key, *values in self.env["logistics.sales.outcome"]._read_group(
                [*self.mine, *domain],
                [groupby],
                ["won_count:sum", "lost_count:sum", "win_rate:avg", "cycle_days:avg"],
            )
        }

    def test_forecast_by_mode_shares_by_lane_revenue(self):
        self.assertEqual(
            self._forecast("mode"),
            {
                "sea_fcl": (9000, 4500),
                "air": (3000, 1500),
                "rail": (4000, 400),
                "road_ftl": (4000, 400),
                False: (5000, 1000),
            },
        )

    def test_forecast_by_salesperson_team_and_month(self):
        self.assertEqual(
            self._forecast("user_id"), {self.ann: (20000, 6800), self.bo: (5000, 1000)}
        )
        self.assertEqual(
            self._forecast("team_id"),
            {self.team_ann: (20000, 6800), self.team_bo: (5000, 1000)},
        )
        self.assertEqual(
            {
                month.date(): values
                for month, values in self._forecast("date:month").items()
            },
            {
                date(2026, 6, 1): (12000, 6000),
                date(2026, 7, 1): (5000, 1000),
                date(2026, 8, 1): (8000, 800),
            },
        )

    def test_pipeline_by_stage_follows_the_opportunity(self):
        stage = self.env["crm.stage"].create({"name": "Negotiation", "sequence": 90})
        self.mid.write({"stage_id": stage.id, "probability": 60})
        self.assertEqual(self._forecast("stage_id")[stage], (5000, 3000))
        self.mid.action_set_lost()
        self.assertNotIn(stage, self._forecast("stage_id"))

    def test_win_rate_and_cycle(self):
        self.assertEqual(
            self._results("user_id", [("won_status", "!=", "pending")]),
            {self.ann: (2, 1, 66.67, 20.0), self.bo: (1, 1, 50.0, 5.0)},
        )
        self.assertEqual(
            self._results("mode", [("won_status", "!=", "pending")]),
            {
                "sea_fcl": (1, 1, 50.0, 30.0),
                "air": (1, 0, 100.0, 10.0),
                False: (1, 1, 50.0, 5.0),
            },
        )
        by_source = self._results("source_id", [("won_status", "!=", "pending")])
        self.assertEqual(by_source[self.fair], (1, 1, 50.0, 5.0))
        [(won, lost, rate, cycle)] = self._results("company_id").values()
        self.assertEqual((won, lost, rate, cycle), (3, 2, 60.0, 15.0))
        # Open ones count as leads, in no rate; the duplicate nowhere.
        self.env.flush_all()
        rows = self.env["logistics.sales.outcome"].search(self.mine)
        self.assertEqual(rows.lead_id, self.closed | self.big | self.mid | self.small)
        self.assertEqual(
            self.env["logistics.sales.outcome"]
            .search([("lead_id", "=", self.closed[0].id)])
            .date,
            datetime(2026, 3, 31),
        )

    def test_salesperson_reads_own_rows_only(self):
        forecast = self._forecast("user_id", env=self.env(user=self.ann))
        self.assertEqual(forecast, {self.ann: (20000, 6800)})

    @freeze_time(TODAY)
    def test_my_figures_screen(self):
        figures = self.env["logistics.sales.figures"].with_user(self.ann).create({})
        self.assertEqual(
            (
                figures.pipeline_count,
                figures.pipeline_revenue,
                figures.forecast_month,
                figures.forecast_quarter,
            ),
            (2, 20000, 6000, 6800),
        )
        self.assertEqual((figures.won_count, figures.lost_count), (2, 1))
        self.assertAlmostEqual(figures.win_rate, 66.67, places=2)
        self.assertEqual(figures.cycle_days, 20.0)
        self.assertEqual((figures.quote_count, figures.booked_revenue), (0, 0))
        action = figures.action_view_forecast()
        self.assertEqual(action["domain"], [("user_id", "=", self.ann.id)])
        opened = (
            self.env["logistics.sales.figures"]
            .with_user(self.ann)
            .open_for_current_user()
        )
        self.assertEqual(opened["res_model"], "logistics.sales.figures")

    def test_excel_sheets(self):
        content = (
            self.env["logistics.kpi.workbook"]
            .with_user(self.manager)
            ._build(date(2026, 1, 1), date(2026, 12, 31), (), False)
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        rows = {
            name: tuple(values)
            for name, *values in book["Forecast by Salesperson"].iter_rows(
                min_row=2, values_only=True
            )
        }
        self.assertEqual(rows["Ann"], (2, 20000, 6800))
        self.assertEqual(rows["Bo"], (1, 5000, 1000))
        rows = {
            name: tuple(values)
            for name, *values in book["Win Rate by Salesperson"].iter_rows(
                min_row=2, values_only=True
            )
        }
        self.assertEqual(rows["Bo"], (1, 1, 50, 5))
        self.assertAlmostEqual(rows["Ann"][2], 66.67, places=2)

    def _assert_figures_queries(self):
        Figures = self.env["logistics.sales.figures"].with_user(self.ann)
        # Warm the caches the record rules read, as a second visit has them.
        self.assertTrue(Figures.create({}).pipeline_count)
        self.env.flush_all()
        with self.assertQueryCount(FIGURES_QUERIES):
            self.assertTrue(Figures.create({}).pipeline_count)

    def test_figures_queries_do_not_grow_with_the_pipeline(self):
        self._assert_figures_queries()
        for day in range(1, 21):
            self._opportunity(
                self.ann, 30, f"2026-07-{day:02d}", lanes=[("air", 100), ("rail", 50)]
            )
        self._closed(self.ann, "2026-05-01", "2026-05-02", True, "air")
        self._assert_figures_queries()
