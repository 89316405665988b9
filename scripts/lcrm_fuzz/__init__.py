"""Long fuzz run of Logistics CRM's portal lists (atheris): python3 -m lcrm_fuzz."""
