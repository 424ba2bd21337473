"""The indicators of the report's summary: what `megler goal set` takes as NAME.

Kept apart from the SQL so that `megler goal --help` can list them without
importing the database libraries.
"""

# The indicators a goal can be set for, in the order the summary shows them.
INDICATORS = {
    "visits": "visits in the period (all kinds)",
    "orgs_visited": "organisations met at least once in the period",
    "new_orgs": "organisations met for the first time ever",
    "companies_without_rd": "companies met that had no R&D experience",
    "first_rd_projects": "companies whose first R&D project was applied for or granted in the period",
    "needs": "needs found in the period",
    "referrals": "referrals made in the period",
    "rd_referrals": "referrals made in the period for R&D needs",
    "applications": "applications submitted in the period (referrals that became applied)",
    "funding_granted_nok": "NOK granted in the period (funding mobilised)",
    "funding_granted_sek": "SEK granted in the period (funding mobilised)",
    "participants": "participants on referrals enrolled or completed in the period",
}
