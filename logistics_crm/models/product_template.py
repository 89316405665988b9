from odoo import Command, api, fields, models

from .logistics_selections import FREIGHT_SERVICES


class ProductTemplate(models.Model):
    _inherit = "product.template"

    logistics_service = fields.Selection(
        selection=FREIGHT_SERVICES,
        index="btree_not_null",
        copy=False,
        help="The freight service or surcharge this product books and invoices "
        "when a freight quote becomes a booking.",
    )

    @api.model
    def _logistics_service_products(self):
        """The product variant of each logistics service, in one search."""
        templates = self.with_context(active_test=False).search(
            [("logistics_service", "!=", False)], order="active desc, id"
        )
        products = {}
        for template in templates:
            products.setdefault(template.logistics_service, template.product_variant_id)
        return products

    @api.model
    def _logistics_setup_income_accounts(self):
        """Give each logistics service product an income account of its own
        in every company that has a chart of accounts, so that revenue reads
        by mode and surcharge in the ledger. Only what is missing is created."""
        templates = self.with_context(active_test=False).search(
            [("logistics_service", "!=", False)]
        )
        companies = self.env["res.company"].search([("chart_template", "!=", False)])
        for company in companies:
            Account = self.env["account.account"].with_company(company)
            start = company.income_account_id.code or "400000"
            for template in templates.with_company(company):
                if template.property_account_income_id:
                    continue
                account = Account.create(
                    {
                        "name": template.name,
                        "code": Account._search_new_account_code(start),
                        "account_type": "income",
                        "company_ids": [Command.set(company.ids)],
                    }
                )
                template.property_account_income_id = account
