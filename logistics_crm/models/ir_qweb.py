from lxml import etree

from odoo import models

# Context key of a batch that renders one inline template for many records.
COMPILE_MEMO = "logistics_qweb_compile_memo"


class IrQweb(models.AbstractModel):
    _inherit = "ir.qweb"

    def _compile(self, template):
        """Mail rendering hands QWeb the template body as a fresh element for
        every record, which QWeb compiles again each time: sending 100,000
        survey invitations compiled one body 100,000 times. Within a batch
        that asks for it (a memo dict in the context), one body is compiled
        once per language and rendering options."""
        memo = self.env.context.get(COMPILE_MEMO)
        if memo is None or not isinstance(template, etree._Element):
            return super()._compile(template)
        key = (
            etree.tostring(template),
            tuple(
                self.env.context.get(name) or False
                for name in self._get_template_cache_keys()
            ),
        )
        if key not in memo:
            memo[key] = super()._compile(template)
        return memo[key]
