"""Data-quality warnings (readiness/rules/quality.py): values just above their cut-offs (Q001), survey evidence
without a sample size (Q002 for a critical indicator, Q003 otherwise), a survey value repeated from the round
before (Q004). Each is run through the real `readiness check` on a small project written for the test, and read
as a user reads it: the code, the severity, the file and line, the message."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from readiness.cli import main
from tests.conftest import framework, indicator, project_files, write_project
from tests.test_corpus import run_check

SUR = {"id": "SUR", "name": "Public survey", "survey": True}


def _framework(**changes: Any) -> dict[str, Any]:
    fw = framework(**changes)
    fw["source_types"] = [*fw["source_types"], SUR]
    return fw


def _indicators(count: int, **changes: Any) -> list[dict[str, Any]]:
    """`count` percentage indicators I1, I2...: goalposts 0-100, cut-offs 50 (partially ready) and 80 (ready)."""
    return [indicator(f"I{i}", **changes) for i in range(1, count + 1)]


def _check(root: Path, *extra: str) -> list[dict[str, Any]]:
    _, output, report = run_check(root, *extra)
    assert report is not None, output
    assert "Traceback" not in output
    return report["diagnostics"]


def _codes(found: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [d for d in found if d["code"] == code]


def _write(tmp_path: Path, files: dict[str, Any]) -> Path:
    return write_project(tmp_path / "project", files)


def _values(*numbers: Any, start: int = 1) -> dict[str, Any]:
    return {f"I{i}": n for i, n in enumerate(numbers, start=start)}


# ---------------------------------------------------------------- Q001 values just above their cut-offs


def test_five_values_just_above_their_cut_offs_are_a_warning_with_count_share_and_indicators(tmp_path):
    values = _values(81, 80, 51.5, 82.9, 50, 60, 65, 95)  # five within 3 of 80 or 50 (range 100), three not
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(8)))
    found = _check(root)
    (q,) = _codes(found, "Q001")
    assert q["severity"] == "warning"
    assert (q["file"], q["line"]) == ("assessments/r1/north.yaml", 3)  # the `observations:` key
    assert q["message"] == (
        "5 of the 8 values of north in r1 (63%) pass a cut-off by less than 3% of their range: I1, I2, I3, I4, I5"
    )
    assert "check these values against their sources" in q["hint"]
    assert found == [q]  # warnings only: the project itself is fine


def test_a_value_exactly_at_the_band_is_not_just_above(tmp_path):
    at_band = _values(83, 83, 53, 53, 83, 60, 60, 60)  # 3 above the cut-off: 3% of the range, not less
    root = _write(tmp_path, project_files({"r1/north": at_band}, fw=_framework(), indicators=_indicators(8)))
    assert _codes(_check(root), "Q001") == []
    inside = _values(82.99, 82.99, 52.99, 52.99, 80.5, 60, 60, 60)
    root = _write(tmp_path, project_files({"r1/north": inside}, fw=_framework(), indicators=_indicators(8)))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].startswith("5 of the 8 values")


def test_four_values_just_above_are_not_enough_whatever_their_share(tmp_path):
    values = _values(81, 81, 81, 81)  # every value, but four
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(4)))
    assert _codes(_check(root), "Q001") == []
    values = _values(81, 81, 81, 81, 81)
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(5)))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].startswith("5 of the 5 values of north in r1 (100%)")


def test_the_share_must_be_more_than_the_setting(tmp_path):
    exactly = _values(*([81] * 5 + [60] * 15))  # 5 of 20: 25%, not more
    root = _write(tmp_path, project_files({"r1/north": exactly}, fw=_framework(), indicators=_indicators(20)))
    assert _codes(_check(root), "Q001") == []
    above = _values(*([81] * 5 + [60] * 14))  # 5 of 19: 26%
    root = _write(tmp_path, project_files({"r1/north": above}, fw=_framework(), indicators=_indicators(19)))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].startswith("5 of the 19 values of north in r1 (26%)")


def test_a_value_below_its_cut_off_is_not_just_above_it(tmp_path):
    values = _values(79.5, 79, 49.5, 49, 78, 60, 60, 60)  # just below: they do not pass
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(8)))
    assert _codes(_check(root), "Q001") == []


def test_the_region_s_tier_chooses_the_cut_offs(tmp_path):
    tiered = {"urban": {"partially-ready": 50, "ready": 80}, "rural": {"partially-ready": 30, "ready": 60}}
    inds = _indicators(6, thresholds=tiered)
    regions = [
        {"id": "north", "name": "North", "tier": "urban", "population": 1000},
        {"id": "south", "name": "South", "tier": "rural", "population": 1000},
    ]
    values = _values(61, 61, 62, 61.5, 60, 90)  # just above rural's 60, well clear of urban's 50 and 80
    files = project_files({"r1/north": values, "r1/south": values}, fw=_framework(), indicators=inds, regions=regions)
    (q,) = _codes(_check(_write(tmp_path, files)), "Q001")
    assert q["file"] == "assessments/r1/south.yaml"
    assert q["message"] == "5 of the 6 values of south in r1 (83%) pass a cut-off by less than 3% of their range: " + (
        "I1, I2, I3, I4, I5"
    )


def test_the_tier_gate_off_uses_the_fallback_tier_for_every_region(tmp_path):
    tiered = {"urban": {"partially-ready": 50, "ready": 80}, "rural": {"partially-ready": 30, "ready": 60}}
    fw = _framework(gates={"tier_thresholds": {"enabled": False, "fallback_tier": "urban"}})
    regions = [{"id": "south", "name": "South", "tier": "rural", "population": 1000}]
    values = _values(61, 61, 62, 61.5, 60, 90)
    files = project_files({"r1/south": values}, fw=fw, indicators=_indicators(6, thresholds=tiered), regions=regions)
    assert _codes(_check(_write(tmp_path, files)), "Q001") == []  # judged against urban's 80 and 50


def test_a_lower_is_better_value_is_just_above_when_just_under_its_cut_off(tmp_path):
    lower = {
        "unit": "minutes",
        "direction": "lower",
        "scoring": {"method": "goalposts", "worst": 240, "best": 30},  # range 210: 3% is 6.3 minutes
        "thresholds": {"all": {"partially-ready": 60, "ready": 30}},
    }
    inds = _indicators(7, **lower)
    passing = _values(30, 25, 55, 54, 60, 61, 120)  # five within 6.3 under 30 or 60; 61 and 120 pass nothing
    root = _write(tmp_path, project_files({"r1/north": passing}, fw=_framework(), indicators=inds))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].startswith("5 of the 7 values of north in r1 (71%)")
    assert q["message"].endswith(": I1, I2, I3, I4, I5")
    clear = _values(30, 23.7, 55, 53.7, 60, 61, 120)  # 23.7 and 53.7 are 6.3 under: on the band
    root = _write(tmp_path, project_files({"r1/north": clear}, fw=_framework(), indicators=inds))
    assert _codes(_check(root), "Q001") == []


def test_without_goalposts_the_band_is_a_share_of_the_cut_off_itself(tmp_path):
    counted = {
        "unit": "count",
        "scoring": {"method": "bands", "bands": [{"value": 0, "score": 0}, {"value": 200, "score": 100}]},
        "thresholds": {"all": {"partially-ready": 50, "ready": 100}},  # 3% of 100 is 3, of 50 is 1.5
    }
    inds = _indicators(6, **counted)
    root = _write(
        tmp_path, project_files({"r1/north": _values(100, 102, 50, 51, 101, 150)}, fw=_framework(), indicators=inds)
    )
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].endswith(": I1, I2, I3, I4, I5")
    root = _write(
        tmp_path, project_files({"r1/north": _values(100, 103, 50, 52, 101, 150)}, fw=_framework(), indicators=inds)
    )
    assert _codes(_check(root), "Q001") == []  # 103 is 3 above 100, 52 is 2 above 50 (band 1.5)


def test_a_threat_raises_the_cut_off_a_value_must_be_just_above(tmp_path):
    fw = _framework(threats=[{"id": "normal", "label": "Normal"}, {"id": "high", "label": "High"}])
    inds = _indicators(6, thresholds={"all": {"partially-ready": 50, "ready": 80}, "high": {"ready": 90}})
    regions = [
        {"id": "north", "name": "North", "tier": "urban", "population": 1000, "threat": "high"},
        {"id": "south", "name": "South", "tier": "urban", "population": 1000, "threat": "normal"},
    ]
    values = _values(91, 90.5, 92, 90, 91, 70)  # just above the high threat's 90; ten above the usual 80
    files = project_files({"r1/north": values, "r1/south": values}, fw=fw, indicators=inds, regions=regions)
    (q,) = _codes(_check(_write(tmp_path, files)), "Q001")
    assert q["file"] == "assessments/r1/north.yaml"


def test_yes_no_values_count_among_the_values_but_are_never_just_above(tmp_path):
    yes_no = {"unit": "yes-no", "scoring": {"method": "yes-no"}, "thresholds": {"all": {"ready": 1}}}
    inds = _indicators(5) + [indicator(f"Y{i}", **yes_no) for i in range(1, 16)]
    values = {**_values(81, 81, 81, 81, 81), **{f"Y{i}": True for i in range(1, 16)}}
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=inds))
    assert _codes(_check(root), "Q001") == []  # 5 of 20: 25%, not more
    values = {**_values(81, 81, 81, 81, 81), **{f"Y{i}": True for i in range(1, 15)}}
    files = project_files({"r1/north": values}, fw=_framework(), indicators=inds)
    files["assessments/r1/north.yaml"]["observations"]["Y15"] = {"not_collected": "No station visited."}
    (q,) = _codes(_check(_write(tmp_path, files)), "Q001")
    assert q["message"].startswith("5 of the 19 values")


def test_values_not_collected_not_applicable_or_pending_are_not_counted(tmp_path):
    inds = _indicators(8)
    files = project_files({"r1/north": _values(81, 81, 81, 81, 81)}, fw=_framework(), indicators=inds)
    observations = files["assessments/r1/north.yaml"]["observations"]
    observations["I6"] = {"not_collected": "The register was lost in the flood."}
    observations["I7"] = {"not_applicable": "The region has no port."}
    observations["I8"] = {}  # pending while the round is collected
    files["assessments/rounds.yaml"]["rounds"][0]["state"] = "collecting"
    (q,) = _codes(_check(_write(tmp_path, files)), "Q001")
    assert q["message"].startswith("5 of the 5 values of north in r1 (100%)")


def test_at_most_six_indicators_are_named(tmp_path):
    values = _values(81, 81, 81, 81, 81, 81, 81, 81, 60)
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(9)))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"].endswith(": I1, I2, I3, I4, I5, I6 and 2 more")


def test_the_framework_sets_the_band_the_share_and_the_minimum(tmp_path):
    values = _values(85, 85, 55, 55, 60, 60, 60, 60)  # four values 5 above a cut-off: 5% of the range
    inds = _indicators(8)
    quality = {"near_cutoff_band": 6, "near_cutoff_share": 40, "near_cutoff_min": 4}
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(data_quality=quality), indicators=inds))
    (q,) = _codes(_check(root), "Q001")
    assert q["message"] == (
        "4 of the 8 values of north in r1 (50%) pass a cut-off by less than 6% of their range: I1, I2, I3, I4"
    )
    assert "more than 40%" in q["hint"]
    for changed in ({"near_cutoff_band": 5}, {"near_cutoff_share": 50}, {"near_cutoff_min": 5}):
        fw = _framework(data_quality={**quality, **changed})
        root = _write(tmp_path, project_files({"r1/north": values}, fw=fw, indicators=inds))
        assert _codes(_check(root), "Q001") == [], changed


def test_a_wrong_setting_is_reported_with_file_and_line(tmp_path):
    fw = _framework(data_quality={"near_cutoff_band": 0, "near_cutoff_min": "five", "near_cutof_share": 30})
    root = _write(tmp_path, project_files({"r1/north": _values(81)}, fw=fw, indicators=_indicators(1)))
    code, output, report = run_check(root)
    assert code == 1 and report is not None and "Traceback" not in output
    found = {(d["code"], d["file"]) for d in report["diagnostics"]}
    assert ("S003", "indicators/framework.yaml") in found  # the band must be more than 0, the minimum a number
    assert ("S001", "indicators/framework.yaml") in found  # near_cutof_share: did you mean near_cutoff_share?
    unknown = next(d for d in report["diagnostics"] if d["code"] == "S001")
    assert "near_cutoff_share" in unknown["hint"] and unknown["line"] > 1


# ---------------------------------------------------------------- Q002, Q003 survey evidence without a sample


def _surveyed(sample: int | None = None, source: str = "SUR", value: Any = 60, **extra: Any) -> dict[str, Any]:
    evidence: dict[str, Any] = {"source": source, "reference": "Perception survey wave 3", "date": "2026-03-01"}
    if sample is not None:
        evidence["sample_size"] = sample
    return {"value": value, "evidence": [{"source": "ADM", "reference": "Register", "date": "2026-03-01"}, evidence]}


def test_survey_evidence_without_a_sample_size_is_a_warning(tmp_path):
    files = project_files({"r1/north": {"I1": _surveyed(), "I2": 60}}, fw=_framework(), indicators=_indicators(2))
    found = _check(_write(tmp_path, files))
    (q,) = _codes(found, "Q003")
    assert q["severity"] == "warning" and _codes(found, "Q002") == []
    text = (tmp_path / "project" / q["file"]).read_text(encoding="utf-8").splitlines()
    assert "source: SUR" in text[q["line"] - 1]  # the survey's evidence entry
    assert q["message"] == (
        "I1 rests on the survey 'Perception survey wave 3', which gives no sample size: its margin of error cannot be "
        "worked out"
    )
    assert "sample_size" in q["hint"] and "subsample" in q["hint"]


def test_survey_evidence_of_a_critical_indicator_without_a_sample_size_is_an_error(tmp_path):
    inds = [indicator("I1", critical=True), indicator("I2")]
    files = project_files({"r1/north": {"I1": _surveyed(), "I2": _surveyed()}}, fw=_framework(), indicators=inds)
    code, output, report = run_check(_write(tmp_path, files))
    assert report is not None, output
    (error,) = _codes(report["diagnostics"], "Q002")
    assert error["severity"] == "error" and code == 1
    assert error["message"].startswith("I1 is critical in north and rests on the survey 'Perception survey wave 3'")
    assert [d["message"].split()[0] for d in _codes(report["diagnostics"], "Q003")] == ["I2"]


@pytest.mark.parametrize(
    ("region_threat", "code"),
    [("high", "Q002"), ("severe", "Q002"), ("normal", "Q003"), (None, "Q003")],
)
def test_an_indicator_critical_at_the_region_s_threat_is_an_error(tmp_path, region_threat, code):
    threats = [
        {"id": "normal", "label": "Normal"},
        {"id": "high", "label": "High", "critical": ["I1"]},
        {"id": "severe", "label": "Severe"},  # a higher threat keeps what a lower one made critical
    ]
    region = {"id": "north", "name": "North", "tier": "urban", "population": 1000}
    if region_threat:
        region["threat"] = region_threat
    files = project_files(
        {"r1/north": {"I1": _surveyed()}}, fw=_framework(threats=threats), indicators=_indicators(1), regions=[region]
    )
    found = _check(_write(tmp_path, files))
    assert [d["code"] for d in found if d["code"].startswith("Q")] == [code]


def test_a_sample_size_or_a_source_that_is_no_survey_is_clean(tmp_path):
    values = {"I1": _surveyed(sample=1200), "I2": _surveyed(source="FV")}
    files = project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(2, critical=True))
    assert _check(_write(tmp_path, files)) == []


def test_only_a_source_type_the_framework_marks_as_a_survey_needs_a_sample(tmp_path):
    fw = _framework()
    fw["source_types"][-1] = {"id": "SUR", "name": "Public survey"}  # not marked `survey: true`
    files = project_files({"r1/north": {"I1": _surveyed()}}, fw=fw, indicators=_indicators(1, critical=True))
    assert _check(_write(tmp_path, files)) == []


def test_a_survey_cited_for_a_value_not_collected_needs_no_sample(tmp_path):
    observation = {
        "not_collected": "The survey wave was postponed.",
        "evidence": [{"source": "SUR", "reference": "Perception survey wave 3", "date": "2026-03-01"}],
    }
    files = project_files({"r1/north": {"I1": observation}}, fw=_framework(), indicators=_indicators(1))
    assert [d for d in _check(_write(tmp_path, files)) if d["code"].startswith("Q")] == []


def test_an_indicator_measured_per_population_reports_its_evidence_once(tmp_path):
    fw = _framework(populations=[{"id": "women", "label": "Women"}, {"id": "men", "label": "Men"}])
    ind = indicator("I1", populations={"women": {"pillar": "A"}, "men": {"pillar": "B"}})
    observation = _surveyed()
    observation["populations"] = {"women": 58, "men": 62}
    files = project_files({"r1/north": {"I1": observation}}, fw=fw, indicators=[ind])
    found = _check(_write(tmp_path, files))
    (q,) = _codes(found, "Q003")
    assert q["message"].startswith("I1 rests on the survey")


# ---------------------------------------------------------------- Q004 survey value repeated


def _two_rounds(first: dict[str, Any], second: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return project_files(
        {"r1/north": first, "r2/north": second},
        fw=_framework(),
        indicators=_indicators(len(first)),
        rounds=[("r1", "2026-03-31"), ("r2", "2026-06-30")],
        **changes,
    )


def _wave(value: Any, sample: int = 800, date: str = "2026-03-01", **extra: Any) -> dict[str, Any]:
    ev = {"source": "SUR", "reference": f"Perception survey {date}", "date": date, "sample_size": sample}
    return {"value": value, "evidence": [ev], **extra}


def test_a_survey_value_identical_to_the_round_before_is_a_warning(tmp_path):
    files = _two_rounds({"I1": _wave(61), "I2": _wave(40)}, {"I1": _wave(61.0, date="2026-06-01"), "I2": _wave(42)})
    found = _check(_write(tmp_path, files))
    (q,) = _codes(found, "Q004")
    assert q["severity"] == "warning" and q["file"] == "assessments/r2/north.yaml"
    line = (tmp_path / "project" / q["file"]).read_text(encoding="utf-8").splitlines()[q["line"] - 1]
    assert line.strip() == "value: 61.0"
    assert q["message"] == (
        "I1 is 61 in r2, as in r1, and rests on a survey: a new wave's figure, or the last one copied forward?"
    )
    assert "note" in q["hint"]


def test_a_repeated_value_not_from_a_survey_or_explained_in_a_note_is_clean(tmp_path):
    first = {"I1": _wave(61), "I2": 50, "I3": _wave(70)}
    note = "No new wave this quarter: the March wave still stands."
    second = {"I1": _wave(61, note=note), "I2": 50, "I3": _wave(71)}
    assert [d for d in _check(_write(tmp_path, _two_rounds(first, second))) if d["code"] == "Q004"] == []


def test_a_value_after_a_round_without_one_is_not_a_repeat(tmp_path):
    first = {"I1": {"not_collected": "The survey was postponed."}}
    second = {"I1": _wave(61)}
    assert _codes(_check(_write(tmp_path, _two_rounds(first, second))), "Q004") == []


def test_a_population_s_repeated_value_is_reported_at_its_indicator(tmp_path):
    fw = _framework(populations=[{"id": "women", "label": "Women"}, {"id": "men", "label": "Men"}])
    ind = indicator("I1", populations={"women": {"pillar": "A"}, "men": {"pillar": "B"}})
    first, second = _wave(60), _wave(60, date="2026-06-01")
    first["populations"], second["populations"] = {"women": 61, "men": 59}, {"women": 61, "men": 62}
    files = project_files(
        {"r1/north": {"I1": first}, "r2/north": {"I1": second}},
        fw=fw,
        indicators=[ind],
        rounds=[("r1", "2026-03-31"), ("r2", "2026-06-30")],
    )
    (q,) = _codes(_check(_write(tmp_path, files)), "Q004")
    assert q["message"].startswith("I1.women is 61 in r2, as in r1")
    line = (tmp_path / "project" / q["file"]).read_text(encoding="utf-8").splitlines()[q["line"] - 1]
    assert line.strip() == "I1:"


def test_a_sealed_round_is_checked_too(tmp_path):
    """A closed (sealed) round is checked like any other: the example's rounds are all sealed."""
    first = {"I1": _wave(61)}
    second = {"I1": _wave(61, date="2026-06-01")}
    files = _two_rounds(first, second)
    for round_id, day in (("r1", "2026-03-20"), ("r2", "2026-06-20")):
        files[f"assessments/{round_id}/north.yaml"].update(team=["A. Mensah", "J. Okoro"], assessed_on=day)
    root = _write(tmp_path, files)
    for round_id in ("r1", "r2"):
        closed = CliRunner().invoke(main, ["close-round", round_id, "--project", str(root)])
        assert closed.exit_code == 0, closed.output
    rounds = yaml.safe_load((root / "assessments" / "rounds.yaml").read_text(encoding="utf-8"))["rounds"]
    assert all(r.get("seal") for r in rounds)
    assert [d["code"] for d in _check(root)] == ["Q004"]


# ---------------------------------------------------------------- French, and the engine's cut-offs


def test_the_messages_are_in_french_with_lang_fr(tmp_path):
    inds = [indicator("I1", critical=True)] + [indicator(f"I{i}") for i in range(2, 9)]
    values = {"I1": _surveyed(value=81), **_values(81, 51, 80, 82, 60, 60, 60, start=2)}
    files = project_files({"r1/north": values}, fw=_framework(), indicators=inds)
    found = _check(_write(tmp_path, files), "--lang", "fr")
    (near,) = _codes(found, "Q001")
    assert near["message"] == (
        "5 des 8 valeurs de north en r1 (63\u00a0%) dépassent un seuil de moins de 3\u00a0% de leur étendue\u00a0: "
        "I1, I2, I3, I4, I5"
    )
    assert "vérifier ces valeurs au regard de leurs sources" in near["hint"]
    (sample,) = _codes(found, "Q002")
    assert sample["message"].startswith(
        "I1 est critique dans north et repose sur l'enquête 'Perception survey wave 3', qui ne donne pas la taille"
    )
    assert "sous-échantillon" in sample["hint"]


def test_the_french_repeat_and_more_messages(tmp_path):
    files = _two_rounds({"I1": _wave(61)}, {"I1": _wave(61)})
    (q,) = _codes(_check(_write(tmp_path, files), "--lang", "fr"), "Q004")
    assert q["message"].startswith("I1 vaut 61 en r2, comme en r1, et repose sur une enquête")
    values = _values(81, 81, 81, 81, 81, 81, 81, 60)
    root = _write(tmp_path, project_files({"r1/north": values}, fw=_framework(), indicators=_indicators(8)))
    (near,) = _codes(_check(root, "--lang", "fr"), "Q001")
    assert near["message"].endswith("I1, I2, I3, I4, I5, I6 et 1 autre")
