import re

from odoo import Command, api, fields, models
from odoo.tools import SQL

# The fields Odoo's credit limit and payment terms replaced (19.0.1.1.0).
LEGACY_CREDIT_COLUMNS = (
    "logistics_credit_limit",
    "logistics_credit_currency_id",
    "logistics_payment_terms",
    "logistics_payment_term_days",
)


class LogisticsCreditControl(models.AbstractModel):
    """What the company knows of a customer's payments, from Odoo's
    accounting: overdue receivables, and the move from the addon's own credit
    fields to Odoo's credit limit and payment terms."""

    _name = "logistics.credit.control"
    _description = "Customer Credit Control"

    @api.model
    def _overdue_amounts(self, partners):
        """``{commercial partner id: overdue receivable}`` in one query."""
        if not partners:
            return {}
        groups = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "child_of", partners.ids),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("date_maturity", "<", fields.Date.context_today(self)),
                ("company_id", "in", self.env.companies.ids),
            ],
            ["partner_id"],
            ["amount_residual:sum"],
        )
        overdue = {}
        for partner, amount in groups:
            commercial = partner.commercial_partner_id.id
            overdue[commercial] = overdue.get(commercial, 0.0) + amount
        return overdue

    # ------------------------------------------------------------------
    # Upgrade from the addon's own credit fields
    # ------------------------------------------------------------------
    @api.model
    def _migrate_legacy_credit(self):
        """Carry the old hand-typed credit fields over to Odoo's: the limit
        (converted to the company's currency) to ``credit_limit`` with the
        company's credit check switched on, the terms to a payment term
        (found, or made from the days and 'end of month' they said). The old
        columns are dropped once copied. Nothing to do on a new database."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT column_name FROM information_schema.columns"
                " WHERE table_name = 'res_partner' AND column_name IN %s",
                LEGACY_CREDIT_COLUMNS,
            )
        )
        present = {name for (name,) in cr.fetchall()}
        if "logistics_credit_limit" not in present:
            return 0
        column = {
            name: SQL.identifier(name) if name in present else SQL("NULL")
            for name in LEGACY_CREDIT_COLUMNS
        }
        cr.execute(
            SQL(
                """
                SELECT id, %(limit)s, %(currency)s, %(terms)s, %(days)s
                  FROM res_partner
                 WHERE COALESCE(%(limit)s, 0) > 0
                    OR COALESCE(%(terms)s, '') != ''
                    OR %(days)s IS NOT NULL
                """,
                limit=column["logistics_credit_limit"],
                currency=column["logistics_credit_currency_id"],
                terms=column["logistics_payment_terms"],
                days=column["logistics_payment_term_days"],
            )
        )
        rows = cr.fetchall()
        Partner = self.env["res.partner"].sudo()
        Currency = self.env["res.currency"]
        companies = self.env["res.company"]
        term_cache = {}
        for partner_id, limit, currency_id, terms, days in rows:
            partner = Partner.browse(partner_id)
            company = partner.company_id or self.env.company
            vals = {}
            if limit:
                currency = (
                    Currency.browse(currency_id) if currency_id else company.currency_id
                )
                vals["credit_limit"] = currency._convert(
                    limit, company.currency_id, company, fields.Date.context_today(self)
                )
                companies |= company
            term = self._payment_term_for(terms, days, company, term_cache)
            if term:
                vals["property_payment_term_id"] = term.id
            if vals:
                partner.with_company(company).write(vals)
        companies.sudo().write({"account_use_credit_limit": True})
        for name in present:
            cr.execute(
                SQL("ALTER TABLE res_partner DROP COLUMN %s", SQL.identifier(name))
            )
        return len(rows)

    @api.model
    def _payment_term_for(self, terms, days, company, cache):
        """The payment term the old text and days meant, e.g. '45 days end of
        month': an existing one with the same single due line, or a new one."""
        text = (terms or "").lower()
        if days is None:
            found = re.search(r"\d+", text)
            if not found:
                return None
            days = int(found.group())
        delay_type = "days_after_end_of_month" if "month" in text else "days_after"
        key = (days, delay_type, company.id)
        if key not in cache:
            Term = self.env["account.payment.term"].sudo()
            candidates = Term.search(
                [
                    ("company_id", "in", (False, company.id)),
                    ("line_ids.nb_days", "=", days),
                    ("line_ids.delay_type", "=", delay_type),
                ]
            )
            term = candidates.filtered(lambda t: len(t.line_ids) == 1)[:1]
            if not term:
                name = (
                    self.env._("%(days)s Days after End of Month", days=days)
                    if delay_type == "days_after_end_of_month"
                    else self.env._("%(days)s Days", days=days)
                )
                term = Term.create(
                    {
                        "name": name,
                        "company_id": company.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "value": "percent",
                                    "value_amount": 100.0,
                                    "nb_days": days,
                                    "delay_type": delay_type,
                                }
                            )
                        ],
                    }
                )
            cache[key] = term
        return cache[key]
