"""User-facing, translated messages for the stable error codes of the pure
rule modules (which stay free of Django and speak English to the CLI)."""

from datetime import date, timedelta

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qingqian.core.interest import Note, RateBasis, percent
from qingqian.core.money import format_yuan
from qingqian.core.sizeclass import standards
from qingqian.core.uscc import UsccResult

USCC_MESSAGES = {
    "empty": _("Enter the unified social credit code."),
    "wrong_length": _("A unified social credit code has exactly 18 characters."),
    "forbidden_letter": _("The letters I, O, Z, S and V never appear in a credit code."),
    "invalid_character": _("The code contains a character that credit codes never use."),
    "region_not_numeric": _("Characters 3 to 8 must be the 6-digit region code."),
    "unknown_province": _("Characters 3 and 4 do not name a known province."),
    "check_digit": _("The last character (check digit) does not match: please check the code."),
    "org_check_digit": _(
        "The organisation code inside (characters 9 to 17) fails its check digit."
    ),
}


# The coverage rule of `core.coverage`, as every page states it (help texts and
# refusals alike): one wording, so that no page says it otherwise.
COVERAGE_RULE = _(
    "The Regulations cover debts owed to SMEs by government agencies, public institutions "
    "and large enterprises; a state-owned enterprise is covered when it is large, "
    "not when it is an SME."
)


def uscc_error_message(result: UsccResult) -> str:
    return str(USCC_MESSAGES.get(result.reason_code, result.reason))


def yuan(fen) -> str:
    """Integer fen as yuan in the current language (¥1,234.56 / CNY 1,234.56); "—" for none."""
    if fen is None or fen == "":
        return "—"
    return format_yuan(int(fen), "zh-CN" if _in_chinese() else "en")


def interest_basis_label(basis: RateBasis, signed_on: date | None) -> str:
    """The rate basis of an overdue-interest result in the current language (the
    pure rule's own explanation is English, for the CLI and the API)."""
    if basis.kind == "statutory":
        return str(
            _("statutory 0.05% per day: no agreed rate (Regulations 2020 Art. 15 / 2025 Art. 17)")
        )
    values = {
        "agreed": percent(basis.annual_percent),
        "lpr": percent(basis.lpr_percent),
        "signed": signed_on.isoformat() if signed_on else "—",
    }
    if basis.kind == "agreed_raised_to_lpr":
        text = _(
            "agreed %(agreed)s a year, raised to the one-year LPR of %(lpr)s in force on the "
            "signing date %(signed)s (Regulations Art. 15/17); daily rate = annual / 365"
        )
    else:
        text = _(
            "agreed %(agreed)s a year, not below the one-year LPR of %(lpr)s in force on the "
            "signing date %(signed)s; daily rate = annual / 365"
        )
    return text % values


INTEREST_NOTES = {
    "signed_before_regulations": _(
        "The contract was signed on %(signed_on)s, before the Regulations took effect on "
        "%(start)s: they are not retroactive and courts split on applying this rate."
    ),
    "due_before_regulations": _(
        "The due date %(due_date)s is before the Regulations took effect on %(start)s, so the "
        "contract was probably signed before them: give the signing date."
    ),
    "payment_after_end": _(
        "A payment of %(amount)s on %(day)s is after %(end_date)s and is not counted."
    ),
}
ACCRUAL_OPTIONS = {
    True: _("Interest accrues from %(start)s at the earliest, as requested."),
    False: _("Interest is not limited to accrue from %(start)s."),
}


def interest_note_label(note: Note) -> str:
    """An overdue-interest warning in the current language."""
    values = {key: str(value) for key, value in note.values.items()}
    if "fen" in note.values:
        values["amount"] = yuan(note.values["fen"])
    text = INTEREST_NOTES[note.code] % values
    if "from_start" in note.values:
        text = f"{text} {ACCRUAL_OPTIONS[note.values['from_start']] % values}"
    return text


INTEREST_FIELDS = {
    "principal_fen": _("amount owed"),
    "due_date": _("due date"),
    "end_date": _("date interest is counted to"),
    "signed_on": _("contract signing date"),
    "agreed_annual_rate": _("agreed annual rate"),
    "lpr": _("one-year LPR table"),
    "payment": _("payment %(index)s"),
    "payment_date": _("date of payment %(index)s"),
    "payment_amount": _("amount of payment %(index)s"),
}
INTEREST_ERRORS = {
    "not_whole_fen": _("enter an amount in yuan with at most 2 decimals"),
    "zero_or_more": _("enter an amount of zero or more"),
    "more_than_zero": _("enter an amount of more than zero"),
    "not_a_date": _("enter a date like 2026-10-01"),
    "rate_float": _("enter the rate as a number, in percent a year"),
    "rate_not_number": _("enter the rate as a number, in percent a year"),
    "rate_range": _("enter a percent from 0 to under 100"),
    "signed_on_needed": _(
        "an agreed rate needs the contract signing date: the rate may not be below "
        "the one-year LPR in force on that date"
    ),
    "lpr_before_first": _(
        "no one-year LPR was published before %(first)s, so none applies on %(day)s"
    ),
    "lpr_empty": _("no one-year LPR fixings are entered: enter them in the reference data"),
    "lpr_twice": _("two rates are entered for the same date"),
    "lpr_rate": _("the rate of %(day)s must be a percent between 0 and 100"),
    "payment_pair": _("give the payment's date and amount"),
    "payment_over_principal": _(
        "%(amount)s paid on %(day)s is more than the %(outstanding)s still outstanding"
    ),
}


def interest_error_label(error) -> str:
    """Why overdue interest cannot be computed (`interest.InterestError`), in the
    current language, naming the field at fault."""
    if error.code not in INTEREST_ERRORS:
        return str(error)
    values = {key: str(value) for key, value in error.values.items()}
    if "fen" in error.values:
        values["amount"] = yuan(error.values["fen"])
        values["outstanding"] = yuan(error.values["outstanding"])
    problem = INTEREST_ERRORS[error.code] % values
    if "index" not in values and error.field.startswith("payment"):
        field = _("payments")  # the payment at fault is one of several, in date order
    else:
        field = str(INTEREST_FIELDS[error.field]) % values
    return _("%(field)s: %(problem)s") % {"field": field, "problem": problem}


def _in_chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def industry_label(industry) -> str:
    """The industry's name in the current language."""
    return industry.zh if _in_chinese() else industry.en


def deadline_rule_label(
    start: date, due_on: date, *, working_days: int | None = None, days: int | None = None
) -> str:
    """How a due date was reached, in the current language, from the same facts
    `workdays.compute_deadline` used (its stored rule text is the English record)."""
    values = {"start": start.isoformat(), "count": working_days if days is None else days}
    if days is None:
        return (
            _(
                "%(count)s working days after %(start)s, counted from the next day "
                "(Civil Code Art. 201)."
            )
            % values
        )
    label = (
        _("%(count)s days after %(start)s, counted from the next day (Civil Code Art. 201).")
        % values
    )
    nominal = start + timedelta(days=days)
    if days and due_on != nominal:
        label += " " + _(
            "%(nominal)s is not a working day: the deadline is the next working day "
            "(Civil Code Art. 203)."
        ) % {"nominal": nominal.isoformat()}
    return label


SIZE_LINES = {
    "large": _("large-enterprise line"),
    "medium": _("medium-enterprise floor"),
    "small": _("small-enterprise floor"),
}
SIZE_MEASURES = {
    "staff": _("staff"),
    "revenue": _("revenue (10,000 yuan)"),
    "assets": _("total assets (10,000 yuan)"),
}
SIZE_ERRORS = {
    "missing_measure": _("The size class cannot be computed: %(measure)s is missing."),
    "unknown_industry": _(
        "The size class cannot be computed: the industry is not in the standard."
    ),
    "no_standard": _(
        "The size class cannot be computed: no size standard was in force on the signing date."
    ),
}


def size_reason_label(basis: dict) -> str:
    """How a size class was reached (`sizeclass.classify`'s steps, stored as data),
    in the current language; "" for a basis not recorded."""
    if "error" in basis:
        message = SIZE_ERRORS.get(
            basis["error"], _("The size class cannot be computed from the enterprise's facts.")
        )
        return message % {"measure": SIZE_MEASURES.get(basis.get("measure"), "")}
    if not basis:
        return ""
    return _("%(industry)s, under %(standard)s: %(steps)s") % {
        "industry": _industry_name(basis["standard"], basis["industry"]),
        "standard": basis["standard"],
        "steps": _("; ").join(_size_step(step) for step in basis["steps"]),
    }


def _industry_name(standard_id: str, industry_id: str) -> str:
    for standard in standards():
        if standard.id == standard_id and industry_id in standard.industries:
            return industry_label(standard.industries[industry_id])
    return industry_id


def _size_step(step: dict) -> str:
    operator = "≥" if step["met"] else "<"
    compared = _(", ").join(
        f"{SIZE_MEASURES[measure]} {value} {operator} {line}"
        for measure, value, line in step["comparisons"]
    )
    template = (
        _("meets the %(line)s (%(compared)s)")
        if step["met"]
        else _("below the %(line)s (%(compared)s)")
    )
    return template % {"line": SIZE_LINES[step["tier"]], "compared": compared}


SCHEDULE_FIELDS = {"date": _("date"), "kind": _("kind"), "name": _("name")}
SCHEDULE_PROBLEMS = {
    "field_count": _(
        "expected three columns (date, kind, name), found %(count)s; separate them with commas"
    ),
    "not_a_date": _("“%(value)s” is not a date; write it like 2026-10-01"),
    "unknown_kind": _(
        "“%(value)s” is not a kind; write holiday (or 休) for a day off, "
        "workday (or 班) for a weekend day worked"
    ),
    "name_too_long": _("the name is longer than %(limit)s characters"),
    "weekday_workday": _(
        "%(date)s is a weekday: a make-up working day must be a Saturday or Sunday"
    ),
    "duplicate": _("%(date)s is listed twice (first at %(first)s)"),
    "no_rows": _("the file has no calendar rows"),
}


def schedule_problem_label(problem) -> str:
    """A bad schedule row (`workdays.ScheduleProblem`) in the current language,
    naming its line (or row) and the column at fault."""
    values = {key: str(value) for key, value in problem.values.items()}
    if problem.code == "duplicate":
        values["first"] = _schedule_reference(problem, values["first"])
    text = SCHEDULE_PROBLEMS[problem.code] % values
    if problem.line is None and problem.row is None:
        return text
    if problem.line is not None:
        where = _("Line %(number)s") % {"number": problem.line}
    else:
        where = _("Row %(number)s") % {"number": problem.row}
    if not problem.field:
        return _("%(where)s: %(problem)s") % {"where": where, "problem": text}
    return _("%(where)s, %(field)s: %(problem)s") % {
        "where": where,
        "field": SCHEDULE_FIELDS[problem.field],
        "problem": text,
    }


def _schedule_reference(problem, number) -> str:
    if problem.line is not None:
        return _("line %(number)s") % {"number": number}
    return _("row %(number)s") % {"number": number}


CHINESE_NUMERALS = "〇一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1..99 in Chinese numerals, as article numbers are written (第十七条)."""
    tens, ones = divmod(number, 10)
    if not tens:
        return CHINESE_NUMERALS[ones]
    prefix = "" if tens == 1 else CHINESE_NUMERALS[tens]
    return f"{prefix}十{CHINESE_NUMERALS[ones] if ones else ''}"
