"""The typed model of a readiness project: framework, indicators, regions, rounds and assessments.

Every model is strict and forbids unknown keys. Scalars arrive from the loader as text (`Plain` when unquoted);
the field types below decide what they become, so YAML 1.1's guesses never apply. The same models produce the
JSON Schemas that editors use (`readiness schema`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeAlias, Union

from pydantic import (
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainValidator,
    WithJsonSchema,
)
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from .fields import (
    _NUMBER,
    Bool,
    Colour,
    Confidence,
    Date,
    Direction,
    Id,
    Int,
    LocalText,
    MaybeTranslated,
    MaybeTranslatedOrEmpty,
    Model,
    NonEmptyText,
    Number,
    Text,
    Translated,
    TranslatedOrEmpty,
    Unit,
    describe,
    empty_dict,
    empty_list,
    enum,
    fail,
    short,
    shorthand,
    to_decimal,
    to_int,
    to_text,
)
from .i18n import say
from .loading import Plain
from .methods import AGGREGATIONS, NORMALISATIONS, ROUNDINGS, on_register

# ---------------------------------------------------------------- what the registries offer


class _RegistryName:
    """A name that must be one of a registry's members (an aggregation, a rounding mode), checked against the
    registry when a file is validated and listed in the schema when it is generated: a member registered later
    is accepted at once."""

    def __init__(self, registry: dict[str, Any]) -> None:
        self.registry = registry

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        def validate(value: Any) -> str:
            text = to_text(value)
            if text not in self.registry:
                names = sorted(self.registry)
                expected = (
                    ", ".join(repr(n) for n in names[:-1]) + f" or {names[-1]!r}" if len(names) > 1 else repr(names[0])
                )
                # pydantic's own words for a literal: validation.py says them in the language in use
                raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
            return text

        return core_schema.no_info_plain_validator_function(validate)

    def __get_pydantic_json_schema__(self, schema: CoreSchema, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"enum": sorted(self.registry)}


AggregationName = Annotated[str, _RegistryName(AGGREGATIONS)]
RoundingName = Annotated[str, _RegistryName(ROUNDINGS)]


def _scoring_union() -> Any:
    """The scoring parameters of every registered normalisation method, told apart by `method`."""
    members = tuple(method.Params for method in NORMALISATIONS.values())
    return Annotated[Union[members], Field(discriminator="method")]  # noqa: UP007 - built at run time


if TYPE_CHECKING:  # built from the registry at run time, so any registered method's parameters
    ScoringMethod: TypeAlias = Any
else:
    ScoringMethod = _scoring_union()


# ---------------------------------------------------------------- notes


class Note(Model):
    """Free text (Markdown allowed, raw HTML is not rendered), optionally marked restricted."""

    text: MaybeTranslated
    restricted: Bool = False
    """Restricted notes are kept off the public site."""
    sensitive: Bool = False
    """Sensitive notes are not restricted (the internal edition shows them as any other) but are not for the public
    either: the public edition leaves them out and counts them in its note of what it left out (a personnel remark,
    what intelligence reports say)."""


NoteField = Annotated[Note, shorthand("text")]


# ---------------------------------------------------------------- framework


class Level(Model):
    """A readiness level. Levels are listed from lowest to highest."""

    id: Id
    label: Translated
    short: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """The level in a word or two, where the map writes it on a region (`Ready` for "Ready for handover")
    [default: the label]."""
    colour: Colour
    """The level's colour on the site: levels' colours should stay apart in greyscale and to colour-blind readers
    (see the methodology); charts mark each level with a symbol and its name as well."""
    min_score: Number | None = None
    """The overall score a region needs to reach this level. Levels without one are reached only through
    gates (insufficient evidence, sustained)."""
    meaning: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    posture: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """What UNPOL does at this level."""


class Scale(Model):
    min: Number = Decimal(0)
    max: Number = Decimal(100)


class Rounding(Model):
    """How reported scores are rounded; levels compare the rounded value."""

    digits: Annotated[
        int,
        BeforeValidator(to_int),
        Field(ge=0, le=12),
        WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 12}),
    ] = 1
    mode: RoundingName = "half-up"


class Pillar(Model):
    """A node of the pillar tree. Its children are its sub-pillars and the indicators that name it."""

    id: Id
    name: Translated
    weight: Number = Decimal(1)
    aggregation: AggregationName = "arithmetic"
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    pillars: list[Pillar] = empty_list()


class Tier(Model):
    id: Id
    label: Translated
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))


class Threat(Model):
    """A level of threat, the second axis of a region beside its setting (`tiers`: urban, rural, border...):
    a capital can be high-threat. Threats are listed from the lowest; a higher one may add critical indicators
    and raise cut-offs (an indicator's `thresholds` keyed by the threat's id), never lower them."""

    id: Id
    label: Translated
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    critical: list[Id] = empty_list()
    """Indicators that are critical in regions at this threat or a higher one."""


#: Who holds primary responsibility for public safety, in a region or for one function of it: the mission's
#: police (`un`), both together (`joint`) or the host state's police (`host`).
PRIMACY = ("un", "joint", "host")
#: The two sides of a transition; a body is joint when it has parties of both.
SIDES = ("un", "host")
if TYPE_CHECKING:
    Primacy: TypeAlias = str
    Side: TypeAlias = str
else:
    Primacy = enum(*PRIMACY)
    Side = enum(*SIDES)


class Party(Model):
    id: Id
    name: Translated
    side: Side | None = None
    """`un` for the mission's side, `host` for the host state's (ministries, the police command): a body or a
    verification is joint only with parties of both sides."""


class Function(Model):
    """A policing function that can be handed over on its own: general policing, public order,
    investigations, border policing..."""

    id: Id
    name: Translated
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))


class Population(Model):
    """A group some indicators are measured for separately: women, men."""

    id: Id
    label: Translated


class Benchmark(Model):
    """A benchmark of progress the mission reports on (the Secretary-General's annex of benchmarks and indicators),
    measured by some indicators: met in a region when each of them that applies there has reached the handover
    level."""

    id: Id
    name: Translated
    indicators: Annotated[list[Id], Field(min_length=1)]
    origin: BenchmarkOrigin | None = None
    """Where it was set: a Security Council resolution's paragraph, or a report of the Secretary-General (the
    annex of benchmarks it submitted); the annex of benchmarks names it."""
    target_date: Date | None = None
    """The date by which it is to be met (the annex of benchmarks prints it)."""


class BenchmarkOrigin(Model):
    """Where a benchmark was set: a paragraph of a Security Council resolution (`council`, cited as the mandate
    cites it), or a report of the Secretary-General (`report`, its symbol, with its `date` and `paragraph`)."""

    council: CouncilResolution | None = None
    """The resolution, its day of adoption and paragraph: `{resolution: 2781, adopted: 2025-06-27, paragraph:
    "11"}`."""
    report: Text = ""
    """The symbol of the report of the Secretary-General that set it: "S/2025/806"."""
    date: Date | None = None
    """The date of that report."""
    paragraph: Text = ""
    """The paragraph of that report: "62"."""


class Partner(Model):
    """Another institution that some indicators also measure (the justice sector: magistrates for the 48-hour
    custody rule, prosecutors for case outcomes)."""

    id: Id
    name: Translated


class Signatory(Model):
    """One who signs a body's certificates and records of decision, by role: a co-chair signs, a witness
    attests (the Police Commissioner and the host police commander, at a handover ceremony)."""

    role: Translated
    """The office, as the certificate names it: "Deputy Special Representative of the Secretary-General"."""
    name: Text = ""
    """Who holds it, printed under the role [default: a blank line to write the name on]."""
    witness: Bool = False
    """Signs as a witness, not as a party to the decision."""


class HostPolice(Model):
    """The host State's police as the Secretary-General's reports name it: in full the first time, with its
    abbreviation in brackets, then by the abbreviation ("the Lomara National Police (LNP)", then "the LNP")."""

    name: Translated
    abbreviation: Translated
    women: Id | None = None
    """The indicator that measures women's share of its officers: the transition paragraph reports it."""
    women_in_command: Id | None = None
    """The indicator that measures women's share of its command posts: the transition paragraph reports it."""


class Mission(Model):
    """The mission as the Council factsheet's title names it: in full and by its abbreviation ("the United
    Nations Mission in Lomara", "UNML")."""

    name: Translated
    abbreviation: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))


class Body(Model):
    """A body that takes handover decisions (a joint transition committee): joint when its parties include
    both sides."""

    id: Id
    name: Translated
    parties: Annotated[list[Id], Field(min_length=1)]
    seat: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """Where it sits: the place its certificates are done at, unless a decision names another (`place`)."""
    legal_basis: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """The arrangement with the host State under which it acts (after the mandate's resolution), as every
    certificate cites it: "the Supplemental Arrangement on Policing of 12 March 2025, article 4"."""
    agreement: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """The framework agreement on the handover process that its certificates refer to."""
    signatories: list[Signatory] = empty_list()
    """Who signs its certificates, by role: the co-chairs, then any witnesses [default: one line per party]."""


class SourceType(Model):
    """A kind of source that evidence cites: administrative records, a field visit, a public survey."""

    id: Id
    name: Translated
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    survey: Bool = False
    """A survey of people (a public, victimisation or staff survey): its evidence gives the `sample_size` the value
    rests on (`check` reports one without it: Q002 for a critical indicator, Q003 otherwise), and a value resting on
    it that repeats the round before is reported as possibly copied forward (Q004)."""


class Gate(Model):
    enabled: Bool = True


class CriticalFloorGate(Gate):
    """A critical indicator below the handover level caps the region at that indicator's level."""

    missing_caps_at: Id | None = None
    """If set, a critical indicator with no current value caps the region at this level."""


class PrerequisitesGate(Gate):
    """An indicator whose prerequisite is below `required_level` is capped at `cap_at`."""

    required_level: Id
    cap_at: Id


class PillarFloorGate(Gate):
    """A region needs every top-level pillar at or above `floor` to reach `applies_to`."""

    floor: Number
    applies_to: Id
    cap_at: Id


class EvidenceGate(Gate):
    """Enough current data, and enough kinds of source for critical indicators."""

    min_coverage: Number
    """Percent of indicator weight with current data needed to reach `applies_to`."""
    insufficient_below: Number
    """Below this coverage (percent) the region is rated `insufficient_level`."""
    insufficient_level: Id
    critical_source_types: Annotated[
        int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})
    ] = 2
    max_age_days: Annotated[
        int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})
    ] = 365
    applies_to: Id
    cap_at: Id


class StabilityGate(Gate):
    """No fall in the overall score over recent rounds to reach `applies_to`; `sustained_level` after
    holding it."""

    rounds: Annotated[int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})] = 2
    applies_to: Id
    cap_at: Id
    sustained_level: Id | None = None
    track_record: Annotated[
        int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})
    ] = 1
    """Rounds in a row, the current one included, whose score reaches the cut-off of `applies_to` before a
    region may have it [default 1: the current round alone]. A region is not ready on its first assessment
    with 2."""
    tolerance: Annotated[Number, Field(ge=0)] = Decimal(0)
    """A fall of the rounded overall score by less than this is not a fall [default 0: any fall is one]."""
    critical_drop: Bool = False
    """A critical indicator whose level fell since the previous round is a fall too, whatever the score did."""
    after_handover: Bool = True
    """`sustained_level` needs a handover of the whole region (the handover register) and `applies_to` held in
    each of the `rounds` rounds since, the current one included. With `false`: `applies_to` held in the
    `rounds` rounds before the current one and in it, handover or not."""


class TierThresholdsGate(Gate):
    """Each region's tier selects its indicators' thresholds; when off, every region uses `fallback_tier`."""

    fallback_tier: Id | None = None


class SignOffGate(Gate):
    """Levels from `applies_to` upwards are published only with sign-off from every party listed."""

    parties: list[Id]
    applies_to: Id
    cap_at: Id


class OverrideGate(Gate):
    """Leadership may override a region's level, with rationale, approver and expiry."""


class Gates(Model):
    critical_floor: CriticalFloorGate | None = None
    prerequisites: PrerequisitesGate | None = None
    pillar_floor: PillarFloorGate | None = None
    evidence: EvidenceGate | None = None
    stability: StabilityGate | None = None
    tier_thresholds: TierThresholdsGate | None = None
    sign_off: SignOffGate | None = None
    override: OverrideGate | None = None


class NoiseByConfidence(Model):
    """Standard deviation of the error assumed for an observation, as a share of its indicator's span
    (worst to best goalpost, first to last band, lowest to highest rubric level)."""

    low: Number = Decimal("0.08")
    medium: Number = Decimal("0.04")
    high: Number = Decimal("0.015")
    unstated: Number = Decimal("0.04")
    """For observations that give no confidence."""


class Uncertainty(Model):
    """The choices a reasonable analyst could make differently, for `readiness score --uncertainty`."""

    weight_range: Number = Decimal("0.25")
    """Each weight is drawn uniformly within this share of itself (0.25: from 75% to 125%)."""
    alternatives: dict[Id, list[AggregationName]] = empty_dict()
    """Other aggregations a reasonable analyst could use at a node (pillar id, or `overall`)."""
    noise: NoiseByConfidence = NoiseByConfidence()
    robust_share: Number = Decimal("0.90")
    """A level is robust when at least this share of samples gives the same level."""
    samples: Annotated[
        int, BeforeValidator(to_int), Field(ge=10, le=100000), WithJsonSchema({"type": "integer", "minimum": 10})
    ] = 1000
    seed: Int = 20261125
    survey_margins: Bool = True
    """A survey value with a sample size (`evidence[].sample_size`) varies by its own sampling error (the margin
    of error / 1.96) instead of the confidence noise."""
    rank_in_public: Bool = False
    """Whether public builds show each region's rank interval among the others. Off by default: indicators of
    this kind are not meant to rank (the UN Rule of Law Indicators say so); internal builds keep it."""


class DataQuality(Model):
    """When `check` finds an unusual share of a region's values just above their cut-offs (rule Q001). A value is
    just above a cut-off when it passes it (in the indicator's direction, with the region's tier and threat
    thresholds) by less than `near_cutoff_band` per cent of the indicator's range: its goalposts' |best - worst|,
    else the cut-off's own value. A region's round is reported when at least `near_cutoff_min` of its values are
    just above and they are more than `near_cutoff_share` per cent of its values with a level."""

    near_cutoff_band: Annotated[Number, Field(gt=0, le=100)] = Decimal(3)
    """How close above a cut-off counts as just above, in per cent of the indicator's range [default 3]."""
    near_cutoff_share: Annotated[Number, Field(ge=0, le=100)] = Decimal(25)
    """The share of a region's values with a level, in per cent, that just above may not exceed [default 25]."""
    near_cutoff_min: Annotated[
        int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})
    ] = 5
    """The fewest values just above that are reported, whatever their share [default 5]."""


class Marking(Model):
    """Labels for restricted content and for internal builds. A label the framework does not set is the
    catalogue's, in the page's language (`marking.*` in readiness/i18n); the defaults below are its English."""

    def given(self, name: str) -> bool:
        """Whether the framework sets this label (else the catalogue's words are used, in each language)."""
        return name in self.model_fields_set

    restricted_label: Translated = Field(default_factory=lambda: LocalText("Restricted"))
    internal_notice: Translated = Field(default_factory=lambda: LocalText("Internal: not for publication"))


#: A language code as a framework writes it: `en`, `fr`, `pt-BR`.
LanguageCode = Annotated[
    str,
    BeforeValidator(to_text),
    Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"),
    WithJsonSchema({"type": "string", "pattern": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$"}),
]


def person_and_role(text: str) -> tuple[str, str]:
    """A person as a team list or a party's spokesperson is written ("Supt. Moussa Kanta, Acting LNP Dabori District
    Commander"): the name, before the first comma, and the role after it ("" without a comma)."""
    name, _, role = str(text).partition(",")
    return name.strip(), role.strip()


class PublicEdition(Model):
    """What the public edition shows of the people the project names, and the words `check` looks for in the texts
    it publishes (rule A003)."""

    named: list[NonEmptyText] | None = None
    """Who the public edition names: parties by id (`unpol`: whoever signs or speaks for it) and roles as written
    (`Minister of Interior and Public Security, co-chair`: whoever holds it, in any of its languages). Everyone else
    appears by role only: the name of a sign-off, of a team member, of a party's spokesperson and of a
    certificate's signatory is left out of the public edition [default: the parties of the mission's side,
    `side: un`]."""
    phrases: dict[LanguageCode, list[NonEmptyText]] = empty_dict()
    """The words and phrases `check` looks for in a public text, by language (`{en: [intelligence, informant],
    fr: [renseignement]}`), in place of the catalogue's list for that language [default: the catalogue's]."""

    def names(self, parties: list[Party], party: str | None = None, role: object = "") -> bool:
        """Whether the public edition names whoever holds `role` for `party` (either may be unknown)."""
        if self.named is None:
            allowed = {p.id for p in parties if p.side == "un"}
            roles: set[str] = set()
        else:
            ids = {p.id for p in parties}
            allowed = {n for n in self.named if n in ids}
            roles = {n.strip().casefold() for n in self.named if n not in ids}
        if party is not None and party in allowed:
            return True
        variants = [str(role), *getattr(role, "translations", {}).values()]
        return any(v.strip().casefold() in roles for v in variants if v.strip())


class Framework(Model):
    """`indicators/framework.yaml`: levels, pillars, scale, rounding, gates and parties."""

    @property
    def written_in(self) -> str:
        """The language of a text written once (`text_language`, else the first of `languages`)."""
        return self.text_language or self.languages[0]

    name: Translated
    version: Text = ""
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    languages: Annotated[
        list[Annotated[str, BeforeValidator(to_text), Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")]],
        Field(min_length=1),
        WithJsonSchema({"type": "array", "items": {"type": "string"}, "minItems": 1}),
    ] = ["en"]
    """The languages of the site, the first being the default; translatable text may give each."""
    text_language: Annotated[
        str | None, BeforeValidator(to_text), Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
    ] = None
    """The language the project's texts are written in when they are written once (a plain string, not
    `{en: ..., fr: ...}`); default: the first of `languages`. A site in another language marks such a text as
    not translated (a French-first mission whose teams write their notes in English says `text_language: en`)."""
    scale: Scale = Scale()
    rounding: Rounding = Rounding()
    levels: Annotated[list[Level], Field(min_length=2)]
    handover_level: Id
    """The level at which primary responsibility can be handed over."""
    aggregation: AggregationName = "arithmetic"
    """How the top-level pillars combine into the overall score."""
    score_around: Number | None = None
    """Levels as bands on both sides of this value: a level's `min_score` is compared with
    `score_around − |score − score_around|`, so a score above the value counts as far off as one below (the
    GDI's groups are bands of |1 − GDI|). [default: none, levels compare the score itself]"""
    pillars: Annotated[list[Pillar], Field(min_length=1)]
    tiers: list[Tier] = empty_list()
    """A region's setting (urban, rural, border, maritime...): it selects its indicators' thresholds."""
    threats: list[Threat] = empty_list()
    """Threat levels, from the lowest: the second axis of a region (`threat:`)."""
    parties: list[Party] = empty_list()
    source_types: list[SourceType] = empty_list()
    roll_up: Annotated[
        Literal["population", "equal"], BeforeValidator(to_text), WithJsonSchema({"enum": ["population", "equal"]})
    ] = "population"
    """How nested regions roll up to their parent."""
    gates: Gates = Gates()
    uncertainty: Uncertainty = Uncertainty()
    data_quality: DataQuality = DataQuality()
    """What `check` calls an unusual share of values just above their cut-offs (Q001)."""
    marking: Marking = Marking()
    public_edition: PublicEdition = PublicEdition()
    """Who the public edition names, and the words `check` looks for in its texts."""
    functions: list[Function] = empty_list()
    """The policing functions a decision may hand over separately; without them, decisions cover whole
    regions."""
    bodies: list[Body] = empty_list()
    """The bodies that take handover decisions and leadership overrides."""
    populations: list[Population] = empty_list()
    """Groups an indicator may be measured for separately (women and men)."""
    currency: Text = "USD"
    """The currency of the inputs' costs in the costed gap list."""
    benchmarks: list[Benchmark] = empty_list()
    """The benchmarks the mission reports on, each measured by indicators (`readiness documents` writes their
    annex)."""
    partners: list[Partner] = empty_list()
    """Other institutions that indicators name in `shared_with`."""
    host_police: HostPolice | None = None
    """The host State's police by name and abbreviation, for the documents [default: "the host State police"]."""
    mission: Mission | None = None
    """The mission by name and abbreviation, for the factsheet's title [default: none named]."""
    country: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """The host country as titles name it [default: the name of the top region, when the regions have one]."""
    initial_primacy: Primacy = "un"
    """Who holds primary responsibility before any decision: `un` or `joint`."""
    partial_handover_level: Id | None = None
    """The level a region needs before some of its functions are handed over [default: the handover
    level]; handing over below it is a decision against the assessment."""


# ---------------------------------------------------------------- indicators


class Requirement(Model):
    """A prerequisite. `validity` (the default): this indicator cannot be rated above `cap_at` while `indicator`
    is below `level` (a crime return is meaningless without the registry it is read from). `causal`: the
    prerequisite may explain a low value but does not lower a measured one; while it is below `level`, this
    indicator is flagged at risk because of it, and the flag is in the path to handover."""

    indicator: Id
    level: Id | None = None
    cap_at: Id | None = None
    kind: Literal["validity", "causal"] = "validity"


class EvidenceRule(Model):
    source_types: list[Id] = empty_list()
    """The kinds of source this indicator is expected to draw on."""
    max_age_days: Annotated[
        Annotated[int, Field(ge=1)] | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        WithJsonSchema({"type": "integer", "minimum": 1}),
    ] = None


class PopulationVariant(Model):
    """How an indicator measured for one population (women, men) enters the tree: its pillar and, if it
    differs, its scoring (the GDI's life-expectancy goalposts differ by sex)."""

    pillar: Id
    scoring: ScoringMethod | None = None


class Indicator(Model):
    """One file under `indicators/`: a measurable criterion of police capacity."""

    id: Id
    name: Translated
    definition: Translated
    pillar: Id
    unit: Unit
    unit_label: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    direction: Direction
    critical: Bool = False
    denominator: Id | None = None
    """What its percentage is a share of, as the regions count it (`stations`, one of a region's `counts`):
    the costed gap list then counts how many a region is short of the target (stations without a link), which
    an input `per: short` is needed for."""
    performance: Bool = False
    """It measures what the police do (a violation rate, a response time, incidents handled without help), not
    what they have: no purchase closes its gap, so where it holds a region back with no input given, the costed
    gap list names it apart as a performance gap, not as an input not yet costed."""
    weight: Number = Decimal(1)
    requires: list[Annotated[Requirement, shorthand("indicator")]] = empty_list()
    """Prerequisites: an indicator id, or a mapping with `indicator`, `level`, `cap_at` and `kind` (validity or
    causal)."""
    inputs: list[GapInput] = empty_list()
    """What would close this indicator's gap in a region, where the assessment gives none of its own."""
    populations: dict[Id, PopulationVariant] = empty_dict()
    """Measured separately for each population named here (the framework's `populations`): the indicator
    becomes one per population, `<id>.<population>`, each in its pillar and with its scoring, and an
    observation gives a value per population (`populations: {women: 85.8, men: 83.2}`). No copy of the file."""
    functions: list[Id] = empty_list()
    """The policing functions (the framework's `functions`) this indicator is a criterion of: a function is judged
    on the indicators that name it and on those that name none (pay, fuel, vetting bear on every function)
    [default: every function]. A functional handover relies on the level of the functions it hands over."""
    retired: Date | None = None
    """From this day the indicator no longer counts: a round whose cut-off is on or after it neither scores nor
    asks for it (a value given is reported, O008, and not used), while the rounds before keep the method they
    were scored with. A framework changes between rounds without re-scoring a closed one."""
    by_sex: Bool = False
    """Its survey reports women and men apart (trust, safety): every value gives `by_sex: {women, men}`; `check`
    reports one without them (O009: an error while the round can be corrected, a warning once it is sealed)."""
    shared_with: list[Id] = empty_list()
    """Partners (the framework's `partners`) whose work this indicator also measures: where it holds a region
    back, pages name it apart from the police's own gaps."""
    scoring: ScoringMethod
    """How a raw value becomes a score: `method` names a normalisation (`readiness/methods/`), the rest are
    its parameters."""
    thresholds: dict[Id, dict[Id, Number]]
    """Cut-offs per tier (or `all`), and per threat: the value needed to reach each level. A value exactly on a
    cut-off reaches that level. A region at a threat with its own set uses, level by level, the stricter of
    that set and its tier's."""
    evidence: EvidenceRule = EvidenceRule()
    restricted: Bool = False
    source: Text = ""
    """Where the definition comes from."""
    notes: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))


#: The key of an indicator's thresholds that every tier without its own set uses.
ALL_TIERS = "all"


def thresholds_for(indicator: Indicator, tier: str | None, threat: str | None = None) -> tuple[str, dict[str, Decimal]]:
    """The thresholds that apply to a region of `tier` (its own tier's set, else the `all` set) and, when the
    indicator has a set for the region's `threat`, level by level the stricter of the two (a higher threat
    may raise a requirement, never lower it). The engine rates values with it and the data-quality rules read
    it: one definition."""
    if tier is not None and tier in indicator.thresholds:
        used, cuts = tier, indicator.thresholds[tier]
    elif ALL_TIERS in indicator.thresholds:
        used, cuts = ALL_TIERS, indicator.thresholds[ALL_TIERS]
    else:
        # checks report a missing tier (I004); score with the first set rather than not at all
        used = next(iter(indicator.thresholds))
        cuts = indicator.thresholds[used]
    if threat is None or threat not in indicator.thresholds:
        return used, cuts
    higher = indicator.direction == "higher"
    merged = dict(cuts)
    for level, cut in indicator.thresholds[threat].items():
        own = merged.get(level)
        merged[level] = cut if own is None else (max(own, cut) if higher else min(own, cut))
    return (f"{used}+{threat}", merged) if merged != cuts else (used, cuts)


# ---------------------------------------------------------------- regions and rounds


class Region(Model):
    id: Id
    name: MaybeTranslated
    parent: Id | None = None
    kind: Annotated[
        Literal["territorial", "functional", "national"],
        BeforeValidator(to_text),
        WithJsonSchema({"enum": ["territorial", "functional", "national"]}),
    ] = "territorial"
    """`territorial` (a country, province, district), `functional` (a unit with its own area: a maritime unit)
    or `national` (a national institution assessed once as a unit: the police academy, the criminal
    investigation department; it has no parent and no population, and is not part of any roll-up)."""
    category: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """What the region is called locally: province, district, maritime unit..."""
    tier: Id | None = None
    """The region's setting (a tier of the framework): urban, rural, border..."""
    threat: Id | None = None
    """The region's threat level (a threat of the framework), independent of its setting."""
    population: Annotated[
        Annotated[int, Field(ge=0)] | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        WithJsonSchema({"type": "integer", "minimum": 0}),
    ] = None
    geometry: Id | None = None
    """The feature id of this region in the project's GeoJSON."""
    counts: dict[
        Id,
        Annotated[int, BeforeValidator(to_int), Field(ge=0), WithJsonSchema({"type": "integer", "minimum": 0})],
    ] = {}
    """How many of each thing the region has that indicators count: `{stations: 16}`. An indicator whose
    `denominator` names one is a share of it, and the costed gap list counts how many are short of the target
    (stations without a link)."""
    description: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    restricted: Bool = False
    object: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """What a handover of this unit or institution hands over, as its certificate says it after "primary
    responsibility for" ("the administration and management of the academy"; in French with its preposition,
    after "la responsabilité principale": "de l'administration et de la gestion de l'École") [default: public
    safety in the whole district, unit or institution]."""
    criteria: list[Id] = empty_list()
    """Its own criteria profile: the indicators it is judged on (a national institution is not a district: the
    academy is judged on training and certification, not on patrols). The others do not apply to it, without a
    `not_applicable:` in each round's file [default: every indicator]."""

    def applies(self, indicator_id: str) -> bool:
        """Whether an indicator (or one of its per-population variants, `<id>.<population>`) is among its
        criteria."""
        return not self.criteria or indicator_id.split(".", 1)[0] in self.criteria


class RegionsFile(Model):
    """`assessments/regions.yaml`."""

    regions: Annotated[list[Region], Field(min_length=1)]


#: The states of a round: `collecting` while the team gathers its values (values still to come are not errors,
#: and the round is published only as a preview), `final` once it is closed (`readiness close-round`).
ROUND_STATES = ("collecting", "final")
if TYPE_CHECKING:
    RoundState: TypeAlias = str
else:
    RoundState = enum(*ROUND_STATES)


class Seal(Model):
    """What `readiness close-round` recorded of a closed round: the day, and a digest of each of its files, so
    that any later change to them is seen (check, A002) and can be made only as an amendment."""

    date: Date
    """The day the round was sealed (again, after an amendment). Not `on`, which YAML 1.1 readers take for
    `true`."""
    files: dict[str, Text] = empty_dict()
    """Each file of `assessments/<round>/` by name, with the first 16 hex digits of its SHA-256 (line ends
    counted as LF, so a checkout with CRLF line ends keeps its seal)."""


class AmendedValue(Model):
    """One observation an amendment changed: what it was and what it became, as the files wrote them."""

    region: Id
    indicator: Id | None = None
    """None for a change the tool could not read value by value (`field: file`)."""
    field: Text = "value"
    """`value`, `not_collected`, `not_applicable`, `evidence` (the number of entries) or `file` (a change the
    tool could not read value by value)."""
    old: Text = ""
    new: Text = ""


class Amendment(Model):
    """A change to a sealed round, on the record: when, by whom, why, and each value it changed. Made only with
    `readiness amend`, which seals the round again."""

    date: Date
    by: NonEmptyText
    reason: MaybeTranslated
    changes: list[AmendedValue] = empty_list()


def holds_passage(text: object, passage: str) -> bool:
    """Whether a text, in any of its languages, holds `passage` as written (spaces and line breaks aside)."""
    wanted = " ".join(passage.split())
    texts = [str(text), *getattr(text, "translations", {}).values()]
    return bool(wanted) and any(wanted in " ".join(t.split()) for t in texts)


class SensitiveText(Model):
    """A text of a round's assessment kept out of the public edition, marked in `assessments/rounds.yaml`: the way
    to mark a text of a sealed round, whose files change only by amendment (marking a text sensitive changes no
    finding, only who may read it)."""

    region: Id
    text: NonEmptyText
    """A passage of the text as written, in any of its languages: the narrative, risk, recommendation or
    observation note of the region's assessment in this round that holds it is sensitive."""


class Round(Model):
    id: Id
    label: Translated
    date: Date
    """The data cut-off date of the round."""
    state: RoundState = "final"
    """`collecting` while values are still being gathered; `final` once the round is closed."""
    seal: Seal | None = None
    """Written by `readiness close-round`: the round's files may change only by an amendment from then on."""
    amendments: list[Amendment] = empty_list()
    """The changes made to the round since it was sealed, oldest first (`readiness amend`)."""
    sensitive: list[SensitiveText] = empty_list()
    """Texts of the round's assessments that the public edition leaves out, marked here rather than in the
    round's files (a sealed round's files change only by amendment); a note may also say `sensitive: true`."""

    def marks_sensitive(self, region: str, note: Note) -> bool:
        """Whether a note of `region`'s assessment in this round is sensitive: marked so, or holding a passage
        this round's `sensitive` list gives for the region."""
        if note.sensitive:
            return True
        return any(s.region == region and holds_passage(note.text, s.text) for s in self.sensitive)

    @property
    def collecting(self) -> bool:
        return self.state == "collecting"

    @property
    def sealed(self) -> bool:
        return self.seal is not None

    def amended(self, region: str, indicator: str) -> list[Amendment]:
        """The amendments that changed one observation of the round."""
        return [a for a in self.amendments if any(c.region == region and c.indicator == indicator for c in a.changes)]


class RoundsFile(Model):
    """`assessments/rounds.yaml`: rounds in chronological order."""

    rounds: Annotated[list[Round], Field(min_length=1)]


# ---------------------------------------------------------------- assessments


class Evidence(Model):
    source: Id
    reference: NonEmptyText
    date: Date
    restricted: Bool = False
    sample_size: Annotated[
        int | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        Field(ge=1),
        WithJsonSchema({"type": "integer", "minimum": 1}),
    ] = None
    """For a survey: the respondents the value rests on. With it, a percentage gets its margin of error."""
    design_effect: Annotated[Number, Field(ge=1)] = Decimal(1)
    """For a survey: how much the sample design (clusters, weights) widens the error against a simple random
    sample of the same size [default 1]."""


#: Who provides an input that closes a gap.
INPUT_OWNERS = ("government", "mission", "donor")
#: Where an input's funding stands: none yet, promised, agreed in writing, or paid.
FUNDING_STATUSES = ("unfunded", "pledged", "committed", "disbursed")
if TYPE_CHECKING:
    InputOwner: TypeAlias = str
    FundingStatus: TypeAlias = str
    PerShort: TypeAlias = str
else:
    InputOwner = Literal[INPUT_OWNERS]
    FundingStatus = enum(*FUNDING_STATUSES)
    PerShort = enum("short")


class GapInput(Model):
    """An input that would close an indicator's gap (six HF radios, a year of fuel): what, how many, at what unit
    cost, who provides it, from which funding source, and how long it takes to arrive."""

    item: MaybeTranslated
    quantity: Annotated[Number, Field(gt=0)] = Decimal(1)
    unit_cost: Annotated[Number, Field(ge=0)]
    """In the framework's currency (`currency`)."""
    owner: InputOwner
    source: Text = ""
    """The funding source (treasury line, assessed budget, a donor's programme)."""
    lead_time_days: Annotated[
        int | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        Field(ge=0),
        WithJsonSchema({"type": "integer", "minimum": 0}),
    ] = None
    per: PerShort | None = None
    """`short`: `quantity` is for each one the region is short of the handover target (a radio set for each
    station without a link), counted from the value and the denominator (the observation's, else the region's
    count that the indicator's `denominator` names); the gap list works the quantity out, and says so where no
    denominator is given."""
    funding: FundingStatus = "unfunded"
    """Where its funding stands: `unfunded`, `pledged`, `committed` (agreed in writing) or `disbursed`."""
    recurrent: Bool = False
    """A recurrent cost (fuel, salaries, maintenance), `unit_cost` being a year's, rather than a one-off
    purchase."""
    implementing_partner: Text = ""
    """Who delivers it (UNOPS, UNDP, a bilateral programme), where not the owner itself."""
    gender_marker: Annotated[
        int | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        Field(ge=0, le=3),
        WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 3}),
    ] = None
    """The UN gender equality marker: 0 (no contribution), 1 (limited), 2 (significant) or 3 (gender equality
    is its principal objective)."""
    needed_by: Date | None = None
    """When it must be in place for the region to make its deadline [default: the deadline itself]."""

    @property
    def cost(self) -> Decimal:
        return self.quantity * self.unit_cost


class BySex(Model):
    """A survey value for women and for men, where the survey gives them."""

    women: Number | None = None
    men: Number | None = None


class Observation(Model):
    """One indicator in one assessment: a value with evidence, or the reason there is none."""

    value: Annotated[
        str | None,
        PlainValidator(lambda v: None if v is None else to_scalar(v)),
        WithJsonSchema({"type": ["number", "boolean"]}),
    ] = None
    """The value as written: `Plain` when unquoted, so the indicator's unit can type it (quoted is text)."""
    not_collected: Text | None = None
    """Why there is no value this round (missing is never zero)."""
    not_applicable: Text | None = None
    """Why this indicator does not apply to this region (excluded from coverage)."""
    carried_from: Id | None = None
    """The round a `not_applicable` was carried forward from by `readiness new-round`, until the team confirms
    it (by deleting this line)."""
    confidence: Confidence | None = None
    evidence: list[Evidence] = empty_list()
    note: NoteField | None = None
    restricted: Bool = False
    by_sex: BySex | None = None
    """The value for women and for men, where the survey gives them (shown beside the value)."""
    inputs: list[GapInput] = empty_list()
    """What would close this indicator's gap in this region (the costed gap list)."""
    denominator: Annotated[
        int | None,
        BeforeValidator(lambda v: None if v is None else to_int(v)),
        Field(ge=1),
        WithJsonSchema({"type": "integer", "minimum": 1}),
    ] = None
    """For a percentage of things counted: how many there were this round (the 16 stations and posts of a
    district) [default: the region's count that the indicator's `denominator` names]. With it, the costed gap
    list counts how many are short of the target (stations without a link), which an input `per: short` is
    needed for."""
    effort: Text | None = None
    """What a count rests on, shown beside it: the human-rights monitoring behind a violation rate ("36 station
    visits by 3 monitors"), since a falling count during drawdown may only mean fewer monitors."""
    populations: dict[
        Id,
        Annotated[
            str,
            PlainValidator(to_scalar),
            WithJsonSchema({"type": ["number", "boolean"]}),
        ],
    ] = {}
    """For an indicator measured per population: the value of each (typed like `value`)."""

    @property
    def value_quoted(self) -> bool:
        """Whether the value was written in quotes (text, where a number or true/false is expected)."""
        return self.value is not None and not isinstance(self.value, Plain)


def to_scalar(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float | Decimal):
        return Plain(str(value).lower() if isinstance(value, bool) else str(value))
    raise fail("scalar_type", "files.type.scalar", got=describe(value))


#: A party's position on an assessment or a decision. `reservations` concurs, with reasons recorded;
#: `withheld` (not yet, and why) and `dissent` do not.
POSITIONS = ("concur", "reservations", "withheld", "dissent")
#: Positions that count as agreement.
CONCURRING = ("concur", "reservations")
#: The steps of an assessment's sign-off: the assessed command's own self-assessment, then joint verification
#: in the field (only verification counts for the sign-off gate).
SIGN_OFF_STEPS = ("self-assessment", "verification")
if TYPE_CHECKING:
    Stance: TypeAlias = str
    SignOffStep: TypeAlias = str
else:
    Stance = enum(*POSITIONS)
    SignOffStep = enum(*SIGN_OFF_STEPS)


class SignOff(Model):
    """One party's signature on one step of the assessment, with its position."""

    party: Id
    name: NonEmptyText
    role: Text = ""
    date: Date
    step: SignOffStep = "verification"
    """`self-assessment` or `verification`; whoever signed the self-assessment may not verify it."""
    position: Stance = "concur"
    """`concur`, `reservations` (concurs, with reasons), `withheld` (not yet) or `dissent`."""
    reason: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """Why, for any position but `concur`."""
    resolution: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """What would resolve reservations or a withheld signature, by whom and by when."""


class Override(Model):
    """A level set by a joint body, shown prominently wherever the level is."""

    level: Id
    rationale: Text | None = None
    approved_by: Text | None = None
    expires: Date | None = None
    body: Id | None = None
    """The joint body that decided it (one of the framework's `bodies`): a level set by one party alone is
    refused."""
    reference: Text = ""
    """The decision's reference (minutes, a decision number)."""


#: Texts `readiness new-round` writes for a team to replace: a final round may not hold them, and `check` lists
#: them while a round is collecting.
PLACEHOLDERS = ("What the team found, in a few sentences.",)


def _team_member(value: Any) -> Any:
    """A team member written as a line of text ("Supt. Ingrid Halvorsen, UNPOL Sector Central commander"): the name
    before the first comma, the role after it, of no party."""
    if isinstance(value, str):
        name, role = person_and_role(value)
        return {"name": name or str(value), "role": role}
    return value


class TeamMember(Model):
    """One member of the joint team that assessed a region: `{name, party, role, leader, assessed, observer}`, or a
    line of text ("Supt. Ingrid Halvorsen, UNPOL Sector Central commander"), which gives no party (older rounds)."""

    name: NonEmptyText
    party: Id | None = None
    """The framework's party the member belongs to (`unpol`, `lnp`): a member with a party is typed, and `check`
    weighs a team whose members are all typed (J001 to J003)."""
    role: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """The office, as the public edition shows the member when it does not name them."""
    leader: Bool = False
    """Leads the team (one member does)."""
    assessed: Bool = False
    """Commands (or is on the staff of) the region or unit being assessed."""
    observer: Bool = False
    """Attends without verifying: the assessed commander attends as an observer."""

    @property
    def typed(self) -> bool:
        return self.party is not None

    def text(self, lang: str | None = None) -> str:
        """As a team list writes them: "name, role" (the role in `lang` when it is translated)."""
        return ", ".join(part for part in (self.name, self.role.get(lang)) if part)


TeamMemberField = Annotated[TeamMember, BeforeValidator(_team_member)]


class Assessment(Model):
    """One region in one round: `assessments/<round>/<region>.yaml`."""

    region: Id
    round: Id
    assessed_on: Date | None = None
    team: list[TeamMemberField] = empty_list()
    """Who assessed it: each member as `{name, party, role, leader, assessed, observer}`, or as a line of text
    ("Supt. Ingrid Halvorsen, UNPOL Sector Central commander")."""
    confidence: Confidence | None = None
    narrative: NoteField | None = None
    risks: list[NoteField] = empty_list()
    recommendations: list[NoteField] = empty_list()
    observations: dict[Id, Observation]
    sign_off: list[SignOff] = empty_list()
    override: Override | None = None


class ScenarioChange(Model):
    """One observation as the scenario assumes it."""

    region: Id
    indicator: Id
    value: Annotated[
        str | None,
        BeforeValidator(lambda v: None if v is None else to_scalar(v)),
        WithJsonSchema({"type": ["number", "boolean"]}),
    ] = None
    not_collected: Text | None = None


class Scenario(Model):
    """`scenarios/<name>.yaml`: a what-if that changes some observations of one round."""

    name: Translated
    description: TranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    round: Id | None = None
    """The round it changes [default: the latest]."""
    changes: Annotated[list[ScenarioChange], Field(min_length=1)]
    restricted: Bool = False


# ---------------------------------------------------------------- the handover register (handover/)

#: A decision hands primary responsibility over, takes it back, or records that a handover waits.
DECISION_KINDS = ("handover", "reversion", "deferral")
#: The state of a condition at a round's review.
CONDITION_STATES = ("open", "met", "not-met", "waived")
#: Conditions in these states no longer wait for anything.
CONDITIONS_CLOSED = ("met", "waived")
if TYPE_CHECKING:
    DecisionKind: TypeAlias = str
    ConditionState: TypeAlias = str
else:
    DecisionKind = enum(*DECISION_KINDS)
    ConditionState = enum(*CONDITION_STATES)

Count = Annotated[int, BeforeValidator(to_int), Field(ge=0), WithJsonSchema({"type": "integer", "minimum": 0})]


class PartyPosition(Model):
    """A party's position on a decision."""

    party: Id
    position: Stance
    reason: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """Why, for any position but `concur`."""
    by: Text = ""
    """Who spoke for the party."""
    sensitive: Bool = False
    """The reason is not for the public (what intelligence reports say): the public edition gives the party's
    position without it and counts it in its note of what it left out."""


#: One party id, or several: `verified_by: jtwg` or `verified_by: [unpol, ministry]`.
PartyIds = Annotated[
    list[Id],
    BeforeValidator(lambda v: [v] if isinstance(v, str) else v),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]


class ConditionStatus(Model):
    """Where a condition stood at a round's review: its `state` alone (`met`), or with the evidence of it
    (`{state: met, reference: "JTWG field verification report JTWG/PAD/2026-Q3/FV-04", verified_by: [unpol,
    ministry], date: 2026-09-18}`). A condition `met` needs the reference of what shows it and the parties that
    verified it, not its owner alone; one `waived` needs the reference of the decision that waived it and who
    waived it (J004, J005)."""

    state: ConditionState
    reference: Text = ""
    """The evidence: the verification report that found it met, the record of the decision that waived it."""
    verified_by: PartyIds = empty_list()
    """The parties that verified it met (the framework's parties): others than its owner alone."""
    waived_by: Id | None = None
    """Who waived it: the joint body (one of the framework's `bodies`) or a party."""
    date: Date | None = None
    """When it was verified, or waived."""

    def evidence(self) -> dict[str, Any]:
        """What the results and pages show beside the state: the reference, who verified or waived it, when."""
        return {
            "reference": self.reference,
            "verified_by": list(self.verified_by),
            "waived_by": self.waived_by,
            "date": None if self.date is None else self.date.isoformat(),
        }


#: The evidence of a condition whose state is recorded without it (or not recorded).
NO_EVIDENCE: dict[str, Any] = {"reference": "", "verified_by": [], "waived_by": None, "date": None}


class Condition(Model):
    """Something the decision depends on: what, who owns it, by when, and where it stood at each round."""

    what: MaybeTranslated
    owner: Id | None = None
    """The party that must deliver it."""
    due: Date | None = None
    status: dict[Id, Annotated[ConditionStatus, shorthand("state")]] = empty_dict()
    """Its state at each round's review, by round id: `open`, `met`, `not-met` or `waived`, alone or with its
    evidence (`{state: met, reference: ..., verified_by: [unpol, ministry], date: ...}`)."""
    inputs: list[GapInput] = empty_list()
    """What meeting it would cost (the costed gap list lists open conditions with their inputs)."""

    def at(self, order: dict[str, int], limit: int) -> ConditionStatus | None:
        """The last status recorded at the round of index `limit` or before it (in `order`, round id to index);
        None when none is."""
        recorded = [(order[r], s) for r, s in self.status.items() if r in order and order[r] <= limit]
        return max(recorded, key=lambda pair: pair[0])[1] if recorded else None


class Footprint(Model):
    """UN police strength by type."""

    individual_officers: Count = 0
    formed_units: Count = 0
    colocation_teams: Count = 0
    women: Count = 0
    """Of the individual officers, how many are women (a phase's strength: the documents and the factsheet report
    the share, as the UN's gender parity targets count it) [default: not given]."""


#: The kinds of UN police posture, from the most to the least engaged: executive policing (UN primacy),
#: joint operations, co-location with the host police, a formed unit on standby on request, monitoring and advice.
POSTURE_KINDS = ("executive", "joint-operations", "co-location", "standby", "monitor-advise")
if TYPE_CHECKING:
    PostureKind: TypeAlias = str
else:
    PostureKind = enum(*POSTURE_KINDS)


class Posture(Model):
    """What the mission's police keep doing after the decision (monitoring and advice, a formed unit on
    standby for public order...), and the strength planned for it."""

    text: MaybeTranslated
    kind: PostureKind | None = None
    """Its type (`executive`, `joint-operations`, `co-location`, `standby`, `monitor-advise`): outputs count in
    how many districts and units UN police moved to monitoring and advice."""
    footprint: Footprint | None = None


class Presence(Model):
    """The UN police presence a district or unit needs while no decision in effect plans one (before its handover,
    or for the functions retained): with the decisions' postures, the whole requirement each drawdown phase's
    strength is checked against."""

    region: Id
    kind: PostureKind | None = None
    footprint: Footprint


class TriggerStatus(Model):
    """Whether a text trigger tripped at a round, and what shows it."""

    tripped: Bool
    evidence: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """What shows it (an incident report, the human rights division's finding), or what the team looked at to
    say it did not trip."""


class Trigger(Model):
    """A reversion trigger agreed with the decision. With `level_below`, it is checked at every round after the
    handover: the region's level (or, with `indicator`, that indicator's) below that level trips it. With
    `text` alone, the team watches it and says at each round whether it tripped (`status`)."""

    text: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    level_below: Id | None = None
    indicator: Id | None = None
    status: dict[Id, TriggerStatus] = empty_dict()
    """For a text trigger, whether it tripped at each round after the decision took effect, by round id:
    `{2026-q3: {tripped: true, evidence: "..."}}` (J006). A tripped one puts the region at risk after handover,
    as a level trigger does."""

    @property
    def watched(self) -> bool:
        """A text trigger: the team watches it (the tool checks a level trigger itself)."""
        return self.level_below is None


class Request(Model):
    """The host Government's request that a decision answers: what (a letter, and from whom), its reference and
    its date."""

    text: MaybeTranslated
    """What it is, as a certificate cites it: "letter of the Minister of Interior to the SRSG"."""
    reference: Text = ""
    date: Date


class Decision(Model):
    """`handover/decisions/<id>.yaml`: one decision of a joint body on who holds primary responsibility for
    public safety in a region or unit, for all its functions or some."""

    id: Id
    kind: DecisionKind
    region: Id
    functions: list[Id] = empty_list()
    """The functions it covers (the framework's `functions`) [default: all of them, the whole region]."""
    primacy: Primacy | None = None
    """Who holds primary responsibility afterwards [default: `host` for a handover, `joint` for a reversion;
    a deferral changes nothing]."""
    body: Id | None = None
    """The joint body that took it (one of the framework's `bodies`)."""
    reference: NonEmptyText
    decided: Date
    effective: Date | None = None
    """When primacy changes [default: the day of the decision]."""
    relied_on: Id
    """The assessment round the decision relied on."""
    rationale: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """Why; required when the decision goes against the assessment."""
    positions: list[PartyPosition] = empty_list()
    """Each party's position (every party of the body)."""
    conditions: list[Condition] = empty_list()
    posture: Posture | None = None
    review: Date | None = None
    """When the body reviews the decision."""
    triggers: list[Trigger] = empty_list()
    """What would make the body reconsider (a reversion)."""
    request: Request | None = None
    """The Government's request that the decision answers, if any: its certificate cites it."""
    place: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """Where the certificate is done and signed [default: the body's `seat`]."""
    restricted: Bool = False

    @property
    def primacy_after(self) -> str | None:
        if self.primacy is not None:
            return self.primacy
        return {"handover": "host", "reversion": "joint"}.get(self.kind)

    @property
    def effective_date(self) -> date:
        return self.effective or self.decided


class CouncilResolution(Model):
    """A Security Council resolution as the Secretary-General's reports cite it: by number and year, with the day
    it was adopted and, where one is meant, the paragraph ("paragraph 7 of resolution 2893 (2026) of 26 June
    2026")."""

    resolution: Annotated[int, BeforeValidator(to_int), Field(ge=1), WithJsonSchema({"type": "integer", "minimum": 1})]
    """Its number: 2893."""
    adopted: Date
    """The day the Council adopted it (its year is the one in brackets after the number)."""
    paragraph: Text = ""
    """The paragraph meant, as the resolution numbers it: "7", "7 (b)" [default: the resolution as a whole]."""


class MandatePeriod(Model):
    id: Id
    resolution: NonEmptyText
    """The Security Council resolution that set it."""
    start: Date
    end: Date
    council: CouncilResolution | None = None
    """The same resolution by number and date, as reports cite it (`resolution` stays the label pages show)."""
    executive: list[Id] = empty_list()
    """The functions (the framework's `functions`) for which the resolution gives the mission's police executive
    authority: what UN primacy over a function rests on (`check` warns of UN primacy without it, H015)."""


class PrimacyBasis(Model):
    """What joint (or UN) responsibility before handover rests on besides the mandate: the agreement with the
    Government and its request, as a certificate and the register page cite them."""

    agreement: MaybeTranslated
    """The agreement ("the Supplemental Arrangement on Policing of 12 March 2025, article 2")."""
    request: Request | None = None
    """The Government's request for UN police support behind it."""


class Deadline(Model):
    """A date by which the host state is to hold primary responsibility, set regardless of readiness (by the
    Security Council, or an agreement)."""

    id: Id
    what: Translated
    date: Date
    set_by: NonEmptyText
    regions: list[Id] = empty_list()
    """The regions and units it applies to [default: every assessed one]."""
    council: CouncilResolution | None = None
    """The resolution and paragraph that set it, by number and date: the transition paragraph cites it so
    ("paragraph 7 of resolution 2893 (2026)") instead of `set_by`."""


class Phase(Model):
    """A planned drawdown phase and the UN police strength it keeps."""

    id: Id
    name: Translated
    start: Date
    end: Date
    strength: Footprint
    council: CouncilResolution | None = None
    """The resolution and paragraph that endorsed it, by number and date, if the Council did."""


class Mandate(Model):
    """`handover/mandate.yaml`: mandate periods, deadlines and the planned drawdown."""

    periods: list[MandatePeriod] = empty_list()
    deadlines: list[Deadline] = empty_list()
    phases: list[Phase] = empty_list()
    basis: PrimacyBasis | None = None
    """The agreement and the Government's request that joint or UN responsibility rests on before handover."""
    presence: list[Presence] = empty_list()
    """The UN police presence each district or unit needs until a decision in effect plans its own: with it, a
    phase's strength is checked against the whole requirement, not only the handed-over postures (H013)."""


class Report(Model):
    """A report of the Secretary-General on the mission, as the Council's calendar sets it: the transition
    paragraph is written for the report whose period holds the round's cut-off, and compares with what the
    report before it could state."""

    id: Id
    symbol: Text = ""
    """The document symbol once issued ("S/2026/415"); empty while it is being drafted."""
    start: Date
    end: Date
    """The period it covers."""
    cut_off: Date | None = None
    """The last day of information it reports [default: the end of its period]."""
    due: Date
    """The day it is due to the Council."""
    issued: Date | None = None
    """The date it bears once issued, as the next report cites it ("my report of 15 June 2026") [default: its
    due date]."""

    @property
    def information_to(self) -> date:
        return self.cut_off or self.end

    @property
    def dated(self) -> date:
        return self.issued or self.due


class ReportsFile(Model):
    """`handover/reports.yaml`: the reports of the Secretary-General the transition paragraph is written for,
    in any order."""

    reports: Annotated[list[Report], Field(min_length=1)]


#: The risk a due diligence assessment finds that UN support would contribute to grave violations.
HRDDP_RISKS = ("low", "medium", "high")
#: What the mission does with its support to a unit under the policy: continues it, continues it under conditions
#: (the mitigating measures), or suspends it.
HRDDP_SUPPORT = ("continued", "conditional", "suspended")
if TYPE_CHECKING:
    HrddpRisk: TypeAlias = str
    HrddpSupport: TypeAlias = str
else:
    HrddpRisk = enum(*HRDDP_RISKS)
    HrddpSupport = enum(*HRDDP_SUPPORT)


class DueDiligence(Model):
    """The mission's human rights due diligence record for one district or unit (the UN's Human Rights Due
    Diligence Policy on support to non-UN security forces): the risk its support would contribute to grave
    violations, the mitigating measures, and whether support continues. It governs UN support (the decisions'
    postures, the UN- and donor-funded inputs of the gap list), never the host police's level: grave violations
    left unaddressed are the host side's own gate (a critical indicator)."""

    id: Id
    region: Id
    reference: NonEmptyText
    """The risk assessment's reference, as the mission files it."""
    assessed: Date
    review: Date | None = None
    """When it is to be reviewed; past the cut-off, `check` says it is out of date (H014)."""
    risk: HrddpRisk
    measures: list[MaybeTranslated] = empty_list()
    """The mitigating measures agreed (vetting of the unit's commanders, human rights training, monitoring)."""
    support: HrddpSupport = "continued"
    """`continued`, `conditional` (on the measures) or `suspended`: suspended support holds every UN- and
    donor-funded input of the gap list for that district or unit, and the decisions' postures there."""


class DueDiligenceFile(Model):
    """`handover/hrddp.yaml`: the mission's human rights due diligence records, one per district or unit it
    supports. Internal: the public edition leaves the file out."""

    records: list[DueDiligence] = empty_list()


# ---------------------------------------------------------------- site settings (mkdocs.yml)

#: The named colours of the site's theme (mkdocs-material): a palette value reaches the page as an attribute.
THEME_COLOURS = (
    "red",
    "pink",
    "purple",
    "deep purple",
    "indigo",
    "blue",
    "light blue",
    "cyan",
    "teal",
    "green",
    "light green",
    "lime",
    "yellow",
    "amber",
    "orange",
    "deep orange",
    "brown",
    "grey",
    "blue grey",
    "black",
    "white",
)
#: The site engine's plugins that the tool configures itself; naming them in mkdocs.yml changes nothing.
OWN_PLUGINS = ("search", "offline", "privacy")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def to_site_file(value: Any) -> str:
    """A path of a file in site/, relative to it: no scheme, no absolute path, no `..`, no control characters."""
    text = to_text(value).strip()
    parts = text.replace("\\", "/").split("/")
    if (
        not text
        or text.startswith(("/", "\\"))
        or _SCHEME.match(text)
        or ".." in parts
        or any(ord(c) < 32 for c in text)
    ):
        raise fail("site_file", "files.type.site_file", got=describe(value))
    return text


SiteFile = Annotated[str, PlainValidator(to_site_file), WithJsonSchema({"type": "string", "minLength": 1})]
"""A path of a file in the project's site/ folder, written relative to it (images/logo.png)."""
if TYPE_CHECKING:
    ThemeColour: TypeAlias = str
    Plugin: TypeAlias = str
else:
    ThemeColour = enum(*THEME_COLOURS)
    Plugin = enum(*OWN_PLUGINS)


class Palette(Model):
    """The theme's colours, by name."""

    primary: ThemeColour | None = None
    accent: ThemeColour | None = None
    scheme: enum("default", "slate") | None = None  # type: ignore[valid-type]


class Theme(Model):
    """The site's theme: always mkdocs-material, with the team's colours, logo and favicon."""

    name: enum("material") = "material"  # type: ignore[valid-type]
    palette: Palette | None = None
    logo: SiteFile | None = None
    """An image in site/, e.g. images/logo.png."""
    favicon: SiteFile | None = None
    """An image in site/, e.g. images/favicon.png."""

    REFUSED: ClassVar[tuple[str, ...]] = ("custom_dir", "features", "language", "font", "icon")
    """Settings of the theme the tool refuses; the catalogue's `files.refused.<name>` says why."""


class SiteSettings(Model):
    """`mkdocs.yml`: what a team may set about its site. It is data: nothing in it runs code or loads from
    outside; the tool writes the site engine's configuration itself from these settings."""

    site_name: MaybeTranslated
    """The site's title, on every page (one text, or one per language)."""
    site_description: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    site_author: Text = ""
    copyright: MaybeTranslatedOrEmpty = Field(default_factory=lambda: LocalText(""))
    """A line at the foot of every page (text; Markdown and HTML are shown as written)."""
    theme: Theme = Theme()
    plugins: list[Plugin] = empty_list()
    """Accepted for compatibility; the tool configures search, offline and privacy itself."""

    REFUSED: ClassVar[tuple[str, ...]] = (
        "hooks",
        "INHERIT",
        "extra_javascript",
        "extra_css",
        "extra_templates",
        "markdown_extensions",
        "nav",
        "extra",
        "repo_url",
        "repo_name",
        "edit_uri",
        "docs_dir",
        "site_dir",
        "site_url",
        "use_directory_urls",
        "dev_addr",
        "watch",
        "strict",
        "validation",
        "exclude_docs",
        "not_in_nav",
        "draft_docs",
        "remote_branch",
        "remote_name",
    )
    """Settings of the site engine the tool refuses; the catalogue's `files.refused.<name>` says why."""


FILE_KINDS: dict[str, type[Model]] = {
    "framework": Framework,
    "indicator": Indicator,
    "regions": RegionsFile,
    "rounds": RoundsFile,
    "assessment": Assessment,
    "scenario": Scenario,
    "decision": Decision,
    "mandate": Mandate,
    "reports": ReportsFile,
    "hrddp": DueDiligenceFile,
    "mkdocs": SiteSettings,
}


# ---------------------------------------------------------------- observed values, typed by the indicator's unit


class ValueProblem(ValueError):
    """An observed value that does not fit its indicator; `code` is O001 (type) or O002 (range)."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


_NON_NEGATIVE_UNITS = {"count", "rate", "minutes", "hours", "days", "per-100k", "per-100", "ordinal"}
_UPPER_BOUNDS = {"percent": Decimal(100), "per-100": Decimal(100)}


def read_value(indicator: Indicator, observation: Observation, scale: Scale) -> Decimal | bool | None:
    """The observation's value typed by the indicator's unit: True/False for yes-no, a Decimal otherwise.

    Raises ValueProblem when the value has the wrong type or lies outside the unit's range.
    """
    return value_reader(indicator, scale)(observation)


def value_reader(indicator: Indicator, scale: Scale) -> Callable[[Observation], Decimal | bool | None]:
    """`read_value` for one indicator, with the unit's range worked out once (the engine reads every
    observation with it)."""
    low, high = _bounds(indicator, scale)
    ind_id, unit = indicator.id, indicator.unit

    def read(observation: Observation) -> Decimal | bool | None:
        raw = observation.value
        if raw is None:
            return None
        if observation.value_quoted:
            inner = str(raw).strip()
            if unit == "yes-no" and inner in ("true", "false") or unit != "yes-no" and _NUMBER.fullmatch(inner):
                raise ValueProblem(
                    "O001",
                    say("files.value.quoted", value=short(str(raw))),
                    say("files.value.quoted_hint", value=inner),
                )
            raise _value_hint(ind_id, unit, inner, quoted=True)
        return _typed(ind_id, unit, str(raw), low, high)

    return read


def slipped_by(value: Decimal, previous: Decimal) -> int | None:
    """10 or 100 when `value` is that many times larger or smaller than `previous` (within 15%): a decimal point
    slipped or a unit confused (0.84 where the round before had 84), which a team checks before it is published.
    None otherwise, and for zeros."""
    if not value or not previous:
        return None
    ratio = abs(value / previous)
    if ratio < 1:
        ratio = 1 / ratio
    for factor in (100, 10):
        if Decimal(factor) / Decimal("1.15") <= ratio <= Decimal(factor) * Decimal("1.15"):
            return factor
    return None


_YES = ("yes", "y", "oui", "o", "si", "sí", "sim", "1", "on", "True", "TRUE", "Yes", "YES", "Oui", "OUI")
_NO = ("no", "n", "non", "0", "off", "nao", "não", "False", "FALSE", "No", "NO", "Non", "NON")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+")
_THOUSANDS = re.compile(r"[-+]?\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?")
_EUROPEAN = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+,\d+")
_WITH_UNIT = re.compile(r"([-+]?\d+(?:[.,]\d+)?)\s*(%|[^\d\s].*)")


#: What teams type in a value's place when there is none, in English and French, by what it means (the text
#: lower-cased, without dots, spaces or slashes): `N/A` may mean either.
_NO_VALUE_MARKS = {
    "either": {"na", "nan", "nr", "none", "null", "nil", "aucun", "aucune", "néant", "neant"},
    "not_applicable": {"so", "sansobjet", "notapplicable", "nonapplicable", "nonpertinent", "inapplicable"},
    "not_collected": {
        "nd",
        "nc",
        "nondisponible",
        "notavailable",
        "notcollected",
        "noncollecté",
        "noncollecte",
        "unknown",
        "inconnu",
        "inconnue",
        "tbd",
        "tbc",
        "àvenir",
        "avenir",
        "pending",
        "enattente",
        "-",
        "--",
        "–",
        "—",
        "?",
        "x",
        "…",
        "...",
    },
}


def no_value_mark(text: str) -> str | None:
    """What a placeholder typed in a value's place means: `not_applicable` (s.o., sans objet), `not_collected`
    (n.d., unknown, -) or `either` (N/A); None for anything else."""
    key = re.sub(r"[\s./_]", "", text.strip().lower()) or text.strip()
    return next((meaning for meaning, marks in _NO_VALUE_MARKS.items() if key in marks), None)


def no_value_fix(mark: str, *, columns: bool) -> str:
    """Where the reason goes instead of a placeholder value: in the sheet's columns or the file's keys."""
    name = "files.value.no_value.column" if columns else "files.value.no_value.key"
    applicable = say("files.value.no_value.not_applicable", name=say(name, name="not_applicable"))
    collected = say("files.value.no_value.not_collected", name=say(name, name="not_collected"))
    where = {"not_applicable": applicable, "not_collected": collected}.get(mark) or say(
        "files.value.no_value.either", applicable=applicable, collected=collected
    )
    return say("files.value.no_value.fix_columns" if columns else "files.value.no_value.fix_keys", where=where)


def _value_hint(ind_id: str, unit: str, raw: str, *, quoted: bool = False) -> ValueProblem:
    """Why a value is not a number (or true/false), in the words of the mistake, with the fix in one step
    (`quoted`: the value was written in quotes, and the fix says to write it without)."""
    text = raw.strip()
    shown = short(raw)
    mark = no_value_mark(text)
    if mark is not None:
        return ValueProblem(
            "O001", say("files.value.not_a_value", value=shown, indicator=ind_id), no_value_fix(mark, columns=False)
        )
    write = say("files.value.write_unquoted" if quoted else "files.value.write")
    if unit == "yes-no":
        fix = "true" if text in _YES else "false" if text in _NO else None
        return ValueProblem(
            "O001",
            say("files.value.yes_no", indicator=ind_id, value=shown),
            say("files.value.write_this", write=write, value=fix)
            if fix
            else say("files.value.true_or_false", write=write),
        )
    expects = say("files.value.expects", indicator=ind_id, unit=unit, value=shown)

    def wrong(key: str, hint: str, **fields: Any) -> ValueProblem:
        return ValueProblem("O001", say(key, expects=expects), say(hint, write=write, **fields))

    if _EUROPEAN.fullmatch(text):  # 1.250,5: points between thousands, a decimal comma
        return wrong("files.value.european", "files.value.write_this", value=text.replace(".", "").replace(",", "."))
    if _THOUSANDS.fullmatch(text) and not _DECIMAL_COMMA.fullmatch(text.replace(" ", "")):
        plain = re.sub(r"[,\u00a0\u202f ]", "", text)
        return wrong("files.value.thousands", "files.value.thousands_hint", value=plain)
    if _THOUSANDS.fullmatch(text):  # 1,250: a thousands comma, or a decimal comma with three decimals
        whole, fraction = text.split(",", 1)
        return wrong(
            "files.value.comma", "files.value.comma_hint", whole=f"{whole}{fraction}", decimal=f"{whole}.{fraction}"
        )
    if _DECIMAL_COMMA.fullmatch(text):
        return wrong("files.value.decimal_comma", "files.value.write_this", value=text.replace(",", "."))
    unit_match = _WITH_UNIT.fullmatch(text)
    if unit_match:
        number = unit_match.group(1).replace(",", ".")
        if unit_match.group(2) == "%":
            return wrong("files.value.percent", "files.value.percent_hint", value=number, indicator=ind_id, unit=unit)
        return wrong("files.value.words", "files.value.words_hint", value=number, indicator=ind_id, unit=unit)
    return ValueProblem("O001", expects, say("files.value.number_alone", write=write))


def _bounds(indicator: Indicator, scale: Scale) -> tuple[Decimal | None, Decimal | None]:
    unit = indicator.unit
    low: Decimal | None = Decimal(0) if unit in _NON_NEGATIVE_UNITS or unit in _UPPER_BOUNDS else None
    high = _UPPER_BOUNDS.get(unit)
    if unit == "score":
        low, high = scale.min, scale.max
    if unit == "ordinal" and getattr(indicator.scoring, "rubric", None):
        levels = [r.level for r in indicator.scoring.rubric]
        low, high = Decimal(min(levels)), Decimal(max(levels))
    return low, high


@functools.lru_cache(maxsize=65536)
def _typed(ind_id: str, unit: str, raw: str, low: Decimal | None, high: Decimal | None) -> Decimal | bool:
    """read_value's work, remembered: the same figures recur across regions and rounds."""
    if unit == "yes-no":
        if raw in ("true", "false"):
            return raw == "true"
        raise _value_hint(ind_id, unit, raw)
    try:
        number = to_decimal(Plain(raw))
    except PydanticCustomError:
        raise _value_hint(ind_id, unit, raw) from None
    if unit in ("count", "ordinal") and number != number.to_integral_value():
        raise ValueProblem("O001", say("files.value.whole", indicator=ind_id, value=raw), say("files.value.whole_hint"))
    if (low is not None and number < low) or (high is not None and number > high):
        span = (
            say("files.value.span_between", low=str(low), high=str(high))
            if high is not None
            else say("files.value.span_from", low=str(low))
        )
        raise ValueProblem(
            "O002",
            say("files.value.out_of_range", indicator=ind_id, unit=unit, span=span, value=raw),
            say("files.value.out_of_range_hint"),
        )
    return number


def _rebuild_scoring() -> None:
    """A normalisation method was registered: the indicator schema takes its parameters."""
    global ScoringMethod
    from pydantic.fields import FieldInfo

    ScoringMethod = _scoring_union()
    field = FieldInfo.from_annotation(ScoringMethod)
    field.description = Indicator.model_fields["scoring"].description
    Indicator.model_fields["scoring"] = field
    variant = FieldInfo.from_annotation(ScoringMethod | None)
    variant.default = None
    PopulationVariant.model_fields["scoring"] = variant
    PopulationVariant.model_rebuild(force=True)
    Indicator.model_rebuild(force=True)


on_register(_rebuild_scoring)
