"""What every report family's loader shares: a few salespeople and call
agents with their teams, the campaigns and the rate cards, through the ORM
(a handful of rows each), and how working hours count."""

from datetime import timedelta

from odoo import Command, fields

SALESPEOPLE = 8
AGENTS = 6
CAMPAIGNS = 6
# A working day of 8 hours spans a day of 24: hours of a response in
# working time, as elapsed time.
WALL_HOURS_PER_WORKING_HOUR = 3


def _staff(env):
    """Two sales teams of salespeople and a customer service team of call
    agents, through the ORM (users are Odoo's); the bench customers get
    account managers among the salespeople."""
    Users = env["res.users"].with_context(
        no_reset_password=True, mail_create_nolog=True, tracking_disable=True
    )
    salesman = env.ref("sales_team.group_sale_salesman")
    teams = env["crm.team"].create(
        [
            {"name": "Bench Key Accounts"},
            {"name": "Bench Field Sales"},
            {"name": "Bench Customer Service"},
        ]
    )

    def users(kind, count):
        return Users.create(
            [
                {
                    "name": f"Bench {kind} {number}",
                    "login": f"bench.{kind.lower()}.{number}",
                    "group_ids": [Command.link(salesman.id)],
                }
                for number in range(1, count + 1)
            ]
        )

    sales, agents = users("Salesperson", SALESPEOPLE), users("Agent", AGENTS)
    sales_teams = [teams[index % 2].id for index in range(len(sales))]
    env["crm.team.member"].create(
        [
            {"crm_team_id": team, "user_id": user}
            for user, team in zip(sales.ids, sales_teams, strict=True)
        ]
        + [{"crm_team_id": teams[2].id, "user_id": user} for user in agents.ids]
    )
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner SET account_manager_id = (%s::int[])[1 + id %% %s]
         WHERE name LIKE 'Bench Customer %%'
        """,
        (sales.ids, len(sales)),
    )
    return {
        "sales": sales.ids,
        "sales_teams": sales_teams,
        "agents": agents.ids,
        "agent_team": teams[2].id,
    }


def _campaigns(env, staff):
    """A few marketing campaigns (the leads' and bookings' UTM campaign)."""
    campaigns = env["utm.campaign"].create(
        [
            {
                "title": f"Bench Campaign {number}",
                "user_id": staff["sales"][number % len(staff["sales"])],
                "logistics_cost": 5_000.0 * number,
            }
            for number in range(1, CAMPAIGNS + 1)
        ]
    )
    return campaigns.ids


def _rate_cards(env):
    """A public tariff per transport mode, one line each: what the quote
    requests priced at once were priced from. Mode -> line id."""
    Card = env["logistics.rate.card"].with_context(
        tracking_disable=True, mail_create_nolog=True
    )
    modes = [mode for mode, _label in Card._fields["mode"].selection]
    china, netherlands = env.ref("base.cn").id, env.ref("base.nl").id
    cards = Card.create(
        [
            {
                "name": f"Bench Tariff {mode}",
                "mode": mode,
                "date_start": fields.Date.today() - timedelta(days=3 * 365),
                "line_ids": [
                    Command.create(
                        {
                            "origin_country_id": china,
                            "destination_country_id": netherlands,
                            "rate_basis": "kg",
                            "rate": 2.5,
                        }
                    )
                ],
            }
            for mode in modes
        ]
    )
    return {card.mode: card.line_ids.id for card in cards}
