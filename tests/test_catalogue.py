import pytest

from calfnlp import catalogue
from calfnlp.errors import RulesError


def write(tmp_path, text):
    p = tmp_path / "rules.jsonl"
    p.write_text(text, encoding="utf-8")
    return p


def test_packaged_catalogue_loads_and_covers_the_documented_groups():
    findings = catalogue.symptoms()
    assert len(findings) >= 70
    assert {f.group for f in findings} == set(catalogue.GROUPS)
    assert len({f.id for f in findings}) == len(findings)


def test_packaged_context_rules_load():
    rules = catalogue.context_rules()
    assert {r.category for r in rules} == set(catalogue.CATEGORIES)


@pytest.mark.parametrize("line, message", [
    ('{"id": "x", "group": "sign", "label": "x", "phrases": ["a"], "colour": 1}', "unknown key"),
    ('{"id": "x", "group": "organ", "label": "x", "phrases": ["a"]}', "group 'organ'"),
    ('{"id": "x", "group": "sign", "label": "x"}', "missing key"),
    ('{"id": "x", "group": "sign", "label": "x", "phrases": [""]}', "non-empty strings"),
    ('not json', "not valid JSON"),
], ids=["unknown-key", "bad-group", "missing-key", "empty-phrase", "not-json"])
def test_symptom_file_errors_name_the_line(tmp_path, line, message):
    good = '{"id": "ok", "group": "sign", "label": "ok", "phrases": ["fine"]}\n'
    with pytest.raises(RulesError, match=rf"rules.jsonl:2: .*{message}"):
        catalogue.parse_symptoms(write(tmp_path, good + line + "\n"))


def test_duplicate_id_and_phrase_are_errors(tmp_path):
    a = '{"id": "a", "group": "sign", "label": "a", "phrases": ["puffy"]}\n'
    with pytest.raises(RulesError, match="duplicate id"):
        catalogue.parse_symptoms(write(tmp_path, a + a))
    b = '{"id": "b", "group": "sign", "label": "b", "phrases": ["puffy"]}\n'
    with pytest.raises(RulesError, match="already belongs to 'a'"):
        catalogue.parse_symptoms(write(tmp_path, a + b))
    denial = '{"id": "c", "group": "sign", "label": "c", "phrases": ["swollen"], "denied_by": ["puffy"]}\n'
    with pytest.raises(RulesError, match="already belongs to 'a'"):  # a denial is a phrase like any other
        catalogue.parse_symptoms(write(tmp_path, a + denial))
    with pytest.raises(RulesError, match="denied_by must be a list"):
        catalogue.parse_symptoms(write(tmp_path, a.replace('"phrases": ["puffy"]', '"phrases": ["puffy"], "denied_by": "x"')))


def test_context_file_errors(tmp_path):
    with pytest.raises(RulesError, match=":1: category 'maybe'"):
        catalogue.parse_context(write(tmp_path, '{"phrase": "no", "category": "maybe", "direction": "forward"}\n'))
    with pytest.raises(RulesError, match="duplicate trigger"):
        catalogue.parse_context(write(tmp_path, '{"phrase": "no", "category": "negated", "direction": "forward"}\n' * 2))


def test_loaded_tables_cannot_be_mutated():
    f = catalogue.symptoms()[0]
    with pytest.raises((AttributeError, TypeError)):
        f.phrases.append("x")
    with pytest.raises(AttributeError):
        f.id = "other"
