"""The disclosure periods a new platform starts with (the national administrator
edits them and adds each new year's).

(year disclosed, filer group, opens on, due on, legal source). Agencies and
public institutions publish the previous year's figures by 31 March; large
enterprises report them in their annual report on the National Enterprise
Credit Information Publicity System, 1 January – 30 June (DOMAIN.md §2).
"""

from datetime import date

REGS_2020 = "《保障中小企业款项支付条例》（国务院令第728号）第十六条"
REGS_2025 = "《保障中小企业款项支付条例》（国务院令第802号，2025年6月1日起施行）第十八条"

DEFAULT_REMIND_BEFORE = 10  # working days before the due date
DEFAULT_REMIND_AFTER = 5  # working days after it
DEFAULT_TOLERANCE_FEN = 0
DEFAULT_TOLERANCE_PERCENT = "1.00"

DEFAULT_PERIODS = [
    # 2024's figures: agencies' deadline fell under the 2020 text; the annual
    # report window ran across the revision's entry into force on 2025-06-01.
    (2024, "public", date(2025, 1, 1), date(2025, 3, 31), REGS_2020),
    (2024, "enterprise", date(2025, 1, 1), date(2025, 6, 30), f"{REGS_2020}；{REGS_2025}"),
    (2025, "public", date(2026, 1, 1), date(2026, 3, 31), REGS_2025),
    (2025, "enterprise", date(2026, 1, 1), date(2026, 6, 30), REGS_2025),
]
