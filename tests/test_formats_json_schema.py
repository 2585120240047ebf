import json
from pathlib import Path

import jsonschema

from guidecheck.report import RenderOptions, render
from guidecheck.results import RunResult
from tests.format_samples import sample_result

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "schemas" / "report.schema.json").read_text("utf-8"))


def _validate(result: RunResult) -> dict:
    doc = json.loads(render("json", result, RenderOptions()))
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return doc


def test_schema_is_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_real_output_validates():
    doc = _validate(sample_result())
    assert doc["summary"]["findings"] == 4


def test_with_baseline_and_empty():
    result = sample_result()
    result.baseline = {"file": "b.json", "new": 1, "known": 3, "fixed": 0, "fixed_items": []}
    _validate(result)
    _validate(RunResult())


def test_schema_rejects_a_wrong_document():
    doc = json.loads(render("json", sample_result(), RenderOptions()))
    doc["guides"][0]["findings"][0]["severity"] = "fatal"
    validator = jsonschema.Draft202012Validator(SCHEMA)
    assert not validator.is_valid(doc)
