"""Write the demo forum's surveys from the rows below: this year's, ``parent-survey-2026.xlsx``,
and last year's edition, ``parent-survey-2025.xlsx`` (the same survey without the question on
part-time timetables, which was new in 2026).

The workbooks are committed beside this script so a chair can open them in Excel as examples of
an XLSForm; this script is their source. Run it after changing a row:

    python resources/demo/make_demo_survey.py

(``tests/core/test_demo.py`` checks the committed workbooks still match these rows.)
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

WORKBOOK = "parent-survey-2026.xlsx"
LAST_YEAR_WORKBOOK = "parent-survey-2025.xlsx"
EN = "label::English (en)"
PL = "label::Polski (pl)"
HINT = "hint::English (en)"
HINT_PL = "hint::Polski (pl)"

SURVEY_HEADER = [
    "type",
    "name",
    EN,
    PL,
    HINT,
    HINT_PL,
    "required",
    "relevant",
    "constraint",
    "constraint_message::English (en)",
    "appearance",
    "parameters",
]

_REQUIRED_COLUMNS = {name: i for i, name in enumerate(SURVEY_HEADER)}


def row(type_: str, name: str, label: str = "", **columns: str) -> list[str]:
    """One survey row; keyword names are the header names with ``::`` and spaces as ``_``."""
    cells = [""] * len(SURVEY_HEADER)
    cells[0], cells[1], cells[2] = type_, name, label
    keys = {
        "pl": PL,
        "hint": HINT,
        "hint_pl": HINT_PL,
        "constraint_message": "constraint_message::English (en)",
    }
    for key, value in columns.items():
        cells[_REQUIRED_COLUMNS[keys.get(key, key)]] = value
    return cells


SURVEY = [
    row(
        "note",
        "welcome",
        "Thank you for taking part. This survey is anonymous: please do not write names of "
        "children, staff or schools.",
        pl="Dziękujemy za udział. Ankieta jest anonimowa: prosimy nie podawać imion dzieci, "
        "pracowników ani nazw szkół.",
    ),
    row("begin_group", "about_child", "About your child", pl="O Twoim dziecku"),
    row(
        "select_one phase",
        "age_phase",
        "How old is your child, or which stage of education are they at?",
        pl="Ile lat ma Twoje dziecko lub na jakim etapie edukacji jest?",
        required="yes",
    ),
    row(
        "integer",
        "child_age",
        "Your child's age in years",
        pl="Wiek dziecka (w latach)",
        hint="Children and young people from 0 to 25.",
        hint_pl="Dzieci i młodzi ludzie w wieku od 0 do 25 lat.",
        constraint=". >= 0 and . <= 25",
        constraint_message="Enter an age from 0 to 25.",
    ),
    row(
        "select_multiple need_area",
        "need_areas",
        "What are your child's main areas of need?",
        pl="Jakie są główne obszary potrzeb Twojego dziecka?",
        hint="Tick all that apply.",
        hint_pl="Zaznacz wszystkie pasujące.",
        required="yes",
    ),
    row(
        "select_one support",
        "support",
        "What support does your child have?",
        pl="Jakie wsparcie ma Twoje dziecko?",
        required="yes",
    ),
    row(
        "select_one school_type",
        "school_type",
        "Where does your child learn at the moment?",
        pl="Gdzie obecnie uczy się Twoje dziecko?",
    ),
    row("end_group", "about_child"),
    row(
        "begin_group",
        "ehcp",
        "Your child's EHCP",
        pl="Plan EHCP Twojego dziecka",
        relevant="${support} = 'ehcp'",
    ),
    row(
        "select_one satisfaction",
        "ehcp_process",
        "How satisfied were you with the process of getting the EHCP?",
        hint="From the request for an assessment to the final plan.",
        required="yes",
    ),
    row(
        "select_one yes_no",
        "ehcp_in_time",
        "Was the final plan issued within 20 weeks?",
    ),
    row("end_group", "ehcp"),
    row("begin_group", "services", "Services and information"),
    row(
        "select_one satisfaction",
        "local_offer",
        "How satisfied are you with the Local Offer?",
        hint="The council's published information on services for children with SEND.",
    ),
    row(
        "select_one satisfaction",
        "services_satisfaction",
        "How satisfied are you with health services for your child?",
        hint="For example therapies, CAMHS, community paediatrics.",
    ),
    row(
        "range",
        "services_score",
        "Overall, how would you rate services for your child?",
        hint="0 means very poor, 10 means excellent.",
        parameters="start=0 end=10 step=1",
        required="yes",
    ),
    row(
        "select_multiple service",
        "waited_for",
        "Which services has your child waited more than 18 weeks for in the last year?",
        hint="Tick all that apply.",
        constraint="not(selected(., 'none') and count-selected(.) > 1)",
        constraint_message="“None of these” cannot be ticked together with a service.",
    ),
    row(
        "select_one yes_no",
        "part_time",
        "In the last year, has your child been on a part-time timetable or excluded?",
    ),
    row("end_group", "services"),
    row("begin_group", "your_words", "In your own words"),
    row(
        "text",
        "biggest_difference",
        "What would make the biggest difference to your family?",
        hint="Please do not write names of people or schools.",
        appearance="multiline",
    ),
    row(
        "text",
        "experience",
        "Tell us about your experience of getting support for your child.",
        hint="Please do not write names of people or schools.",
        appearance="multiline",
    ),
    row("end_group", "your_words"),
    row("begin_group", "consent", "Using your words", pl="Wykorzystanie Twoich słów"),
    row(
        "select_one yes_no",
        "consent_quote",
        "May we quote your words anonymously in our reports?",
        pl="Czy możemy anonimowo cytować Twoje słowa w naszych raportach?",
        required="yes",
    ),
    row(
        "select_one yes_no",
        "consent_share",
        "May we share your anonymised answers with inspectors (Ofsted and CQC)?",
        pl="Czy możemy przekazać Twoje zanonimizowane odpowiedzi inspektorom (Ofsted i CQC)?",
        required="yes",
    ),
    row("end_group", "consent"),
]

CHOICES_HEADER = ["list_name", "name", EN, PL]
CHOICES = [
    ["phase", "early_years", "Early years (0 to 4)", "Wczesne lata (0–4)"],
    ["phase", "primary", "Primary school age (5 to 11)", "Szkoła podstawowa (5–11)"],
    ["phase", "secondary", "Secondary school age (11 to 16)", "Szkoła średnia (11–16)"],
    ["phase", "post16", "Post-16 (16 to 19)", "Po 16. roku życia (16–19)"],
    ["phase", "adult", "Young adult (19 to 25)", "Młody dorosły (19–25)"],
    ["need_area", "communication", "Communication and interaction", "Komunikacja i interakcja"],
    ["need_area", "cognition", "Cognition and learning", "Poznanie i uczenie się"],
    [
        "need_area",
        "semh",
        "Social, emotional and mental health",
        "Zdrowie społeczne, emocjonalne i psychiczne",
    ],
    ["need_area", "sensory_physical", "Sensory and/or physical", "Zmysłowe i/lub fizyczne"],
    ["support", "ehcp", "An EHCP (Education, Health and Care plan)", "Plan EHCP"],
    ["support", "sen_support", "SEN support at school, without an EHCP", "Wsparcie SEN w szkole"],
    ["support", "none", "No extra support", "Brak dodatkowego wsparcia"],
    ["support", "not_sure", "Not sure", "Nie wiem"],
    ["school_type", "mainstream", "Mainstream school", ""],
    ["school_type", "resourced", "Resourced provision or unit in a mainstream school", ""],
    ["school_type", "special", "Special school (state-funded)", ""],
    ["school_type", "independent_special", "Independent special school", ""],
    ["school_type", "ap", "Alternative provision", ""],
    ["school_type", "college", "College or post-16 provider", ""],
    ["school_type", "early_years_setting", "Nursery or early years setting", ""],
    ["school_type", "home_educated", "Home educated", ""],
    ["school_type", "no_place", "No school place at the moment", ""],
    ["satisfaction", "1", "Very dissatisfied", ""],
    ["satisfaction", "2", "Dissatisfied", ""],
    ["satisfaction", "3", "Neither satisfied nor dissatisfied", ""],
    ["satisfaction", "4", "Satisfied", ""],
    ["satisfaction", "5", "Very satisfied", ""],
    ["service", "salt", "Speech and language therapy (SALT)", ""],
    ["service", "ot", "Occupational therapy (OT)", ""],
    ["service", "camhs", "CAMHS (mental health services)", ""],
    ["service", "ep", "Educational psychologist (EP)", ""],
    ["service", "none", "None of these", ""],
    ["yes_no", "yes", "Yes", "Tak"],
    ["yes_no", "no", "No", "Nie"],
]

SETTINGS_HEADER = ["form_title", "form_id", "version", "default_language"]
SETTINGS = [["Parent carer survey 2026", "parent-survey-2026", "2026-01", "English (en)"]]
LAST_YEAR_SETTINGS = [["Parent carer survey 2025", "parent-survey-2025", "2025-01", "English (en)"]]
NEW_IN_2026 = ("part_time",)


def write_workbook(path: Path, *, last_year: bool = False) -> Path:
    """Write the demo survey (or, with ``last_year``, its 2025 edition) as an XLSForm
    workbook at ``path``."""
    survey = [r for r in SURVEY if not (last_year and r[1] in NEW_IN_2026)]
    settings = LAST_YEAR_SETTINGS if last_year else SETTINGS
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in (
        ("survey", SURVEY_HEADER, survey),
        ("choices", CHOICES_HEADER, CHOICES),
        ("settings", SETTINGS_HEADER, settings),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in rows:
            sheet.append(values)
        for column, _ in enumerate(header):
            letter = sheet.cell(row=1, column=column + 1).column_letter
            width = max(len(str(r[column])) for r in [header, *rows])
            sheet.column_dimensions[letter].width = min(max(width, 8) + 2, 60)
        sheet.freeze_panes = "A2"
    fixed = datetime(2025 if last_year else 2026, 1, 5, 9, 0, 0)
    workbook.properties.creator = "forumkit"
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)
    return path


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent
    print(write_workbook(folder / WORKBOOK))
    print(write_workbook(folder / LAST_YEAR_WORKBOOK, last_year=True))
