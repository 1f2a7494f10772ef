"""Read a question-set definition (the JSON document) into checked, immutable records.

Every problem is collected rather than raised at once, so an author sees all of them;
`read_definition` raises one DefinitionError listing them. Expressions are compiled
later (compiled.py), once the items they may name are known.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from .errors import DefinitionError
from .records import (
    BREADTH_KEYS,
    CHOICE_TYPES,
    DIRECTIONS,
    DISCOUNT_KEYS,
    ITEM_KEYS,
    ITEM_TYPES,
    KNOWN_LANGUAGES,
    NONE_OPTION,
    OPTION_KEYS,
    SCALE_MAX,
    SCORING_KEYS,
    SECTION_KEYS,
    SHARE_MODES,
    SUFFICIENCY_MODES,
    TOP_KEYS,
    WINDOW_KEYS,
    Breadth,
    Definition,
    Discount,
    Item,
    Localized,
    Option,
    Section,
    Window,
)
from .rulebook import RulebookReader
from .visibility import Condition


def read_definition(data: object) -> Definition:
    reader = _Reader()
    definition = reader.definition(data)
    if reader.errors or definition is None:
        raise DefinitionError(reader.errors)
    return definition


class _Reader(RulebookReader):
    def definition(self, data: object) -> Definition | None:
        data = self.mapping(data, "definition", TOP_KEYS)
        languages = data.get("languages")
        if (
            not isinstance(languages, list)
            or "en" not in languages
            or len(set(languages)) != len(languages)
            or any(lang not in KNOWN_LANGUAGES for lang in languages)
        ):
            self.fail(
                "languages", f"must list distinct known languages ({', '.join(KNOWN_LANGUAGES)}), en included"
            )
        else:
            self.languages = tuple(languages)
        if data.get("format", 1) != 1:
            self.fail("format", "only format 1 is known")
        sections, items = self.sections(data.get("sections"))
        scoring = self.mapping(data.get("scoring", {}), "scoring", SCORING_KEYS)
        fraction = scoring.get("reference_fraction", 0.6)
        if type(fraction) not in (int, float) or not 0.1 <= fraction <= 1:
            self.fail("scoring.reference_fraction", "must be a number from 0.1 to 1")
        share_mode = self.choice(scoring.get("shares"), "scoring.shares", SHARE_MODES)
        sufficiency = self.choice(scoring.get("insufficient"), "scoring.insufficient", SUFFICIENCY_MODES)
        anchors = self.anchors(data.get("scale_anchors"), "scale_anchors", required=False)
        if anchors is None and any(item.type == "scale" and item.anchors is None for item in items.values()):
            self.fail("scale_anchors", "needed: some scale items give no anchors of their own")
        flags = self.flags(data.get("flags", []))
        for item in items.values():
            if item.discount is not None and item.discount[0] not in flags:
                self.fail(
                    f"item {item.code}.discount", f"{item.discount[0]!r} is not a flag of this definition"
                )
        return Definition(
            slug=self.code(data.get("slug"), "slug"),
            version=self.whole(data.get("version"), "version", 1),
            title=self.text(data.get("title"), "title"),
            description=self.text(data.get("description"), "description", required=False),
            disclaimer=self.text(data.get("disclaimer"), "disclaimer", required=False),
            languages=self.languages,
            scale_anchors=anchors,
            sections=sections,
            items=items,
            rules=self.rules(data.get("rules", []), set(flags)),
            flags=flags,
            focus=self.focus(data.get("recommendations")),
            reference_fraction=fraction,
            test_cases=self.test_cases(data.get("test_cases", [])),
            share_mode=share_mode,
            sufficiency=sufficiency,
            windows=self.windows(data.get("windows", []), items),
            recommendation_order=self.recommendation_order(data.get("recommendation_order"), flags),
        )

    def choice(self, value: object, where: str, modes: Sequence[str]) -> str:
        if value is None:
            return modes[0]
        if not isinstance(value, str) or value not in modes:
            self.fail(where, f"must be one of {', '.join(modes)}")
            return modes[0]
        return value

    def windows(self, raw: object, items: Mapping[str, Item]) -> tuple[Window, ...]:
        if not isinstance(raw, list):
            self.fail("windows", "must be a list")
            return ()
        windows: list[Window] = []
        for window_data in raw:
            data = self.mapping(window_data, "window", WINDOW_KEYS)
            code = self.code(data.get("code"), "window")
            where = f"window {code}"
            if code in items or any(window.code == code for window in windows):
                self.fail(where, "the code is already an item or another window")
            named: Any = data.get("item")  # as written: looked up, then checked
            item = items.get(named) if isinstance(named, str) else None
            if item is None or item.type != "single":
                self.fail(where, f"item {data.get('item')!r} is not a single item")
                continue
            days = self.mapping(data.get("days"), f"{where}.days", set(item.option_codes))
            windows.append(
                Window(
                    code,
                    item.code,
                    {
                        option: self.whole(value, f"{where}.days.{option}", 0, 36_500)
                        for option, value in days.items()
                    },
                    self.whole(data.get("default"), f"{where}.default", 0, 36_500),
                )
            )
        return tuple(windows)

    def sections(self, raw: object) -> tuple[tuple[Section, ...], dict[str, Item]]:
        if not isinstance(raw, list) or not raw:
            self.fail("sections", "must be a non-empty list")
            return (), {}
        sections: list[Section] = []
        items: dict[str, Item] = {}
        for index, section_data in enumerate(raw):
            data = self.mapping(section_data, f"sections[{index}]", SECTION_KEYS)
            code = self.code(data.get("code"), f"sections[{index}]")
            where = f"section {code}"
            if any(section.code == code for section in sections):
                self.fail(where, "duplicate section code")
            core = self.flag_bool(data.get("core"), f"{where}.core")
            scored = self.flag_bool(data.get("scored"), f"{where}.scored", default=True)
            item_list = data.get("items")
            if not isinstance(item_list, list) or not item_list:
                self.fail(where, "items must be a non-empty list")
                item_list = []
            codes: list[str] = []
            for item_data in item_list:
                item = self.item(item_data, code, core, scored)
                if item.code in items:
                    self.fail(f"item {item.code}", "duplicate item code")
                items[item.code] = item
                codes.append(item.code)
            sections.append(
                Section(code, self.text(data.get("title"), f"{where}.title"), core, scored, tuple(codes))
            )
        for item in items.values():
            self.check_visibility(item, items)
        return tuple(sections), items

    def item(self, raw: object, section: str, section_core: bool, scored: bool) -> Item:
        data = self.mapping(raw, f"section {section} item", ITEM_KEYS)
        code = self.code(data.get("code"), f"section {section} item")
        where = f"item {code}"
        kind = data.get("type")
        if kind not in ITEM_TYPES:
            self.fail(where, f"unknown type {kind!r} (known: {', '.join(ITEM_TYPES)})")
        core = self.flag_bool(data.get("core"), f"{where}.core")
        if core and not section_core:
            self.fail(where, "only items of a core section can be core")
        options = self.options(data.get("options"), where, kind, scored)
        weights = self.scale_weights(data.get("weights"), where, kind, scored)
        breadth = self.breadth(data.get("breadth"), where, kind, scored, options)
        minimum: int | None = None
        maximum: int | None = None
        if kind == "integer":
            minimum = self.whole(data.get("min"), f"{where}.min")
            maximum = self.whole(data.get("max"), f"{where}.max")
            if maximum < minimum:
                self.fail(where, "max must not be below min")
        elif "min" in data or "max" in data:
            self.fail(where, "min and max belong to integer items only")
        if kind != "scale" and data.get("anchors") is not None:
            self.fail(where, "anchors belong to scale items only")
        return Item(
            code=code,
            type=kind or "",
            section=section,
            core=core,
            text=self.text(data.get("text"), f"{where}.text"),
            help=self.text(data.get("help"), f"{where}.help", required=False),
            options=options,
            minimum=minimum,
            maximum=maximum,
            weights=weights,
            evidence_label=self.text(
                data.get("evidence_label"), f"{where}.evidence_label", required=bool(weights)
            ),
            rationale=self.rationale(data.get("rationale"), where) if weights else None,
            breadth=breadth,
            visible_if=self.visibility(data.get("visible_if"), where),
            anchors=self.anchors(data.get("anchors"), f"{where}.anchors", required=False),
            max_length=self.whole(data.get("max_length", 5000), f"{where}.max_length", 1, 100_000),
            required=self.flag_bool(data.get("required"), f"{where}.required"),
            discount=self.discount(data.get("discount"), where, bool(options or weights or breadth)),
        )

    def discount(self, raw: object, where: str, weighted: bool) -> Discount | None:
        if raw is None:
            return None
        at = f"{where}.discount"
        data = self.mapping(raw, at, DISCOUNT_KEYS)
        if not weighted:
            self.fail(at, "only an item that carries evidence can be discounted")
        # As written, like the flag: a refused value is reported and the definition
        # refused, so the record built below never leaves the reader.
        flag: Any = data.get("while_flag")  # checked by definition(), once flags are read
        if not isinstance(flag, str):
            self.fail(f"{at}.while_flag", f"must be the code of a flag, not {flag!r}")
            flag = ""
        factor: Any = data.get("factor")
        # "Counts at most half" (spec 6.2) is the clinical use; any fraction below 1 is
        # allowed, but never 0 (that would hide the answer) nor more than the full weight.
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not 0 < factor < 1:
            self.fail(f"{at}.factor", "must be a number above 0 and below 1")
        directions = data.get("directions")
        if not isinstance(directions, list) or not directions or not set(directions) <= set(DIRECTIONS):
            self.fail(f"{at}.directions", f"must list some of {', '.join(DIRECTIONS)}")
            directions = []
        return (
            flag,
            factor,
            frozenset(directions),
            self.text(data.get("note"), f"{at}.note"),
        )

    # `kind` is the item's type as written: checked by item(), which reports a bad one.
    def options(self, raw: object, where: str, kind: object, scored: bool) -> tuple[Option, ...]:
        if kind not in CHOICE_TYPES:
            if raw is not None:
                self.fail(where, "options belong to single and multi items only")
            return ()
        if not isinstance(raw, list) or not raw:
            self.fail(where, "needs a non-empty options list")
            return ()
        options: list[Option] = []
        seen: set[str] = set()
        for option_data in raw:
            data = self.mapping(option_data, f"{where} option", OPTION_KEYS)
            code = self.code(data.get("code"), f"{where} option")
            at = f"{where} option {code}"
            if code in seen:
                self.fail(at, "duplicate option code")
            seen.add(code)
            craving = self.number(data.get("craving"), f"{at}.craving", default=0)
            anxiety = self.number(data.get("anxiety"), f"{at}.anxiety", default=0)
            weighted = bool(craving or anxiety)
            if weighted and not scored:
                self.fail(at, "this section is never scored: it cannot carry weights")
            options.append(
                Option(
                    code,
                    self.text(data.get("label"), f"{at}.label"),
                    craving,
                    anxiety,
                    self.text(data.get("evidence_label"), f"{at}.evidence_label", required=weighted),
                    self.rationale(data.get("rationale"), at) if weighted else None,
                )
            )
        return tuple(options)

    def scale_weights(
        self, raw: object, where: str, kind: object, scored: bool
    ) -> dict[str, tuple[float, ...]]:
        if raw is None:
            return {}
        if kind != "scale":
            self.fail(where, "weights belong to scale items only (options carry their own)")
            return {}
        if not scored:
            self.fail(where, "this section is never scored: it cannot carry weights")
        weights: dict[str, tuple[float, ...]] = {}
        for direction, values in self.mapping(raw, f"{where}.weights", set(DIRECTIONS)).items():
            at = f"{where}.weights.{direction}"
            if not isinstance(values, list) or len(values) != SCALE_MAX + 1:
                self.fail(at, f"must list {SCALE_MAX + 1} weights, one per scale point")
                continue
            values = tuple(self.number(value, at) for value in values)
            # "Rising with the value": a higher answer can never carry less evidence.
            if values[0] != 0 or any(b < a for a, b in zip(values, values[1:], strict=False)):
                self.fail(at, "must start at 0 and never fall as the scale rises")
            weights[direction] = values
        return weights

    def breadth(
        self, raw: object, where: str, kind: object, scored: bool, options: Sequence[Option]
    ) -> tuple[Breadth, ...]:
        if raw is None:
            return ()
        if kind != "multi" or not scored:
            self.fail(where, "breadth rules belong to multi items of scored sections")
            return ()
        countable = sum(1 for option in options if option.code != NONE_OPTION)
        bands: list[Breadth] = []
        for band_data in raw if isinstance(raw, list) else [None]:
            data = self.mapping(band_data, f"{where} breadth rule", BREADTH_KEYS)
            rule_id = self.rule_id(data.get("id"), f"{where} breadth rule")
            at = f"rule {rule_id}"
            low = self.whole(data.get("min"), f"{at}.min", 1, max(countable, 1))
            high = data.get("max")
            if high is not None:
                high = self.whole(high, f"{at}.max", low, max(countable, low))
            direction = data.get("direction")
            if direction not in DIRECTIONS:
                self.fail(at, f"direction must be one of {', '.join(DIRECTIONS)}")
            bands.append(
                Breadth(
                    rule_id,
                    low,
                    high,
                    direction or "",
                    self.number(data.get("weight"), f"{at}.weight"),
                    self.text(data.get("label"), f"{at}.label"),
                    self.rationale(data.get("rationale"), at),
                )
            )
        bands.sort(key=lambda band: band.min)
        for before, after in zip(bands, bands[1:], strict=False):
            if before.max is None or before.max >= after.min:
                self.fail(f"rule {after.id}", f"overlaps breadth rule {before.id}")
            elif before.direction == after.direction and after.weight < before.weight:
                self.fail(f"rule {after.id}", "more options selected must not weigh less")
        return tuple(bands)

    def visibility(self, raw: object, where: str) -> Condition | None:
        if raw is None:
            return None
        data = self.mapping(raw, f"{where}.visible_if", {"item", "in", "not_in"})
        modes = [mode for mode in ("in", "not_in") if mode in data]
        values = data.get(modes[0]) if len(modes) == 1 else None
        if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
            self.fail(f"{where}.visible_if", "needs an item and exactly one non-empty list: in or not_in")
            return None
        controller: Any = data.get("item")  # checked by check_visibility(), once items are read
        if not isinstance(controller, str):
            self.fail(
                f"{where}.visible_if", f"item must be the code of another single item, not {controller!r}"
            )
            return None
        return (controller, modes[0], frozenset(values))

    def check_visibility(self, item: Item, items: Mapping[str, Item]) -> None:
        if item.visible_if is None:
            return
        controller, _, values = item.visible_if
        other = items.get(controller)
        if other is None or other.type != "single" or controller == item.code:
            self.fail(
                f"item {item.code}.visible_if", f"refers to {controller!r}, which is not another single item"
            )
            return
        for value in sorted(values - set(other.option_codes)):
            self.fail(f"item {item.code}.visible_if", f"{value!r} is not an option of {controller}")

    def anchors(self, raw: object, where: str, required: bool) -> dict[str, Localized] | None:
        if raw is None and not required:
            return None
        data = self.mapping(raw, where, {str(point) for point in range(SCALE_MAX + 1)})
        if len(data) != SCALE_MAX + 1:
            self.fail(where, f"must label every point from 0 to {SCALE_MAX}")
        return {point: self.text(label, f"{where}.{point}") for point, label in sorted(data.items())}
