from odoo.tests import tagged

from ..models.logistics_pricing import Cargo, Endpoint
from .common import LogisticsCrmCase

# The pricing of one cargo: the lookup's SELECT, the lines' prices, their
# cards, the lines' ends (for the specificity rank), the cards' currency.
# The same at 10 and at 1,000 rate-card lines.
PRICING_QUERIES = 5
BREAKS = (0, 45, 100, 300, 500)


@tagged("post_install", "-at_install")
class TestPricingPerformance(LogisticsCrmCase):
    """A request is priced in a constant number of queries whatever the
    number of rate-card lines, and from the right line."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._clear_rate_cards()
        cls.cn = cls.env.ref("base.cn")
        cls.nl = cls.env.ref("base.nl")
        cls.de = cls.env.ref("base.de")
        cls.card = cls.env["logistics.rate.card"].create(
            {"name": "Public Air", "mode": "air", "fuel_percent": 10.0}
        )
        # 10 lines: Shanghai port to Rotterdam port, and China to the
        # Netherlands, 5 weight breaks each.
        cls.env["logistics.rate.card.line"].create(
            [
                {
                    "card_id": cls.card.id,
                    "origin_country_id": cls.cn.id,
                    "destination_country_id": cls.nl.id,
                    "origin_location_code": code and "CNSHA",
                    "destination_location_code": code and "NLRTM",
                    "rate_basis": "kg",
                    "min_weight_kg": weight,
                    "rate": (8.0 if code else 6.0) - index,
                }
                for code in (True, False)
                for index, weight in enumerate(BREAKS)
            ]
        )
        cls.expected = cls.card.line_ids.filtered(
            lambda line: line.origin_location_code == "CNSHA"
            and line.min_weight_kg == 100
        )
        cls.cargo = Cargo(
            origin=Endpoint(cls.cn.id, city="Shanghai", location_code="CN SHA"),
            destination=Endpoint(cls.nl.id, city="Rotterdam", location_code="NLRTM"),
            mode="air",
            weight_kg=250.0,
            volume_m3=1.0,
        )

    def _add_lines(self, count):
        """``count`` more lines: other ports and cities of the same country
        pair (what the lookup reads and must pass over), and other pairs."""
        ports = ("CNSZX", "CNNGB", "CNTAO", "CNXMN")
        self.env["logistics.rate.card.line"].create(
            [
                {
                    "card_id": self.card.id,
                    "origin_country_id": self.cn.id,
                    "destination_country_id": (self.nl if n % 2 else self.de).id,
                    "origin_location_code": ports[n % 4] if n % 3 else False,
                    "origin_city": False if n % 3 else f"City {n}",
                    "rate_basis": "kg",
                    "min_weight_kg": BREAKS[n % 5],
                    "rate": 1.0,
                }
                for n in range(count)
            ]
        )

    def _assert_priced(self):
        pricing = self.env["logistics.pricing"]
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(PRICING_QUERIES):
            before = self.env.cr.sql_log_count
            option = pricing._best_price(self.cargo)
            count = self.env.cr.sql_log_count - before
        # assertQueryCount only logs fewer queries: the count is exact.
        self.assertEqual(count, PRICING_QUERIES)
        self.assertEqual(option.line, self.expected)
        freight, fuel = option.components
        self.assertEqual((freight.quantity, freight.amount), (250.0, 1500.0))
        self.assertEqual(fuel.amount, 150.0)
        self.assertEqual(option.total, 1650.0)

    def test_constant_queries(self):
        line_model = self.env["logistics.rate.card.line"]
        self.assertEqual(line_model.search_count([]), 10)
        self._assert_priced()
        self._add_lines(990)
        self.assertEqual(line_model.search_count([]), 1000)
        self._assert_priced()
