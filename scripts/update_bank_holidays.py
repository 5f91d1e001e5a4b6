"""Regenerate flows/reference/bank-holidays.json from the maintained `holidays` package.

The file is in GOV.UK's bank-holidays.json format, so a partnership may equally drop in the file
published at gov.uk/bank-holidays.json. Run: uv run python scripts/update_bank_holidays.py [FIRST LAST]
"""

import json
import sys
from pathlib import Path

from decision_trees.core.clock import HOLIDAY_SUBDIVISIONS, holidays_from_package

TARGET = Path(__file__).resolve().parent.parent / "flows" / "reference" / "bank-holidays.json"


def table(first: int, last: int) -> dict[str, object]:
    return {
        division: {
            "division": division,
            "events": [
                {"title": title, "date": day.isoformat(), "notes": "", "bunting": True}
                for year in range(first, last + 1)
                for day, title in sorted(holidays_from_package(division, year).items())
            ],
        }
        for division in HOLIDAY_SUBDIVISIONS
    }


if __name__ == "__main__":
    first, last = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (2020, 2032)
    TARGET.write_text(json.dumps(table(first, last), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {TARGET} ({first}-{last})")
