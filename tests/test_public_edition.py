"""The public edition and personal data (issue 29, last point): host-State officers appear in the public site and
documents by role only unless the framework names their party or role (`public_edition.named`); texts marked
sensitive (`sensitive: true`, or a round's `sensitive:` list in assessments/rounds.yaml for a sealed round) are
left out of the public edition and counted in its note of what it left out; `check` warns of a public text that
says "intelligence" or names a hidden officer (A003) and refuses a `sensitive:` entry that marks nothing (A004);
a public Word file says which edition it is on its first page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from readiness.model import person_and_role
from readiness.project import load_project
from readiness.publication import Naming, name_forms
from readiness.report import public_project
from tests.conftest import REPO, framework, project_files, run, write_project

docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

#: The two texts the audit of issue 29 found in the public edition, as the example writes them.
SENSITIVE = [
    "Chief Supt. Dolo was recalled to national headquarters",
    "Intelligence reports from March mention armed-group movements",
]


# ---------------------------------------------------------------- the example's people, collected here


def _host_parties(project: Any) -> set[str]:
    return {p.id for p in project.framework.parties if p.side == "host"}


def host_people(project: Any) -> dict[str, str]:
    """Every host-State officer the example names, by name, with the role it gives them: who signed for a party of
    the host side, who spoke for one on a decision, who was on a team for one (their role names the party: "LNP",
    "Ministry"), and a certificate's signatory whose role the framework does not name."""
    host = _host_parties(project)
    named = {n.casefold() for n in project.framework.public_edition.named or []}
    people: dict[str, str] = {}
    for a in project.assessments.values():
        for s in a.sign_off:
            if s.party in host:
                people.setdefault(s.name, s.role)
        for member in a.team:
            if member.typed:  # a member typed by party: of the host side when the party is
                if member.party in host:
                    people.setdefault(member.name, str(member.role))
                continue
            name, role = person_and_role(member.text())
            words = {w.casefold() for w in re.findall(r"[\w-]+", role)}
            if words & host:
                people.setdefault(name, role)
    for d in project.decisions.values():
        for p in d.positions:
            name, role = person_and_role(p.by)
            if p.party in host and role:
                people.setdefault(name, role)
    for body in project.framework.bodies:
        for s in body.signatories:
            if s.name and str(s.role).casefold() not in named:
                people.setdefault(s.name, str(s.role))
    return people


def un_people(project: Any) -> set[str]:
    """The names the framework allows in public: who signed or spoke for UNPOL, and the co-chairs it names."""
    named = {n.casefold() for n in project.framework.public_edition.named or []}
    out = {s.name for a in project.assessments.values() for s in a.sign_off if s.party == "unpol"}
    out |= {
        s.name for b in project.framework.bodies for s in b.signatories if s.name and str(s.role).casefold() in named
    }
    return out


@pytest.fixture(scope="module")
def example():
    project, _ = load_project(REPO)
    return project


def test_the_example_names_host_officers_and_the_framework_names_the_un_side(example):
    people = host_people(example)
    assert len(people) >= 20
    assert "Chief Supt. Ibrahim Dolo" in people and "Supt. Moussa Kanta" in people and "Halima Sallou" in people
    assert "Supt. Adaeze Okonkwo" not in people and "Ingrid Solberg" not in people
    assert {"Supt. Adaeze Okonkwo", "Ingrid Solberg", "Daniel Ekwueme"} <= un_people(example)
    hidden = {p.name for p in Naming(example).people}
    assert set(people) <= hidden, set(people) - hidden
    assert not un_people(example) & hidden


def test_a_name_is_looked_for_with_and_without_its_rank():
    assert name_forms("Chief Supt. Ibrahim Dolo") == ["Chief Supt. Ibrahim Dolo", "Chief Supt. Dolo", "Ibrahim Dolo"]
    assert name_forms("Halima Sallou") == ["Halima Sallou"]


# ---------------------------------------------------------------- the public project


def test_the_public_project_shows_host_officers_by_role_and_leaves_out_the_sensitive_texts(example):
    public, left = public_project(example)
    assert left.sensitive == 3  # two notes of sealed rounds, one reason of a position on a decision
    a = public.assessments[("2026-q3", "dabori")]
    by_party = {(s.party, s.role): s.name for s in a.sign_off}
    assert by_party[("unpol", "UNPOL Sector North commander")] == "Supt. Adaeze Okonkwo"
    assert by_party[("lnp", "Acting LNP Dabori District Commander")] == "–"
    team = [m.text() for m in a.team]
    assert "Acting LNP Dabori District Commander" in team
    assert not any("Kanta" in t or "Sallou" in t for t in team)
    assert any(t.startswith("Supt. Adaeze Okonkwo, ") for t in team)
    assert not any("Dolo" in str(r.text) for r in a.risks)
    q1 = public.assessments[("2026-q1", "dabori")]
    assert not any("Intelligence reports" in str(r.text) for r in q1.risks)
    assert all(not r.sensitive for r in public.rounds.values())  # the passages themselves are not carried
    decision = public.decisions["dabori-general-policing"]
    unpol = next(p for p in decision.positions if p.party == "unpol")
    assert unpol.position == "reservations" and not str(unpol.reason)
    reversion = public.decisions["dabori-reversion"]
    assert [p.by for p in reversion.positions if p.by] == ["Acting LNP Dabori District Commander"]
    jtc = next(b for b in public.framework.bodies if b.id == "jtc")
    assert [s.name for s in jtc.signatories] == ["Ingrid Solberg", "Daniel Ekwueme", "", ""]


def test_by_default_only_the_mission_s_side_is_named(tmp_path):
    files = project_files({"r1/north": {"A1": 70, "B1": 60}})
    files["assessments/r1/north.yaml"]["team"] = ["R. Diallo, UN Police adviser", "T. Banda, Ministry inspector"]
    files["assessments/r1/north.yaml"]["sign_off"] = [
        {"party": "un", "name": "R. Diallo", "role": "UN Police adviser", "date": "2026-03-30"},
        {"party": "gov", "name": "T. Banda", "role": "Ministry inspector", "date": "2026-03-30"},
    ]
    project, found = load_project(write_project(tmp_path / "p", files))
    assert not [d for d in found if d.severity.value == "error"], found
    public, _ = public_project(project)
    a = public.assessments[("r1", "north")]
    assert [s.name for s in a.sign_off] == ["R. Diallo", "–"]
    assert [m.text() for m in a.team] == ["R. Diallo, UN Police adviser", "Ministry inspector"]


# ---------------------------------------------------------------- the public site and documents


def _document_text(path: Path) -> str:
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for r in t.rows for c in r.cells]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
        props = document.core_properties
        parts += [props.title or "", props.subject or "", props.author or "", props.category or ""]
        return "\n".join(parts)
    book = openpyxl.load_workbook(str(path))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def _site_text(site: Path) -> dict[str, str]:
    """Every page, data file and document of a built site, as text (HTML entities decoded, spaces collapsed)."""
    out = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".json", ".md", ".txt", ".xml", ".csv"):
            text = html.unescape(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix in (".docx", ".xlsx"):
            text = _document_text(path)
        else:
            continue
        out[str(path.relative_to(site))] = " ".join(text.split())
    return out


@pytest.fixture(scope="module")
def sites(example_sites):
    return {audience: _site_text(example_sites / audience) for audience in ("internal", "public")}


def test_the_public_site_and_its_documents_name_no_host_officer_and_show_their_roles(example, sites):
    people = host_people(example)
    internal = " ".join(sites["internal"].values())
    public = sites["public"]
    assert any(p.suffix == ".docx" for p in map(Path, public)) and any(p.suffix == ".xlsx" for p in map(Path, public))
    shown_internally = [name for name in people if name in internal]
    assert len(shown_internally) >= 20, "the internal edition shows the officers' names"
    leaks = {path: [n for n in shown_internally for f in name_forms(n) if f in text] for path, text in public.items()}
    assert not {path: names for path, names in leaks.items() if names}
    everything = " ".join(public.values())
    for role in ("Acting LNP Dabori District Commander", "LNP Inspectorate General", "Police affairs officer"):
        assert role in everything, role


def test_the_public_edition_names_the_un_side_as_the_framework_allows(example, sites):
    everything = " ".join(sites["public"].values())
    for name in un_people(example):
        assert name in everything, name
    certificate = sites["public"]["downloads/certificate-marun-handover.docx"]
    assert "Ingrid Solberg" in certificate and "Daniel Ekwueme" in certificate


def test_the_sensitive_texts_are_internal_only_and_counted_in_the_public_note(sites):
    internal = " ".join(sites["internal"].values())
    public = " ".join(sites["public"].values())
    for passage in SENSITIVE:
        assert passage in internal, passage
        assert passage not in public, passage
    reason = "Intelligence reports from March mention armed-group movements back towards the escarpment"
    assert reason in internal and reason not in public
    assert "renseignement de mars" not in public
    assert "texts marked sensitive: 3" in sites["public"]["index.html"]
    assert "textes sensibles : 3" in sites["public"]["fr/index.html"].replace("\u00a0", " ")
    assert "texts marked sensitive" not in internal


def test_a_public_word_file_opens_with_the_edition_line(example_sites):
    for lang, folder, notice in (("en", "", "Public edition: "), ("fr", "fr/", "Édition publique\u00a0: ")):
        downloads = example_sites / "public" / folder / "downloads"
        files = sorted(downloads.glob("*.docx"))
        assert files, lang
        for path in files:
            first = docx.Document(str(path)).paragraphs[0].text
            assert first.startswith(notice), (path.name, first)
            assert ("texts marked sensitive: 3" if lang == "en" else "textes sensibles\u00a0: 3") in first
    for path in sorted((example_sites / "internal" / "downloads").glob("*.docx")):
        document = docx.Document(str(path))
        assert not document.paragraphs[0].text.startswith("Public edition"), path.name
        header = document.sections[0].header.paragraphs[0].text
        assert header.startswith("Internal working document"), (path.name, header)


# ---------------------------------------------------------------- check: A003 and A004


def _check(root: Path) -> list[dict[str, Any]]:
    result = run("check", str(root), "--format", "json")
    return json.loads(result.stdout)["diagnostics"]


def _codes(root: Path, code: str) -> list[dict[str, Any]]:
    return [d for d in _check(root) if d["code"] == code]


def _with_risk(risk: Any, fw: dict[str, Any] | None = None) -> dict[str, Any]:
    files = project_files({"r1/north": {"A1": 70, "B1": 60}}, fw=fw)
    files["assessments/r1/north.yaml"]["risks"] = [risk]
    return files


def test_a003_warns_of_intelligence_in_a_public_text_in_english_and_french(make_project, tmp_path):
    english = write_project(tmp_path / "en", _with_risk("Intelligence reports mention armed groups near the border."))
    (found,) = _codes(english, "A003")
    assert found["severity"] == "warning" and "'intelligence'" in found["message"]
    assert found["file"] == "assessments/r1/north.yaml"
    french = write_project(
        tmp_path / "fr",
        _with_risk(
            "Des rapports de renseignement signalent des groupes armés près de la frontière.",
            fw=framework(languages=["fr"]),
        ),
    )
    (found,) = _codes(french, "A003")
    assert "'renseignement'" in found["message"]


def test_a003_is_silent_once_the_text_is_marked_sensitive(tmp_path):
    text = "Intelligence reports mention armed groups near the border."
    marked = write_project(tmp_path / "marked", _with_risk({"text": text, "sensitive": True}))
    assert _codes(marked, "A003") == []
    translated = write_project(
        tmp_path / "translated",
        _with_risk({"text": {"en": text, "fr": "Des rapports de renseignement signalent des groupes armés."}}),
    )
    assert len(_codes(translated, "A003")) == 1
    files = _with_risk(text)
    files["assessments/rounds.yaml"]["rounds"][0]["sensitive"] = [{"region": "north", "text": "Intelligence reports"}]
    listed = write_project(tmp_path / "listed", files)
    assert _codes(listed, "A003") == [] and _codes(listed, "A004") == []
    public, left = public_project(load_project(listed)[0])
    assert public.assessments[("r1", "north")].risks == [] and left.sensitive == 1


def test_a003_follows_the_framework_s_own_phrases(tmp_path):
    fw = framework(public_edition={"phrases": {"en": ["source protection"]}})
    root = write_project(tmp_path / "p", _with_risk("Intelligence is shared; source protection is weak.", fw=fw))
    (found,) = _codes(root, "A003")
    assert "'source protection'" in found["message"] and "intelligence" not in found["message"]


def test_a003_warns_of_a_hidden_officer_s_name_in_a_public_text(tmp_path):
    files = _with_risk("Chief Supt. Banda was moved to another province.")
    files["assessments/r1/north.yaml"]["sign_off"] = [
        {"party": "gov", "name": "Chief Supt. Tom Banda", "role": "Provincial commander", "date": "2026-03-30"}
    ]
    (found,) = _codes(write_project(tmp_path / "p", files), "A003")
    assert "'Chief Supt. Banda'" in found["message"]


def test_a003_reads_the_reasons_of_positions_on_decisions(tmp_path):
    from tests.test_handover_site import mission_files

    files = mission_files()
    decision = next(v for k, v in files.items() if k.startswith("handover/decisions/"))
    decision["positions"][0].update(position="reservations", reason="An informant reports unrest.")
    root = write_project(tmp_path / "p", files)
    assert any("'informant'" in d["message"] for d in _codes(root, "A003"))
    decision["positions"][0]["sensitive"] = True
    root = write_project(tmp_path / "q", files)
    assert _codes(root, "A003") == []


def test_a004_refuses_a_sensitive_entry_that_marks_nothing(tmp_path):
    files = _with_risk({"text": "Radios fail in the rainy season.", "sensitive": True})
    files["assessments/rounds.yaml"]["rounds"][0]["sensitive"] = [
        {"region": "north", "text": "The commander was recalled"},
        {"region": "south", "text": "Radios fail"},
    ]
    found = _codes(write_project(tmp_path / "p", files), "A004")
    assert [d["severity"] for d in found] == ["error", "error"]
    assert "'The commander was recalled'" in found[0]["message"] and found[0]["file"] == "assessments/rounds.yaml"
    assert "no assessment of south" in found[1]["message"]


def test_the_example_marks_its_sensitive_texts_in_rounds_yaml_outside_the_seal():
    rounds = yaml.safe_load((REPO / "assessments" / "rounds.yaml").read_text(encoding="utf-8"))["rounds"]
    marked = {(r["id"], s["text"]) for r in rounds for s in r.get("sensitive", [])}
    assert {t for _, t in marked} == set(SENSITIVE)
    result = run("check", str(REPO), "--format", "json")
    codes = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert result.exit_code == 0 and not codes & {"A002", "A003", "A004"}, codes


def test_a_public_build_refuses_a_page_that_would_name_an_officer_shown_by_role_only(tmp_path):
    files = _with_risk("Insp. Awa Lemba chairs the district security council alone.")
    files["assessments/r1/north.yaml"]["sign_off"] = [
        {"party": "gov", "name": "Insp. Awa Lemba", "role": "Provincial commander", "date": "2026-03-30"}
    ]
    root = write_project(tmp_path / "p", files)
    refused = run("build", "-p", str(root), "--audience", "public", "--out", str(tmp_path / "refused"))
    assert refused.exit_code != 0 and "Insp. Awa Lemba" in refused.output and "by role only" in refused.output
    assert not (tmp_path / "refused" / "index.html").exists()
    files["assessments/r1/north.yaml"]["risks"] = [
        {"text": files["assessments/r1/north.yaml"]["risks"][0], "sensitive": True}
    ]
    root = write_project(tmp_path / "q", files)
    built = run("build", "-p", str(root), "--audience", "public", "--out", str(tmp_path / "built"))
    assert built.exit_code == 0, built.output
    pages = " ".join(p.read_text(encoding="utf-8") for p in (tmp_path / "built").rglob("*.html"))
    assert "Insp. Awa Lemba" not in pages and "Provincial commander" in pages


def test_a003_finds_a_hidden_name_in_every_text_the_public_edition_shows_and_check_says_what_build_refuses(tmp_path):
    """A name shown by role only, written in an evidence reference, a reason a value was not collected or a
    decision's condition: the public build refuses it, so `check` says so first, at the file and line where it
    was written (before, only narratives, risks, recommendations, notes and positions' reasons were read). Once the
    evidence is restricted it is not published, and nothing is said."""
    from tests.test_handover_site import mission_files

    files = mission_files()
    assessment = next(v for k, v in files.items() if k.startswith("assessments/") and "sign_off" in v)
    signed = assessment["sign_off"][0]
    signed.update(party="gov", name="Insp. Awa Lemba", role="Provincial commander")
    observation = next(o for o in assessment["observations"].values() if isinstance(o, dict) and o.get("evidence"))
    observation["evidence"][0]["reference"] = "Station log countersigned by Insp. Awa Lemba"
    decision = next(v for k, v in files.items() if k.startswith("handover/decisions/"))
    decision.setdefault("conditions", []).append(
        {"what": "Night patrols, as agreed with Insp. Awa Lemba", "owner": "gov", "due": "2026-12-31"}
    )
    root = write_project(tmp_path / "p", files)
    found = _codes(root, "A003")
    where = sorted((d["file"].split("/")[0], d["message"]) for d in found)
    assert [w for w, _ in where] == ["assessments", "handover"], where
    assert all("'Insp. Awa Lemba'" in m and "'Awa Lemba'" not in m for _, m in where)
    reference = next(d for d in found if d["file"].startswith("assessments/"))
    text = (root / reference["file"]).read_text(encoding="utf-8").splitlines()[reference["line"] - 1]
    assert "countersigned by Insp. Awa Lemba" in text
    refused = run("build", "-p", str(root), "--audience", "public", "--out", str(tmp_path / "refused"))
    assert refused.exit_code != 0 and "Insp. Awa Lemba" in refused.output
    observation["evidence"][0]["restricted"] = True
    del decision["conditions"][-1]
    assert _codes(write_project(tmp_path / "q", files), "A003") == []


def test_words_and_names_are_found_whole_case_and_line_breaks_aside():
    from readiness.publication import found_in

    words = ["intelligence", "armed group", "Chief Supt. Dolo", "Dolo", "recalled"]
    text = "Our INTELLIGENCE says an armed\n  group moved; Chief Supt.  Dolo was re-recalled (unrecalled)."
    assert found_in(text, words) == ["intelligence", "armed group", "Chief Supt. Dolo", "Dolo"]
    assert found_in("counter-intelligence and intelligences", ["intelligence"]) == []
    assert found_in("", words) == [] and found_in(text, []) == []
    # thousands of names are looked up at the speed of one reading of the text
    many = [f"Officer {i:04d}" for i in range(5000)] + ["Dolo"]
    assert found_in(text, many) == ["Dolo"]
