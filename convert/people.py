"""Whether a name found in a byline is a person's: a desk, a placeholder or a company is not."""

from __future__ import annotations

import re

# Words that name a desk, a role or a placeholder, never a person: "Redaktion", "Redacción EC", "Staff",
# "Admin", a theme's "publisher", a picture credit ("Foto: …", "zvg", Swiss "zur Verfügung gestellt"). In the
# languages of the pages we see most. Not "News" or "Press": a site that names itself as the author
# ("BBC News") is its byline as Reader View shows it, and the citation prints it as an organisation.
_DESK_WORDS = frozenset(
    """redaktion redaction rédaction redacción redaccion redazione redactie redação redacao staff admin
    administrator administrateur webmaster editor editors editorial newsroom desk team publisher herausgeber
    anonymous anonym unknown zvg agency agencies agenturen agencias agences reports foto fotos photo photos
    фото unbenannt untitled unnamed""".split()  # noqa: SIM905 (a word list reads best as words)
)
# "BBNTEAM", "Webteam", "Redaktionsteam"; not "Steam".
_TEAM_WORD = 7
# A company's legal form ("bergportal GmbH", "Perform Media Deutschland GmbH"): a company, not a person.
_LEGAL_FORMS = frozenset("gmbh ag kg ug ev inc ltd llc plc corp sa sas sarl srl bv nv".split())  # noqa: SIM905


# A label ("Fotos: EL HERALDO/ AFP"), a source ("wien.ORF.at/Agenturen") or a domain ("kath.net").
_NOT_IN_A_NAME = re.compile(r"[:/]|\w\.[a-z]{2,}\b")


def is_person(name: str) -> bool:
    """False for a desk or placeholder ("Redaktion", "Admin", "BBNTEAM", "revamp-it Webteam", "Red."),
    a company by its legal form ("… GmbH"), a web address, a label or no letters at all; True for anything else."""
    if re.match(r"(?:https?://|www\.)", name.strip(), re.IGNORECASE) or _NOT_IN_A_NAME.search(name):
        return False
    if not re.search(r"[^\W\d_]", name):  # a date's day ("8. Januar 2020" cut at its month), a number
        return False
    words = _words(name)
    if words in (["red"], ["anon"], ["name"]):  # "Red." ("Redaktion"); a comment form's "Name"
        return False
    if any(w in _DESK_WORDS or (w.endswith(("team", "desk")) and len(w) >= _TEAM_WORD) for w in words):
        return False  # "Webteam", "Newsdesk"
    return not _legal_form(words)


def is_company(name: str) -> bool:
    """A company named with its legal form ("bergportal GmbH", "Olympia-Verlag GmbH")."""
    return _legal_form(_words(name))


def _words(name: str) -> list[str]:
    """A name's words, casefolded; an abbreviation with its dots ("e.V.") is one word."""
    return [w.casefold() for w in re.findall(r"\w+(?:\.\w+)*", name)]


def _legal_form(words: list[str]) -> bool:
    return any(w.replace(".", "") in _LEGAL_FORMS for w in words[1:])


def name_case(name: str) -> str:
    """A person's name written in capitals ("MORITZ GATHMANN", a byline's style) as names are written
    ("Moritz Gathmann"), which citation styles then invert and initial; any other name as it is."""
    words = name.split()
    if len(words) < 2 or not name.isupper() or any(len(w.strip(".")) < 2 for w in words):
        return name
    return name.title()
