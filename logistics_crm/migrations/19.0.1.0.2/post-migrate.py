from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Subscriptions belong to contacts now. The tier defaults used to be
    given to customer companies as well, so mails went to the company's
    generic address while its contacts' portal page showed nothing: the
    companies' rows go to their contacts. Contacts of customers that held
    nothing are left alone, they were never notified."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["logistics.notification.subscription"]._move_company_subscriptions_to_contacts()
