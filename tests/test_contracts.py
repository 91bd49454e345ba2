"""The wire contracts (contracts/*.json): sound schemas, every data file of the
repository valid, code tables identical at both ends, the published OpenAPI
document carrying the very same schemas, and the workstation refusing to queue
what the hall would refuse."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

import contracts
from app.catalog.format import (
    ITEM_STATES,
    LIMIT_UNITS,
    MATERIAL_FORMS,
    MATERIAL_SOURCES,
    CatalogFormatError,
    validate_document,
)
from app.intake.draft import CHANNELS, RECEIVED_FORMS
from app.intake.validation import DECISIONS
from central_hall import contract_openapi
from local_store.models import OutboxEntry
from sync import manifest as manifest_module
from sync import outbox
from sync.status import HALL_STATUS_LABELS

ROOT = Path(__file__).resolve().parents[1]
CODES = json.loads((ROOT / "app" / "data" / "codes.json").read_text(encoding="utf-8"))

# Every JSON data file in the repository that is a body of a contract.
DATA_FILES = {
    "app/data/demo_catalog.json": "catalog",
    "central_hall/data/demo_certificates.json": "certificate_library",
}
# JSON files that are no wire body (code tables, tooling output), named so that a
# new data file cannot slip in unchecked.
NOT_WIRE_BODIES = {"app/data/codes.json", "app/data/cert_types.json",
                   "app/data/search_synonyms.json",
                   "central_hall/openapi.json", "tests/bench/results.json"}


def _repository_json_files() -> set[str]:
    """JSON files the repository holds (git's list; outputs of local runs are not data)."""
    listed = subprocess.run(["git", "ls-files", "*.json"], cwd=ROOT, capture_output=True,
                            text=True, check=False)
    if listed.returncode == 0 and listed.stdout.strip():
        files = set(listed.stdout.split())
    else:  # an unpacked source tree without git
        files = {str(path.relative_to(ROOT)) for path in ROOT.rglob("*.json")
                 if not any(part in {".venv", "build", "dist", "artifacts"}
                            or part.endswith(".egg-info") for part in path.parts)}
    return {name for name in files if not name.startswith("contracts/")}


def enum(name: str) -> list:
    return contracts.schema("common")["$defs"][name]["enum"]


@pytest.mark.parametrize("name", sorted(contracts.FILES))
def test_every_contract_is_a_sound_draft_2020_12_schema(name):
    schema = contracts.schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == contracts.BASE_URI + contracts.FILES[name]
    assert contracts.file_path(name).name.endswith(".v1.json")


def test_every_data_file_of_the_repository_satisfies_its_contract():
    tracked = _repository_json_files()
    unchecked = tracked - set(DATA_FILES) - NOT_WIRE_BODIES
    assert not unchecked, f"JSON files with no contract named in this test: {unchecked}"
    for relative, contract in DATA_FILES.items():
        body = json.loads((ROOT / relative).read_text(encoding="utf-8"))
        assert contracts.violations(contract, body) == [], relative


def test_code_tables_are_the_same_at_both_ends():
    assert set(enum("id_type")) == set(CODES["id_type"]["codes"])
    assert set(enum("person_id_type")) == set(CODES["id_type"]["codes"]) - {"001"}
    # The names a form shows (the hall's applicant page) are the code table's.
    labels = contracts.schema("common")["$defs"]
    assert labels["id_type"]["x-labels"] == CODES["id_type"]["codes"]
    assert set(labels["person_id_type"]["x-labels"]) == set(enum("person_id_type"))
    assert set(labels["applicant_kind"]["x-labels"]) == set(enum("applicant_kind"))
    assert set(enum("project_type")) == set(CODES["project_type"]["codes"])
    assert set(enum("channel")) == set(CHANNELS)
    assert set(enum("received_form")) == set(RECEIVED_FORMS)
    assert set(enum("event")) == set(manifest_module.EVENTS)
    assert set(DECISIONS) <= set(enum("event"))
    assert set(enum("hall_status")) == set(HALL_STATUS_LABELS)
    catalog = contracts.schema("catalog")["$defs"]
    assert set(catalog["item"]["properties"]["state"]["enum"]) == set(ITEM_STATES)
    assert set(catalog["limit"]["properties"]["unit"]["enum"]) == set(LIMIT_UNITS)
    assert set(catalog["material"]["properties"]["form"]["enum"]) == set(MATERIAL_FORMS)
    assert set(catalog["material"]["properties"]["source"]["enum"]) == set(MATERIAL_SOURCES)
    assert set(contracts.schema("catalog")["properties"]["mode"]["enum"]) == {
        "snapshot", "delta"}


def test_published_openapi_carries_the_contract_files():
    published = json.loads((ROOT / "central_hall" / "openapi.json").read_text(encoding="utf-8"))
    components = published["components"]["schemas"]
    for name in contracts.FILES:
        assert components[contract_openapi.component_name(name)] == contract_openapi.embedded(
            name), f"central_hall/openapi.json is stale for {name}"
    commit = published["paths"]["/api/v1/cases/{uuid}"]["put"]["requestBody"]
    assert commit["content"]["application/json"]["schema"] == contract_openapi.ref(
        "case_manifest")
    # Every reference inside the document resolves inside the document.
    text = json.dumps(published)
    for name in contracts.FILES:
        assert f"{contracts.FILES[name]}#" not in text


def _catalog_mutations(document: dict):
    """Broken and harmless variants of a catalog; each a (label, document) pair."""
    def variant(change):
        copied = copy.deepcopy(document)
        change(copied)
        return copied

    first = "items"
    yield "as is", document
    yield "no mode", variant(lambda d: d.pop("mode", None))
    yield "delta", variant(lambda d: d.update(mode="delta"))
    yield "bad mode", variant(lambda d: d.update(mode="partial"))
    yield "wrong format", variant(lambda d: d.update(format="onewindow-catalog/2"))
    yield "no generated_at", variant(lambda d: d.pop("generated_at"))
    yield "no items", variant(lambda d: d.pop(first))
    yield "item without name", variant(lambda d: d[first][0].pop("name"))
    yield "item blank dept", variant(lambda d: d[first][0].update(dept_name="  "))
    yield "item version 0", variant(lambda d: d[first][0].update(version=0))
    yield "item version text", variant(lambda d: d[first][0].update(version="1"))
    yield "item state", variant(lambda d: d[first][0].update(state="closed"))
    yield "limit unit", variant(lambda d: d[first][0]["legal_limit"].update(unit="day"))
    yield "limit negative", variant(lambda d: d[first][0]["legal_limit"].update(value=-1))
    yield "star level 6", variant(lambda d: d[first][0].update(star_level=6))
    yield "material required", variant(
        lambda d: d[first][0]["materials"][0].update(required="yes"))
    yield "material form", variant(lambda d: d[first][0]["materials"][0].update(form="fax"))
    yield "material copies", variant(lambda d: d[first][0]["materials"][0].update(copies=-1))
    yield "material cert type", variant(
        lambda d: d[first][0]["materials"][0].update(cert_type_code=5))
    yield "long task code", variant(lambda d: d[first][0].update(task_code="1" * 51))
    yield "removed not text", variant(lambda d: d.update(removed=[1]))


def test_the_workstations_catalog_check_agrees_with_the_contract():
    """The workstation checks catalogs with its own fast code (20,000 items in the
    import budget); it must accept exactly the documents the contract accepts."""
    demo = json.loads((ROOT / "app" / "data" / "demo_catalog.json").read_text(encoding="utf-8"))
    for label, document in _catalog_mutations(demo):
        contract_ok = not contracts.violations("catalog", document)
        try:
            validate_document(document)
            workstation_ok = True
        except CatalogFormatError:
            workstation_ok = False
        assert workstation_ok == contract_ok, label


def test_a_manifest_the_hall_would_refuse_is_never_queued(store, case_producer):
    """A defect like issue 10's (legal_rep sent as a bare name) stops at the station."""
    case = case_producer.take_in("organisation").case
    queued = OutboxEntry.select().count()
    snapshot = dict(case.applicant_snapshot, legal_rep="李四")
    case.applicant_snapshot = snapshot

    with pytest.raises(contracts.ContractViolation) as refused:
        store.writer.call(outbox.enqueue, case, "conclude")
    assert refused.value.field == "applicant.legal_rep"
    assert OutboxEntry.select().count() == queued


def test_violations_name_fields_shallowest_first():
    body = {"format": "onewindow-catalog/1", "version": "x",
            "generated_at": "2026-11-27T10:00:00", "items": [{"name": "无编码"}]}
    problems = contracts.violations("catalog", body)
    assert problems[0][0] == "generated_at"
    assert ("items[0].task_code", "required") in problems
    with pytest.raises(contracts.ContractViolation, match="generated_at"):
        contracts.check("catalog", body)


def test_both_validators_read_the_contracts_alike(case_producer):
    """check() answers with the compiled validator and explains with jsonschema:
    on every body here both must give the same verdict."""
    import fastjsonschema

    bodies = [("case_manifest", case_producer.take_in(shape).manifest)
              for shape in ("person", "organisation", "agent", "reject", "conclude")]
    demo = json.loads((ROOT / "app" / "data" / "demo_catalog.json").read_text(encoding="utf-8"))
    bodies += [("catalog", document) for _label, document in _catalog_mutations(demo)]
    broken = copy.deepcopy(bodies[1][1])
    broken["applicant"]["name"] = "名" * 201  # a length limit beside a $ref
    bodies.append(("case_manifest", broken))
    for name, body in bodies:
        try:
            contracts.fast_validator(name)(body)
            fast_ok = True
        except fastjsonschema.JsonSchemaValueException:
            fast_ok = False
        assert fast_ok == (not contracts._explained(name, body)), (name, body)
    assert contracts.violations("case_manifest", broken)[0][0] == "applicant.name"


def test_compiling_leaves_the_loaded_contracts_untouched():
    pristine = {name: json.loads(contracts.file_path(name).read_text(encoding="utf-8"))
                for name in contracts.FILES}
    for name in contracts.FILES:
        contracts.fast_validator(name)
        contracts.validator(name)
    assert {name: contracts.schema(name) for name in contracts.FILES} == pristine


def test_a_case_batch_within_its_contract_is_imported_and_queued_within_the_manifests(
        store, intake, intake_catalog, tmp_path):
    """The batch contract and ``case import`` agree: records valid by the schema are
    imported, and the cases they make are queued with contract-valid manifests."""
    from app.case_import import import_cases
    from tests.support.intake import (
        INDIVIDUAL_BUSINESS,
        SENIOR_CARD,
        VALID_AGENT_ID,
        VALID_PERSON_ID,
        VALID_USCC,
    )

    person = {"kind": "person", "name": "欧阳·𠇔", "id_type": "111",
              "id_number": VALID_PERSON_ID, "phone": "13800000000"}
    batch = {"format": "onewindow-cases/1", "cases": [
        {"ref": "paper-1", "task_code": intake_catalog[INDIVIDUAL_BUSINESS],
         "received_at": "2026-11-26T10:00:00+08:00", "channel": "window",
         "applicant": person, "agent": None,
         "materials": [{"material_id": m, "received": "original", "count": 1}
                       for m in ("M01", "M02", "M03")],
         "decision": {"action": "accept"}},
        {"ref": "paper-2", "task_code": intake_catalog[SENIOR_CARD],
         "received_at": "2026-11-26T11:00:00+08:00",
         "applicant": {"kind": "organisation", "name": "厦门海沧示例餐饮有限公司",
                       "uscc": VALID_USCC, "phone": "13900000000",
                       "legal_rep": {"name": "李四", "id_type": "111",
                                     "id_number": VALID_AGENT_ID}},
         "materials": [{"material_id": m, "received": "original", "count": 1}
                       for m in ("M01", "M02")],
         "decision": {"action": "conclude"}},
    ]}
    assert contracts.violations("case_batch", batch) == []
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(batch, ensure_ascii=False), encoding="utf-8")
    results = import_cases(intake, path)
    assert [r.ok for r in results] == [True, True], [r.to_json() for r in results]
    manifests = [entry.manifest for entry in OutboxEntry.select()]
    assert len(manifests) == 2
    for manifest in manifests:
        assert contracts.violations("case_manifest", manifest) == []
    broken = copy.deepcopy(batch)
    broken["cases"][1]["applicant"]["legal_rep"] = "李四"
    assert contracts.violations("case_batch", broken)


# Keywords fastjsonschema (Draft 7) would silently ignore: a contract using one
# would be judged differently by the fast path than by jsonschema.
_DRAFT_2020_ONLY = {"dependentRequired", "dependentSchemas", "unevaluatedProperties",
                    "unevaluatedItems", "prefixItems", "$dynamicRef", "$anchor",
                    "minContains", "maxContains"}


@pytest.mark.parametrize("name", sorted(contracts.FILES))
def test_every_contract_means_the_same_to_both_validators(name):
    problems = []

    def walk(node, where):
        if isinstance(node, dict):
            beside_ref = set(node) - {"$ref", "description", "default", "title"}
            if "$ref" in node and beside_ref:
                problems.append(f"{where}: {sorted(beside_ref)} beside $ref (use allOf)")
            problems.extend(f"{where}: {key}" for key in node if key in _DRAFT_2020_ONLY)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(contracts.schema(name), contracts.FILES[name])
    assert not problems, problems
