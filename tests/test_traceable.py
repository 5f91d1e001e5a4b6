"""Issue 21: every sentence traceable. What public pages add to a contact, kept apart from checks;
the advice route by route; and the safety invariants that `validate` enforces."""

from __future__ import annotations

import pytest

from .conftest import Cli

SATURDAY = "2026-11-28T10:00"
TREATMENT = ["icas", "specialist-drug-service", "community-drug-service", "camden-recovery-service"]

# 2. What public sources add.


@pytest.mark.parametrize("answers", ["Yes", "No,Yes", "No,No,Yes", "No,No,No"])
@pytest.mark.parametrize("now", ["2026-11-23T14:30", SATURDAY])
def test_every_appendix_3_summary_says_the_treatment_services_may_have_changed(
    cli: Cli, answers: str, now: str
) -> None:
    summary = cli.walk_json("appendix-3", answers, now=now)
    shown = {c["id"]: c for c in [*summary["contacts"], *summary["advice"]["contacts"]]}
    for service in TREATMENT:
        if service in shown:
            said = " ".join(shown[service]["corroboration"])
            assert "press report" in said and "23 June 2022" in said and "12 July 2024" in said
            assert "may no longer take referrals under this name and number" in said
            assert shown[service]["check_status"] == "not-checked"  # a press report is not a check


def test_appendix_3_lists_the_treatment_services_with_the_caution_in_every_form(cli: Cli) -> None:
    for form in ("text", "markdown"):
        out = cli("walk", "appendix-3", "--answers", "No,Yes", "--now", SATURDAY, "--format", form).stdout
        flat = " ".join(out.split())
        assert flat.count("may no longer take referrals under this name and number") == 4, form


def test_camden_pages_corroborate_the_contact_service_but_are_not_a_check(cli: Cli) -> None:
    summary = cli.walk_json("appendix-4", "yes,no,yes,high")
    service = next(c for c in summary["contacts"] if c["id"] == "contact-service")
    said = " ".join(service["corroboration"])
    assert "https://www.camden.gov.uk/safeguarding-children" in said and "date unknown" in said
    assert "LBCMASHadmin@camden.gov.uk" in said
    assert "not a check against a current directory" in said
    assert service["check_status"] == "not-checked" and service["checked"] is None
    assert service["hours_assumed"] is True  # a page not at the council's address settles no hours


def test_the_contacts_command_shows_the_corroboration(cli: Cli) -> None:
    out = " ".join(cli("contacts").stdout.split())
    assert "A web page, “Safeguarding children”, at https://www.camden.gov.uk/safeguarding-children" in out
