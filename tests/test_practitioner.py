"""Issue 23: the practitioner's finish. Small truths the tool tells, and a replay that keeps the case."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ROOT, Cli


def test_a_record_replayed_keeps_its_case_reference(cli: Cli, tmp_path: Path) -> None:
    record = tmp_path / "r.json"
    first = cli("walk", "appendix-4", "--answers", "yes,no,yes,high", "--case-ref", "CR-1", "--record", str(record))
    assert first.exit_code == 0, first.stderr
    replay = ["walk", "appendix-4", "--answers-file", str(record), "--format", "json"]
    assert json.loads(cli(*replay).stdout)["case_ref"] == "CR-1"
    # One given on the command line still wins.
    assert json.loads(cli(*replay, "--case-ref", "CR-2").stdout)["case_ref"] == "CR-2"


def test_paths_with_a_limit_says_how_many_routes_there_are(cli: Cli) -> None:
    out = cli("paths", "appendix-4", "--limit", "2").stdout
    assert "12 routes (the first 2 shown)" in " ".join(out.split())


def test_a_flow_without_indicators_says_so(cli: Cli) -> None:
    result = cli("indicators", "solihull")
    assert result.exit_code == 0 and result.stdout == ""
    assert "solihull-threshold offers no indicators to tick" in result.stderr


def test_guidance_titles_never_say_section_appendix(cli: Cli) -> None:
    out = cli("guidance").stdout + cli("guidance", "appendix-5").stdout
    assert "(Appendix 5)" in " ".join(out.split()) and "section Appendix" not in out


def test_force_names_every_file_it_overwrites(cli: Cli) -> None:
    help_text = " ".join(cli("walk", "--help").stdout.split())
    assert "Overwrite --output, --record, --email-draft or --calendar if it exists." in help_text


def test_show_points_to_flows_md_where_it_is(cli: Cli) -> None:
    out = " ".join(cli("show", "appendix-4").stdout.split())
    assert "tests/data/protocol/FLOWS.md in this tool's repository" in out  # where a clone has it (issue 29)
    assert (ROOT / "tests" / "data" / "protocol" / "FLOWS.md").is_file()


def test_indicators_json_for_a_flow_without_any_is_an_empty_list(cli: Cli) -> None:
    assert json.loads(cli("indicators", "solihull", "--format", "json").stdout)["indicators"] == []


README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_exit_code_table_is_what_walk_does(cli: Cli, tmp_path: Path, flows: Path) -> None:
    table = README.split("Exit codes of `walk`:", 1)[1].split("\n\n", 2)[1]
    codes = {row.split("|")[1].strip(" `"): row for row in table.splitlines()[2:]}
    assert set(codes) == {"0", "2", "3", "4", "130"}
    answers = ["walk", "appendix-4", "--answers", "yes,no,yes,high"]
    assert cli(*answers).exit_code == 0
    for option, path in (("--record", "r.json"), ("--email-draft", "x.eml"), ("--calendar", "c.ics")):
        assert cli(*answers, option, str(tmp_path / "missing" / path)).exit_code == 2, option
    (flows / "appendix-4.yaml").write_text("id: [", encoding="utf-8")
    assert cli(*answers, "--flows-dir", str(flows)).exit_code == 3


def test_validate_on_a_lone_flow_file_reports_its_own_errors(cli: Cli, tmp_path: Path, flows: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text((flows / "appendix-4.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    clean = cli("validate", str(mine))
    assert "unreadable" not in clean.stdout + clean.stderr
    assert "[bundled-contacts]" in clean.stdout and "error" not in clean.stdout
    text = mine.read_text(encoding="utf-8").replace("next: other-children", "next: nowhere", 1)
    mine.write_text(text, encoding="utf-8")
    broken = cli("validate", str(mine), "--format", "json")
    rules = {finding["rule"] for finding in json.loads(broken.stdout)["findings"]}
    assert broken.exit_code == 1 and rules == {"bundled-contacts", "missing-node", "unreachable"}
    # A contact the bundled file does not have is still reported, as unresolved.
    mine.write_text(text.replace("contacts: [contact-service]", "contacts: [no-such-service]", 1), encoding="utf-8")
    assert "unknown-contact" in cli("validate", str(mine)).stdout
