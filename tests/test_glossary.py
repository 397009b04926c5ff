"""The glossary (notebooks/GLOSSARY.md): sorted, and every term appears in the lessons it names."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "notebooks" / "GLOSSARY.md"
ENTRY = re.compile(r"^- \*\*(?P<term>[^*]+)\*\* \((?P<lessons>\d\d(?:, \d\d)*)\): (?P<text>.+)$", re.M)


def _lesson_text(number: str) -> str:
    (path,) = (ROOT / "notebooks").glob(f"{number}_*.ipynb")
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"]).lower()


def _entries() -> list[re.Match]:
    return list(ENTRY.finditer(GLOSSARY.read_text()))


def _spellings(term: str) -> list[str]:
    """'Hub, hubness' -> ['hub', 'hubness']; 'Generalized ZSL (GZSL)' -> ['generalized zsl', 'gzsl']."""
    names = re.split(r",\s*|\s*\(|\)", term.lower())
    return [n.strip() for n in names if n.strip()]


def test_the_glossary_is_sorted_and_covers_the_terms_the_review_named():
    terms = [m["term"] for m in _entries()]
    assert len(terms) >= 40
    assert terms == sorted(terms, key=str.lower)
    text = GLOSSARY.read_text()
    for needed in ("Wasserstein", "Lipschitz", "Sylvester equation", "Natural language inference", "hubness",
                   "AUSUC", "Calibrated stacking", "Harmonic mean", "Seen–unseen curve", "CSLS"):
        assert f"**{needed}" in text or needed in " ".join(terms), needed


@pytest.mark.parametrize("entry", _entries(), ids=lambda m: m["term"])
def test_every_term_appears_in_the_lessons_it_names(entry):
    for number in entry["lessons"].split(", "):
        text = _lesson_text(number)
        assert any(name in text for name in _spellings(entry["term"])), (entry["term"], number)


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_every_lesson_ends_with_concept_questions_answered_in_the_instructor_guide(path):
    last = "".join(json.loads(path.read_text())["cells"][-1]["source"])
    block = last.split("## Concept questions", 1)[1].split("## Further reading", 1)[0]
    questions = re.findall(r"^\d+\. (.+)$", block, re.M)
    assert 3 <= len(questions) <= 5, path.name
    title = "".join(json.loads(path.read_text())["cells"][0]["source"]).splitlines()[0].lstrip("# ").strip()
    guide = (ROOT / "notebooks" / "INSTRUCTORS.md").read_text().split("## Answers to the concept questions", 1)[1]
    section = guide.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]
    for q in questions:
        assert f"*{q}*" in section, (path.name, q)  # the same question, with its answer after it
