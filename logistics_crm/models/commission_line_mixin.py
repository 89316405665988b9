from odoo import models

from .logistics_selections import FREIGHT_SERVICE_PREFIX


class CommissionLineMixin(models.AbstractModel):
    """The commission of an agent line of a sale or invoice line, by the
    plan's logistics rules (transport mode, customer tier) and, on a margin
    plan, on revenue less the shipment's cost rather than the product's
    standard cost (logistics services have none)."""

    _inherit = "commission.line.mixin"

    def _get_commission_amount(self, commission, subtotal, product, quantity):
        self.ensure_one()
        if product.commission_free or not commission:
            return super()._get_commission_amount(
                commission, subtotal, product, quantity
            )
        scope = self.object_id._logistics_commission_scope()
        mode = scope["mode"] or self._logistics_product_mode(product)
        rule = commission._logistics_rule(mode, scope["tier"])
        cost = scope["cost"]
        net = commission.amount_base_type == "net_amount"
        if not rule and (not net or cost is None):
            return super()._get_commission_amount(
                commission, subtotal, product, quantity
            )
        base = subtotal
        if net:
            if cost is None:
                cost = product.standard_price * quantity
            # Selling below cost earns nothing, as in OCA.
            base = max(0.0, subtotal - cost)
        if rule:
            return base * rule.percent / 100.0
        # The plan's own rate on our base: OCA's fixed and section branches.
        if commission.commission_type == "section":
            return commission.calculate_section(base)
        return base * commission.fix_qty / 100.0

    def _logistics_product_mode(self, product):
        """The mode a freight product books (``freight_air`` -> ``air``), for
        lines that know no shipment or quote line."""
        service = product.logistics_service or ""
        if service.startswith(FREIGHT_SERVICE_PREFIX):
            return service.removeprefix(FREIGHT_SERVICE_PREFIX)
        return False
