"""The EU AI Act classification (Regulation (EU) 2024/1689), as data and one pure rule.

The questionnaire (reference section 3.1): does the system fall under a prohibited practice
of Art. 5(1) (a)-(h); is it a safety component under Annex I; which Annex III point, if
any; does it profile natural persons; which Art. 6(3) condition applies; does Art. 50
(transparency) apply. `derive_tier` gives the tier and the sentences explaining it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ART5_PRACTICES: dict[str, str] = {
    "a": "subliminal, purposefully manipulative or deceptive techniques that materially "
    "distort behaviour and cause significant harm",
    "b": "exploiting vulnerabilities due to age, disability or a specific social or economic "
    "situation",
    "c": "social scoring leading to detrimental or unfavourable treatment",
    "d": "risk assessments predicting that a natural person will commit a criminal offence, "
    "based solely on profiling or personality traits",
    "e": "creating or expanding facial recognition databases through the untargeted scraping "
    "of facial images from the internet or CCTV footage",
    "f": "inferring emotions of a natural person in the areas of workplace and education "
    "institutions (except for medical or safety reasons)",
    "g": "biometric categorisation to deduce or infer race, political opinions, trade union "
    "membership, religious or philosophical beliefs, sex life or sexual orientation",
    "h": "'real-time' remote biometric identification in publicly accessible spaces for law "
    "enforcement",
}

ANNEX_III_POINTS: dict[str, str] = {
    "1a": "1(a) Biometrics: remote biometric identification",
    "1b": "1(b) Biometrics: biometric categorisation according to sensitive attributes",
    "1c": "1(c) Biometrics: emotion recognition",
    "2": "2 Critical infrastructure: safety components (digital infrastructure, road traffic, "
    "water, gas, heating, electricity)",
    "3a": "3(a) Education: access, admission or assignment to institutions",
    "3b": "3(b) Education: evaluating learning outcomes",
    "3c": "3(c) Education: assessing the appropriate level of education",
    "3d": "3(d) Education: monitoring prohibited behaviour of students during tests",
    "4a": "4(a) Employment: recruitment or selection",
    "4b": "4(b) Employment: decisions on terms, promotion, termination; task allocation; "
    "monitoring performance",
    "5a": "5(a) Essential services: eligibility for public assistance benefits and services",
    "5b": "5(b) Essential services: creditworthiness or credit score of natural persons "
    "(except detecting financial fraud)",
    "5c": "5(c) Essential services: risk assessment and pricing in life and health insurance",
    "5d": "5(d) Essential services: emergency calls, dispatch, patient triage",
    "6a": "6(a) Law enforcement: risk of becoming the victim of criminal offences",
    "6b": "6(b) Law enforcement: polygraphs or similar tools",
    "6c": "6(c) Law enforcement: reliability of evidence",
    "6d": "6(d) Law enforcement: risk of offending or re-offending",
    "6e": "6(e) Law enforcement: profiling in detection, investigation or prosecution",
    "7a": "7(a) Migration: polygraphs or similar tools",
    "7b": "7(b) Migration: risk posed by a person entering a Member State",
    "7c": "7(c) Migration: examination of applications for asylum, visa or residence permits",
    "7d": "7(d) Migration: detecting, recognising or identifying natural persons",
    "8a": "8(a) Justice: assisting a judicial authority",
    "8b": "8(b) Democratic processes: influencing an election, referendum or voting behaviour",
}

ART6_3_CONDITIONS: dict[str, str] = {
    "none": "None of the Art. 6(3) conditions applies",
    "a": "(a) the AI system is intended to perform a narrow procedural task",
    "b": "(b) it is intended to improve the result of a previously completed human activity",
    "c": "(c) it detects decision-making patterns or deviations without replacing or "
    "influencing the previous human assessment without proper human review",
    "d": "(d) it performs a preparatory task to an assessment relevant for Annex III",
}

QUESTION_KEYS = (
    "art5_practices",
    "annex_i_safety_component",
    "annex_iii_point",
    "profiles_natural_persons",
    "art6_3_condition",
    "art50_transparency",
)


@dataclass(frozen=True)
class Derived:
    tier: str
    reasons: tuple[str, ...]
    art50_transparency: bool


class AnswerError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _bool(raw: dict, key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise AnswerError(key, f"{key}: true or false.")
    return value


def normalize_answers(raw: Any) -> dict[str, Any]:
    """The answers in their one stored form, or AnswerError naming the field."""
    if not isinstance(raw, dict):
        raise AnswerError("non_field_errors", "The answers must be a JSON object.")
    unknown = sorted(str(k)[:50] for k in raw if k not in QUESTION_KEYS)
    if unknown:
        raise AnswerError(unknown[0], f"Unknown question “{unknown[0]}”.")
    practices = raw.get("art5_practices", [])
    if not isinstance(practices, list) or not all(isinstance(p, str) for p in practices):
        raise AnswerError("art5_practices", "art5_practices: a list of letters a to h.")
    bad = [p for p in practices if p not in ART5_PRACTICES]
    if bad:
        raise AnswerError(
            "art5_practices", f"art5_practices: “{bad[0][:10]}” is not one of a to h of Art. 5(1)."
        )
    point = raw.get("annex_iii_point", "")
    if point is None:
        point = ""
    if not isinstance(point, str) or (point and point not in ANNEX_III_POINTS):
        raise AnswerError(
            "annex_iii_point",
            "annex_iii_point: empty (none) or one of " + ", ".join(ANNEX_III_POINTS) + ".",
        )
    condition = raw.get("art6_3_condition", "none")
    if not isinstance(condition, str) or condition not in ART6_3_CONDITIONS:
        raise AnswerError("art6_3_condition", "art6_3_condition: one of none, a, b, c, d.")
    return {
        "art5_practices": sorted(set(practices)),
        "annex_i_safety_component": _bool(raw, "annex_i_safety_component"),
        "annex_iii_point": point,
        "profiles_natural_persons": _bool(raw, "profiles_natural_persons"),
        "art6_3_condition": condition,
        "art50_transparency": _bool(raw, "art50_transparency"),
    }


def derive_tier(answers: dict[str, Any]) -> Derived:
    """The tier the answers give, with the sentences saying why, by the reference's rule:
    Art. 5 => unacceptable; Annex I safety component => high; an Annex III point => high,
    unless an Art. 6(3) condition applies and the system does not profile natural persons
    (a system that profiles is always high risk, whatever the Art. 6(3) answer); then
    Art. 50 => limited; else minimal."""
    reasons: list[str] = []
    art50 = answers["art50_transparency"]
    if answers["art5_practices"]:
        for code in answers["art5_practices"]:
            reasons.append(f"Art. 5(1)({code}) prohibited practice: {ART5_PRACTICES[code]}.")
        return Derived("unacceptable", tuple(reasons), art50)
    high = False
    if answers["annex_i_safety_component"]:
        reasons.append(
            "Art. 6(1): a safety component of a product (or a product) under the Union "
            "harmonisation legislation of Annex I."
        )
        high = True
    point = answers["annex_iii_point"]
    if point:
        label = ANNEX_III_POINTS[point]
        condition = answers["art6_3_condition"]
        if answers["profiles_natural_persons"]:
            reasons.append(
                f"Art. 6(2) and Annex III point {label}; it profiles natural persons, so it is "
                "always high risk whatever the Art. 6(3) conditions (Art. 6(3), last "
                "subparagraph)."
            )
            high = True
        elif condition == "none":
            reasons.append(
                f"Art. 6(2) and Annex III point {label}; no Art. 6(3) condition applies."
            )
            high = True
        else:
            reasons.append(
                f"Annex III point {label}, but Art. 6(3) condition {ART6_3_CONDITIONS[condition]}"
                " applies and it does not profile natural persons: not high risk. Art. 6(4): "
                "document this assessment before it is placed on the market, and register it "
                "(Art. 49(2))."
            )
    if high:
        if art50:
            reasons.append("Art. 50 transparency obligations apply as well.")
        return Derived("high", tuple(reasons), art50)
    if art50:
        reasons.append(
            "Art. 50: transparency obligations (people are told they deal with an AI system, "
            "synthetic content is marked)."
        )
        return Derived("limited", tuple(reasons), art50)
    if not reasons:
        reasons.append(
            "No prohibited practice, no Annex I or Annex III use, no Art. 50 duty: minimal risk "
            "(voluntary codes of conduct, Art. 95)."
        )
    else:
        reasons.append("No Art. 50 duty: minimal risk.")
    return Derived("minimal", tuple(reasons), art50)


@dataclass(frozen=True)
class Obligation:
    article: str
    title: str
    #: Design-doc sections that must be filled for the obligation to count as covered.
    sections: tuple[str, ...]
    why: str


#: Chapter III, Section 2 (Arts. 9-15) against the design doc's sections: which sections give
#: evidence of each obligation. Our mapping (a design doc is not the technical documentation
#: of Annex IV; it shows where the work stands).
CHAPTER_III: tuple[Obligation, ...] = (
    Obligation("Art. 9", "Risk management system", ("risks",),
               "The risk register (likelihood, impact, mitigation, owner) is the core of it."),
    Obligation("Art. 10", "Data and data governance", ("data",),
               "Sources, quality, labelling, privacy and retention of the data."),
    Obligation("Art. 11", "Technical documentation", ("architecture", "deployment_constraints"),
               "How the system is built and deployed (Annex IV asks for more)."),
    Obligation("Art. 12", "Record-keeping", ("monitoring",),
               "What is logged and watched in production, by whom."),
    Obligation("Art. 13", "Transparency and provision of information to deployers",
               ("problem_statement", "business_value"),
               "The intended purpose and what the system is for, told to deployers."),
    Obligation("Art. 14", "Human oversight", ("raci", "monitoring"),
               "Who is accountable, who is alerted, and the fallback when it misbehaves."),
    Obligation("Art. 15", "Accuracy, robustness and cybersecurity", ("success_criteria", "risks"),
               "Accuracy targets, and the risks to robustness and security with their mitigation."),
)  # fmt: skip


@dataclass(frozen=True)
class ObligationStatus:
    obligation: Obligation
    covered: bool
    missing_sections: tuple[str, ...]


def chapter_iii_coverage(content: dict[str, Any]) -> list[ObligationStatus]:
    """For a high-risk doc: each obligation of Arts. 9-15, covered when every section it
    maps to is filled, else the sections still empty."""
    statuses = []
    for obligation in CHAPTER_III:
        missing = tuple(key for key in obligation.sections if not content.get(key))
        statuses.append(ObligationStatus(obligation, not missing, missing))
    return statuses
