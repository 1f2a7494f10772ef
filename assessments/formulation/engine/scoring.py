"""Turn a validated answer set into the formulation contract (clinical spec, section 3).

Everything that depends only on the definition (which rules an answer fires, their
labels, their points on the 0-100 scale) is laid out in lookup tables at load time,
so a formulation is mostly dictionary reads in interview order. The output is built
in a fixed key order from the definition's order, never from the order of the
answers, so the same answers always give byte-identical JSON.
"""

from collections.abc import Callable
from itertools import compress, filterfalse
from typing import Any, TypeAlias

from .expressions import CompiledExpression
from .records import (
    FOCUS_SLOT,
    NONE_OPTION,
    SCALE_MAX,
    CompoundRule,
    Definition,
    Formulation,
    Item,
    Localized,
    Option,
    Recommendation,
)
from .translate import evaluate_all
from .visibility import Condition, drop_hidden

ENGINE_VERSION = "1.0.0"
SINGLE, SCALE, MULTI = "single", "scale", "multi"
DERIVED_TYPES = ("craving_score", "anxiety_score", "craving_share", "anxiety_share", "dominant")
# Spec section 3: the mix thresholds and what counts as too thin to formulate.
CRAVING_AT_LEAST, ANXIETY_AT_MOST = 65, 35
MIN_CORE_SECTIONS, MIN_SCORE = 3, 10
# Confidence: share of core items answered, distance of the share from the nearest
# dominance threshold, and the stronger of the two scores.
HIGH = {"completeness": 0.8, "margin": 10, "strength": 30}
MODERATE = {"completeness": 0.5, "margin": 5}
CONFIDENCE = ("low", "moderate", "high")

# What a rule contributes, laid out at load time: (id, labels, direction, weight,
# contribution on the 0-100 scale).
Template: TypeAlias = tuple[str, Localized, str, float, float]
# The same as the hot loop reads it: (id, labels, direction, contribution, points to
# craving, points to anxiety).
Row: TypeAlias = tuple[str, str, str, float, float, float]
# A single or scale item: answer -> templates (rows); a multi item: (per option, by count).
Table: TypeAlias = dict[Any, tuple[Any, ...]] | tuple[dict[str, tuple[Any, ...]], tuple[tuple[Any, ...], ...]]
Evaluate: TypeAlias = Callable[[dict[str, Any]], Any]
# (code, kind, table of rows, (flag, discounted table) or None, core section or None)
ScoredItem: TypeAlias = tuple[str, str, Any, tuple[str, Any] | None, int | None]
ScoringRule: TypeAlias = tuple[Evaluate, tuple[str, ...], Template, tuple[int, ...] | None]
FlagRule: TypeAlias = tuple[Evaluate, tuple[str, ...], Template, str]


def _half_up(value: float) -> int:
    # round() rounds halves to even; clinicians expect 64.5 to read as 65.
    return int(value + 0.5)


class Scorer:
    def __init__(self, definition: Definition, expressions: dict[str, CompiledExpression]):
        self.reference = f"{definition.slug}@{definition.version}"
        self.items = definition.items
        self.definition_windows = definition.windows
        self.flags = definition.flags
        self.focus = definition.focus
        self.scale = self._reference_points(definition, expressions)
        # Core sections by position, for "how many core sections carry evidence" (6.2).
        self.core_section_of = {
            code: index
            for index, section in enumerate(s for s in definition.sections if s.core)
            for code in section.items
        }
        # Per language, so that the hot loop reads each label as plain text.
        self.scored: dict[str, tuple[ScoredItem, ...]] = {
            lang: tuple(entry for item in self.items.values() if (entry := self._scored_entry(item, lang)))
            for lang in definition.languages
        }
        self.conditional: tuple[tuple[str, Condition], ...] = tuple(
            (code, item.visible_if) for code, item in self.items.items() if item.visible_if
        )
        self.core_items = tuple(code for code, item in self.items.items() if item.core)
        self.core_sections = tuple(section.items for section in definition.sections if section.core)
        self.min_core_sections = min(MIN_CORE_SECTIONS, len(self.core_sections))
        # Unanswered items read as null in expressions, unanswered multi items as [].
        self.context_defaults: dict[str, Any] = {
            code: (() if item.type == MULTI else None) for code, item in self.items.items()
        }
        compound = [(rule, expressions[rule.id]) for rule in definition.rules]
        self.scoring_rules: tuple[ScoringRule, ...] = tuple(
            self._scoring_rule(rule, expr) for rule, expr in compound if rule.direction != "flag"
        )
        self.flag_rules: tuple[FlagRule, ...] = tuple(
            self._flag_rule(rule, expr) for rule, expr in compound if rule.direction == "flag"
        )
        # Every flag rule's condition in one call (they are all checked every time).
        self.evaluate_flags = evaluate_all(
            [expr.translated for rule, expr in compound if rule.direction == "flag"]
        )
        self.superseded = {code: flag.supersedes for code, flag in self.flags.items()}
        self.superseding = frozenset(code for code, flag in self.flags.items() if flag.supersedes)
        self.flag_position = {code: position for position, code in enumerate(self.flags)}
        self.lowering = frozenset(code for code, flag in self.flags.items() if flag.lowers_confidence)
        self.ceilings = {
            code: CONFIDENCE.index(flag.confidence_at_most)
            for code, flag in self.flags.items()
            if flag.confidence_at_most
        }
        self.uncapped_shares = definition.share_mode == "uncapped"
        self.core_evidence = definition.sufficiency == "core_evidence"
        self.windows: tuple[tuple[str, str, dict[Any, int], int], ...] = tuple(
            (w.code, w.item, w.days, w.default) for w in definition.windows
        )
        # Flags that discount evidence are decided before scoring (compiled.py makes
        # sure their rules read answers only); their rules are the "early" ones.
        self.discounting = frozenset(item.discount[0] for item in self.items.values() if item.discount)
        self.early = tuple((rule[0], rule[3]) for rule in self.flag_rules if rule[3] in self.discounting)
        # Item tables with the discounts of a set of raised flags applied, made on
        # first use. A race only makes the same tuple twice; dict stores are atomic.
        self.scored_while: dict[tuple[str, frozenset[str]], tuple[ScoredItem, ...]] = {}
        order = definition.recommendation_order
        self.recommendation_rank: dict[str, int] | None = (
            {code: rank for rank, code in enumerate(order)} if order else None
        )
        self.focus_rank = self.recommendation_rank[FOCUS_SLOT] if self.recommendation_rank else 0
        self.flag_recommendation = {code: flag.recommendation for code, flag in self.flags.items()}

    # --- load time ---------------------------------------------------------------
    def _reference_points(
        self, definition: Definition, expressions: dict[str, CompiledExpression]
    ) -> dict[str, float]:
        """Raw points that read as a score of 100: a fraction of the most a fully
        consistent answer set could collect, because a clear clinical picture seldom
        answers every item at its extreme."""
        best = {"craving": 0.0, "anxiety": 0.0}
        for item in definition.items.values():
            for direction in best:
                if item.type == SINGLE:
                    best[direction] += max(getattr(option, direction) for option in item.options)
                elif item.type == MULTI:
                    best[direction] += sum(getattr(option, direction) for option in item.options)
                    best[direction] += max(
                        (b.weight for b in item.breadth if b.direction == direction), default=0
                    )
                elif item.type == SCALE and direction in item.weights:
                    best[direction] += item.weights[direction][-1]
        for rule in definition.rules:
            if rule.direction in best:
                best[rule.direction] += rule.weight
        return {
            direction: (points * definition.reference_fraction) or 1.0 for direction, points in best.items()
        }

    def _template(self, rule_id: str, labels: Localized | None, direction: str, weight: float) -> Template:
        # definition.py requires an evidence label wherever a weight can fire.
        assert labels is not None, rule_id
        return (rule_id, labels, direction, weight, round(100 * weight / self.scale[direction], 1))

    def _item_table(self, item: Item) -> tuple[str, str, Any] | None:
        code = item.code
        table: Any  # options and ratings key a dict; a multi item gives (per option, by count)
        if item.type == SINGLE:
            table = {option.code: self._option_templates(code, option) for option in item.options}
            table = {key: value for key, value in table.items() if value}
        elif item.type == SCALE:
            # Keyed by the rating, like options by their code: one lookup for both.
            table = {
                value: tuple(
                    self._template(f"{code}.{direction}", item.evidence_label, direction, weights[value])
                    for direction, weights in item.weights.items()
                    if weights[value]
                )
                for value in range(SCALE_MAX + 1)
            }
            table = {key: value for key, value in table.items() if value}
        elif item.type == MULTI:
            per_option = {option.code: self._option_templates(code, option) for option in item.options}
            by_count: list[tuple[Template, ...]] = [()] * (len(item.options) + 1)
            for band in item.breadth:
                for count in range(band.min, (band.max or len(item.options)) + 1):
                    by_count[count] += (self._template(band.id, band.label, band.direction, band.weight),)
            table = ({key: value for key, value in per_option.items() if value}, tuple(by_count))
            if not any(table[1]) and not table[0]:
                return None
        else:
            return None
        return (code, item.type, table) if table else None

    def _scored_entry(self, item: Item, lang: str) -> ScoredItem | None:
        """(code, kind, table of rows in `lang`, discount, core section index or None)."""
        entry = self._item_table(item)
        if entry is None:
            return None
        code, kind, table = entry
        discount = None
        if item.discount is not None:
            flag, factor, directions, note = item.discount
            discount = (flag, _as_rows(self._discounted(table, kind, factor, directions, note), kind, lang))
        return (code, kind, _as_rows(table, kind, lang), discount, self.core_section_of.get(code))

    def _discounted(
        self, table: Any, kind: str, factor: float, directions: frozenset[str], note: Localized
    ) -> Any:
        def lower(templates: tuple[Template, ...]) -> tuple[Template, ...]:
            return tuple(
                self._template(
                    rule_id,
                    {lang: f"{text} {note[lang]}" for lang, text in labels.items()},
                    direction,
                    weight * factor,
                )
                if direction in directions
                else (rule_id, labels, direction, weight, contribution)
                for rule_id, labels, direction, weight, contribution in templates
            )

        if kind == MULTI:
            per_option, by_count = table
            return ({key: lower(value) for key, value in per_option.items()}, tuple(map(lower, by_count)))
        return {key: lower(value) for key, value in table.items()}

    def _option_templates(self, code: str, option: Option) -> tuple[Template, ...]:
        return tuple(
            self._template(f"{code}.{option.code}.{direction}", option.evidence_label, direction, weight)
            for direction, weight in (("craving", option.craving), ("anxiety", option.anxiety))
            if weight
        )

    def _scored_while(self, lang: str, discounting: frozenset[str]) -> tuple[ScoredItem, ...]:
        scored = self.scored_while.get((lang, discounting))
        if scored is None:
            scored = tuple(
                (code, kind, discount[1], None, section)
                if discount is not None and discount[0] in discounting
                else (code, kind, table, discount, section)
                for code, kind, table, discount, section in self.scored[lang]
            )
            self.scored_while[lang, discounting] = scored
        return scored

    def _reads(self, expression: CompiledExpression) -> tuple[str, ...]:
        """The items a rule reads, first use first: its evidence when it fires."""
        window_items = {w.code: w.item for w in self.definition_windows}
        read: list[str] = []
        for symbol in expression.symbols:  # a window is evidence of the item choosing it
            symbol = window_items.get(symbol, symbol)
            if symbol in self.items and symbol not in read:
                read.append(symbol)
        return tuple(read)

    def _flag_rule(self, rule: CompoundRule, expression: CompiledExpression) -> FlagRule:
        assert rule.flag is not None  # the rule book gives every flag rule its flag
        template: Template = (rule.id, rule.label, "flag", 0, 0.0)
        return (expression.evaluate, self._reads(expression), template, rule.flag)

    def _scoring_rule(self, rule: CompoundRule, expression: CompiledExpression) -> ScoringRule:
        items = self._reads(expression)
        # A compound rule counts for the core sections only when every item it reads is core.
        sections = {self.core_section_of.get(code) for code in items}
        core = (
            None if None in sections or not sections else tuple(sorted(s for s in sections if s is not None))
        )
        return (
            expression.evaluate,
            items,
            self._template(rule.id, rule.label, rule.direction, rule.weight),
            core,
        )

    # --- per formulation -------------------------------------------------------------
    def formulate(self, answered: dict[str, Any], lang: str) -> Formulation:
        """`answered`: validated answers without nulls (AnswerChecker.check)."""
        clean = self._visible(answered)
        context = self.context_defaults.copy()
        context.update(clean)
        for code, item, days, default in self.windows:
            context[code] = days.get(clean.get(item), default)
        # The items whose evidence counts less while a raised flag says so, as one
        # precomputed variant of the item tables per set of such flags.
        discounting = frozenset(flag for evaluate, flag in self.early if evaluate(context))
        scored = self._scored_while(lang, discounting) if discounting else self.scored[lang]
        fired: list[dict[str, Any]] = []
        append = fired.append  # hot loop: local names, no helper calls per rule
        craving = anxiety = core_craving = core_anxiety = 0.0
        # Evidence from the core sections alone, and which of them carry any (6.2).
        core_hit: set[int] = set()
        answer_of = clean.get
        for code, kind, table, _, section in scored:
            value = answer_of(code)
            if value is None:
                continue
            if kind != MULTI:
                # At most one row per direction, so the item's points, summed at load
                # time, add exactly as its rows one by one would.
                bundle = table.get(value)
                if bundle is None:
                    continue
                to_craving, to_anxiety, labelled = bundle
                craving += to_craving
                anxiety += to_anxiety
                if section is not None:
                    core_craving += to_craving
                    core_anxiety += to_anxiety
                    core_hit.add(section)
                for rule_id, label, direction, contribution in labelled:
                    append(
                        {
                            "id": rule_id,
                            "label": label,
                            "direction": direction,
                            "contribution": contribution,
                            "flag": None,
                            "evidence": [{"item": code, "answer": value}],
                        }
                    )
                continue
            else:
                per_option, by_count = table
                rows = by_count[len(value) - (NONE_OPTION in value)]
                for option in value:
                    rows += per_option.get(option, ())
                if not rows:
                    continue
                value = list(value)  # a copy: the output never aliases the input
            if section is not None:
                core_hit.add(section)
            # Each row adds its weight to one direction and 0.0 to the other: the sums
            # come out exactly as a per-direction branch would add them, in order.
            for rule_id, label, direction, contribution, to_craving, to_anxiety in rows:
                craving += to_craving
                anxiety += to_anxiety
                if section is not None:
                    core_craving += to_craving
                    core_anxiety += to_anxiety
                append(
                    {
                        "id": rule_id,
                        "label": label,
                        "direction": direction,
                        "contribution": contribution,
                        "flag": None,
                        "evidence": [{"item": code, "answer": value}],
                    }
                )
        for evaluate, items, template, sections in self.scoring_rules:
            if evaluate(context):
                rule_id, labels, direction, weight, contribution = template
                if direction == "craving":
                    craving += weight
                    if sections is not None:
                        core_craving += weight
                else:
                    anxiety += weight
                    if sections is not None:
                        core_anxiety += weight
                if sections is not None:
                    core_hit.update(sections)
                append(
                    {
                        "id": rule_id,
                        "label": labels[lang],
                        "direction": direction,
                        "contribution": contribution,
                        "flag": None,
                        "evidence": _evidence_of(items, clean),
                    }
                )
        core_points = {"craving": core_craving, "anxiety": core_anxiety}
        result = self._mix(craving, anxiety, clean, core_points, core_hit)
        context.update(result)
        raised: list[str] = []
        # The early rules read answers only (compiled.py), which the mix did not
        # change, so evaluating them again gives what they gave before scoring.
        for _, items, template, flag in compress(self.flag_rules, self.evaluate_flags(context)):
            append(
                {
                    "id": template[0],
                    "label": template[1][lang],
                    "direction": "flag",
                    "contribution": 0.0,
                    "flag": flag,
                    "evidence": _evidence_of(items, clean),
                }
            )
            raised.append(flag)
        flags = self._flags(raised) if raised else []
        missing = list(filterfalse(clean.__contains__, self.core_items))
        result["confidence"] = self._confidence(result, len(missing), flags)
        result["rules"] = fired
        result["flags"] = flags
        result["recommendations"] = self._recommendations(result["dominant"], flags, lang)
        result["missing"] = missing
        result["question_set"] = self.reference
        result["engine_version"] = ENGINE_VERSION
        return result

    def _visible(self, clean: dict[str, Any]) -> dict[str, Any]:
        # The one rule (visibility.py); edits `clean`, the checker's fresh copy, in place.
        return drop_hidden(self.conditional, clean)

    def _mix(
        self,
        craving_points: float,
        anxiety_points: float,
        clean: dict[str, Any],
        core_points: dict[str, float],
        core_hit: set[int],
    ) -> dict[str, Any]:
        scale = self.scale
        uncapped_craving = 100 * craving_points / scale["craving"]
        uncapped_anxiety = 100 * anxiety_points / scale["anxiety"]
        craving, anxiety = min(100.0, uncapped_craving), min(100.0, uncapped_anxiety)
        craving_score, anxiety_score = _half_up(craving), _half_up(anxiety)
        if self.uncapped_shares:  # 6.2: a very strong picture keeps its margin past the cap
            craving, anxiety = uncapped_craving, uncapped_anxiety
        craving_share = anxiety_share = None
        if craving + anxiety > 0:
            craving_share = _half_up(100 * craving / (craving + anxiety))
            anxiety_share = 100 - craving_share
        if self.core_evidence:
            # 6.2: only answers that fire evidence in the core sections make a picture;
            # history and context can add to one but never make it on their own.
            sections = len(core_hit)
            thin = (
                _half_up(min(100.0, 100 * core_points["craving"] / scale["craving"])) < MIN_SCORE
                and _half_up(min(100.0, 100 * core_points["anxiety"] / scale["anxiety"])) < MIN_SCORE
            )
        else:
            sections = 0
            for codes in self.core_sections:
                for code in codes:  # usually stops at the section's first item
                    if code in clean:
                        sections += 1
                        break
            thin = craving_score < MIN_SCORE and anxiety_score < MIN_SCORE
        if sections < self.min_core_sections or thin:
            dominant = "insufficient"
        elif craving_share is not None and craving_share >= CRAVING_AT_LEAST:
            dominant = "craving"
        elif craving_share is not None and craving_share <= ANXIETY_AT_MOST:
            dominant = "anxiety"
        else:
            dominant = "mixed"
        return {
            "craving_score": craving_score,
            "anxiety_score": anxiety_score,
            "craving_share": craving_share,
            "anxiety_share": anxiety_share,
            "dominant": dominant,
        }

    def _flags(self, raised: list[str]) -> list[str]:
        """The raised flags, each once, in the definition's order, less those a
        raised flag supersedes."""
        unique = sorted(set(raised), key=self.flag_position.__getitem__)
        if not self.superseding.intersection(unique):
            return unique
        dropped = {other for code in unique for other in self.superseded[code]}
        return [code for code in unique if code not in dropped]

    def _confidence(self, result: dict[str, Any], missing: int, flags: list[str]) -> str:
        dominant, share = result["dominant"], result["craving_share"]
        if dominant == "insufficient":
            return "low"
        core = len(self.core_items)
        completeness = (core - missing) / core if core else 1.0
        if dominant == "craving":
            margin = share - CRAVING_AT_LEAST
        elif dominant == "anxiety":
            margin = ANXIETY_AT_MOST - share
        else:
            margin = min(share - ANXIETY_AT_MOST, CRAVING_AT_LEAST - share)
        strength = max(result["craving_score"], result["anxiety_score"])
        if completeness >= HIGH["completeness"] and margin >= HIGH["margin"] and strength >= HIGH["strength"]:
            level = 2
        elif completeness >= MODERATE["completeness"] and margin >= MODERATE["margin"]:
            level = 1
        else:
            level = 0
        if self.lowering.intersection(flags):  # e.g. possible withdrawal blurs the picture
            level = max(0, level - 1)
        for code in flags:  # a ceiling (6.2: "at most moderate" while withdrawal is possible)
            level = min(level, self.ceilings.get(code, level))
        return CONFIDENCE[level]

    def _recommendations(self, dominant: str, flags: list[str], lang: str) -> list[dict[str, str]]:
        recommendation = self.flag_recommendation
        chosen: list[tuple[str, Recommendation]] = [(dominant, self.focus[dominant])]
        chosen += [(code, recommendation[code]) for code in flags]
        rank = self.recommendation_rank
        if rank is not None:  # 6.2: in order of urgency, the focus in its own slot
            chosen.sort(key=lambda pair: rank.get(pair[0], self.focus_rank))
        return [{"code": rec.code, "text": rec.text[lang], "reason": reason} for reason, rec in chosen]


def _as_rows(table: Any, kind: str, lang: str) -> Any:
    """An item table as the hot loop reads it in `lang`. A multi item's rows are (id,
    label, direction, contribution, points to craving, points to anxiety), added one
    by one; a single or scale answer's are (points to craving, points to anxiety,
    ((id, label, direction, contribution), ...)), since it has at most one row per
    direction."""

    def rows(templates: tuple[Template, ...]) -> tuple[Row, ...]:
        return tuple(
            (
                rule_id,
                labels[lang],
                direction,
                contribution,
                weight if direction == "craving" else 0.0,
                0.0 if direction == "craving" else weight,
            )
            for rule_id, labels, direction, weight, contribution in templates
        )

    def bundle(
        templates: tuple[Template, ...],
    ) -> tuple[float, float, tuple[tuple[str, str, str, float], ...]]:
        directions = [template[2] for template in templates]
        assert len(directions) == len(set(directions)), templates  # what makes the sums exact
        return (
            sum((t[3] for t in templates if t[2] == "craving"), 0.0),
            sum((t[3] for t in templates if t[2] != "craving"), 0.0),
            tuple(
                (rule_id, labels[lang], direction, contribution)
                for rule_id, labels, direction, _, contribution in templates
            ),
        )

    if kind == MULTI:
        per_option, by_count = table
        return ({key: rows(value) for key, value in per_option.items()}, tuple(map(rows, by_count)))
    return {key: bundle(value) for key, value in table.items()}


def _evidence_of(items: tuple[str, ...], clean: dict[str, Any]) -> list[dict[str, Any]]:
    # A copy of a multi answer, so the output never aliases the caller's input.
    return [
        {"item": code, "answer": list(value) if type(value) in (list, tuple) else value}
        for code in items
        if (value := clean.get(code)) is not None
    ]
