"""The scoring rules in words: for the results page, the report and the DOCX method
section, so that every place explains a result the same way. Pure functions."""

from __future__ import annotations

from selfcheck.formatting import percent_de
from selfcheck.questionnaire.schema import Category, Questionnaire
from selfcheck.questionnaire.scoring import FieldResult


def _ids(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else ", ".join(ids[:-1]) + " und " + ids[-1]


def cap_statement(result: FieldResult) -> str:
    """ "Kategorie 2, weil Kernkriterium IO-10 noch nicht erfüllt ist …" for a capped
    result; "" when the core cap did not change the category."""
    if result.capped_from is None or result.category is None:
        return ""
    unmet = result.unmet_core
    reason = (
        f"weil Kernkriterium {unmet[0]} noch nicht erfüllt ist"
        if len(unmet) == 1
        else f"weil die Kernkriterien {_ids(unmet)} noch nicht erfüllt sind"
    )
    return (
        f"Kategorie {result.category}, {reason}. Nach dem Punkteanteil allein wäre es "
        f"Kategorie {result.capped_from}."
    )


def provisional_statement(
    questionnaire: Questionnaire, result: FieldResult, lower_bound: Category | None
) -> str:
    """Why a category is "vorläufig" and how low it could go; "" for a final result."""
    if not result.provisional or questionnaire.provisional_coverage is None:
        return ""
    text = (
        f"Vorläufig: Nur {percent_de(result.coverage)} der zutreffenden Fragen haben eine "
        f"Antwort (endgültig ab {percent_de(questionnaire.provisional_coverage)})."
    )
    if lower_bound is not None:
        text += (
            " Wären alle offenen und mit „weiß nicht“ beantworteten Fragen ein "
            f"„{_lowest_label(questionnaire)}“, ergäbe sich Kategorie {lower_bound.number} "
            f"({lower_bound.label})."
        )
    return text


def _lowest_label(questionnaire: Questionnaire) -> str:
    return min(questionnaire.scale.options, key=lambda o: o.points).label


def scoring_rules(questionnaire: Questionnaire) -> list[str]:
    """Every rule that turns answers into a category, one sentence or two per rule."""
    scale = questionnaire.scale
    points = ", ".join(f"„{o.label}“ {o.points}" for o in scale.options)
    categories = questionnaire.categories
    thresholds = "; ".join(
        f"Kategorie {c.number} „{c.label}“ ab {percent_de(c.min_share)}"
        if c.min_share > 0
        else f"Kategorie {c.number} „{c.label}“ darunter"
        for c in categories
    )
    rules = [
        f"Punkte je Antwort: {points}. Der Punkteanteil eines Handlungsfelds sind die "
        "erreichten Punkte geteilt durch die erreichbaren Punkte der beantworteten Fragen.",
        f"Einstufung nach dem Punkteanteil: {thresholds}. Kategorie 1 ist die beste.",
        f"„{scale.dont_know.label}“ und offene Fragen bringen keine Punkte und zählen nicht "
        f"als beantwortet. Sind weniger als {percent_de(questionnaire.min_coverage)} der "
        "Fragen eines Handlungsfelds beantwortet, ist es „nicht bewertbar“; dann wird auch "
        "kein Punkteanteil genannt.",
    ]
    if questionnaire.provisional_coverage is not None:
        rules.append(
            f"Sind weniger als {percent_de(questionnaire.provisional_coverage)} der Fragen "
            "beantwortet, ist die Einstufung „vorläufig“. Dazu steht die Untergrenze: die "
            "Kategorie, die sich ergäbe, wenn alle offenen und mit "
            f"„{scale.dont_know.label}“ beantworteten Fragen ein "
            f"„{_lowest_label(questionnaire)}“ wären."
        )
    rules.extend(_core_rules(questionnaire))
    if scale.not_applicable is not None and any(q.may_not_apply for q in questionnaire.questions()):
        rules.append(
            f"„{scale.not_applicable.label}“ ist nur bei Fragen möglich, für die eine Kommune "
            "nicht immer zuständig ist, und braucht eine kurze Begründung. Solche Fragen "
            "fallen ganz aus der Rechnung: Sie bringen keine Punkte und zählen weder als "
            "beantwortet noch als offen."
        )
    return rules


def _core_rules(questionnaire: Questionnaire) -> list[str]:
    fields = [f for f in questionnaire.fields if any(q.core for q in f.questions)]
    if not fields:
        return []
    caps = {f.id: questionnaire.core_cap_of(f) for f in fields}
    common = questionnaire.core_cap
    rule = (
        "Kernkriterien: Einige Fragen sind als Kernkriterium gekennzeichnet. Solange eines "
        "davon nicht voll erfüllt ist (auch bei „weiß nicht“ oder ohne Antwort), kann das "
        "Handlungsfeld höchstens "
    )
    if common is not None:
        rule += f"Kategorie {common} erreichen."
        exceptions = [f"{fid}: Kategorie {cap}" for fid, cap in caps.items() if cap != common]
        if exceptions:
            rule += " Abweichend davon gilt " + "; ".join(exceptions) + "."
    else:
        rule += (
            "diese Kategorie erreichen: "
            + "; ".join(f"{fid}: Kategorie {cap}" for fid, cap in caps.items())
            + "."
        )
    return [rule]
