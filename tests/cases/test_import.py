"""Case import (acceptance 1): JSON Lines batches from the case-management system, through
the management command and the authenticated HTTP endpoint, against real PostgreSQL and
Elasticsearch. Indexing is queued when each case commits and run by the task worker."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from search.connection import get_client
from services.cases.documents import alias_name, aliased_indices
from services.cases.models import Case, CaseEvent, ImportBatch, ImportSource, LegalDocument, Party

from .builders import SUSPECT_ID, VICTIM_ID, approve_pending, case_record, id_number, jsonl

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def indexed_cases():
    response = get_client().search(index=alias_name("cases"), query={"match_all": {}}, size=100, version=True)
    return {hit["_source"]["case_number"]: hit for hit in response["hits"]["hits"]}


def indexed_documents():
    response = get_client().search(index=alias_name("documents"), query={"match_all": {}}, size=100)
    return {hit["_source"]["number"]: hit["_source"] for hit in response["hits"]["hits"]}


def index_tasks():
    return DBTaskResult.objects.filter(task_path="services.cases.tasks.index_cases").count()


def snapshot():
    """Everything an import can change, row ids and timestamps included."""
    return (
        list(Case.objects.order_by("pk").values()),
        list(Party.objects.order_by("pk").values()),
        list(CaseEvent.objects.order_by("pk").values()),
        list(LegalDocument.objects.order_by("pk").values()),
    )


BATCH = (
    case_record("青山检刑受〔2026〕12号"),
    case_record(
        "青山检刑受〔2026〕13号",
        name="周某诈骗案",
        charge="诈骗罪",
        parties=[{"name": "周强", "role": "犯罪嫌疑人", "id_number": id_number("99000019880808001")}],
    ),
    case_record("青山检未受〔2026〕2号", name="未成年人案件", juvenile=True),
)


def test_a_batch_is_imported_into_postgresql_and_indexed_without_restricted_cases(import_file, indexed):
    batch, output = import_file(*BATCH)
    indexed()

    assert (batch.total_lines, batch.created_count, batch.rejected_count) == (3, 3, 0)
    assert "新增 3" in output
    case = Case.objects.get(case_number="青山检刑受〔2026〕12号")
    assert (case.charge, case.current_stage, str(case.accepted_on)) == ("盗窃罪", "审查起诉", "2026-03-02")
    assert [e.kind for e in case.events.all()] == ["受理", "审查"]
    suspect = case.parties.get(role=Party.Role.SUSPECT)
    assert suspect.id_number_masked == SUSPECT_ID[:2] + "*" * 13 + SUSPECT_ID[-3:]
    # The ID number itself is stored nowhere, only its keyed hash and masked form.
    assert SUSPECT_ID not in json.dumps(snapshot(), default=str)

    in_index = indexed_cases()
    assert set(in_index) == {"青山检刑受〔2026〕12号", "青山检刑受〔2026〕13号"}
    source = in_index["青山检刑受〔2026〕12号"]["_source"]
    assert [e["kind"] for e in source["events"]] == ["受理", "审查"]
    assert SUSPECT_ID not in json.dumps(source)
    # Versioned index behind the alias.
    assert aliased_indices("cases")[0].startswith(alias_name("cases") + "_")


def test_importing_the_same_batch_again_changes_nothing(import_file, indexed):
    import_file(*BATCH)
    indexed()
    before, versions = snapshot(), {n: h["_version"] for n, h in indexed_cases().items()}
    queued = index_tasks()
    assert queued == 1  # one indexing task for the batch

    batch, output = import_file(*BATCH)
    indexed()

    assert (batch.created_count, batch.updated_count, batch.unchanged_count, batch.rejected_count) == (0, 0, 3, 0)
    assert "无变化 3" in output
    assert snapshot() == before
    assert index_tasks() == queued  # nothing re-indexed either
    assert {n: h["_version"] for n, h in indexed_cases().items()} == versions


def test_a_corrected_batch_updates_the_case_and_its_search_document(import_file, indexed):
    import_file(*BATCH)
    indexed()
    corrected = case_record(
        "青山检刑受〔2026〕12号",
        current_stage="已结案",
        outcome="提起公诉",
        events=[
            {"kind": "受理", "date": "2026-03-02"},
            {"kind": "审查", "date": "2026-03-03"},
            {"kind": "提起公诉", "date": "2026-03-28"},
            {"kind": "结案", "date": "2026-03-28"},
        ],
        parties=[{"name": "李建国", "role": "犯罪嫌疑人", "id_number": SUSPECT_ID}],
    )

    batch, _ = import_file(corrected, BATCH[1])
    indexed()

    assert (batch.updated_count, batch.unchanged_count) == (1, 1)
    case = Case.objects.get(case_number="青山检刑受〔2026〕12号")
    assert (case.current_stage, case.outcome, case.last_batch) == ("已结案", "提起公诉", batch)
    assert [e.kind for e in case.events.all()] == ["受理", "审查", "提起公诉", "结案"]
    assert case.parties.count() == 1
    source = indexed_cases()["青山检刑受〔2026〕12号"]["_source"]
    assert source["current_stage"] == "已结案"
    assert [e["kind"] for e in source["events"]] == ["受理", "审查", "提起公诉", "结案"]


def test_bad_lines_are_reported_with_their_reasons_and_the_good_lines_applied(import_file, indexed):
    import_file(BATCH[0])
    indexed()
    before = snapshot()
    bad_update = case_record(
        "青山检刑受〔2026〕12号",
        current_stage="已结案",
        parties=[
            {"name": "李建国", "role": "犯罪嫌疑人", "id_number": SUSPECT_ID},
            {"name": "王秀英", "role": "被害人", "id_number": VICTIM_ID[:-1] + ("0" if VICTIM_ID[-1] != "0" else "1")},
        ],
    )
    leaky = case_record(
        "青山检刑受〔2026〕15号",
        documents=[
            {
                "type": "起诉书",
                "number": "青山检刑诉〔2026〕9号",
                "date": "2026-03-30",
                "full_text": "被害人王秀英……",
                "public_text": "被害人王秀英……",
                "published": True,
            }
        ],
    )
    batch, output = import_file(
        case_record("青山检刑受〔2026〕20号"),
        "{not json",
        bad_update,
        case_record("青山检刑受〔2026〕21号", accepted_on="2026/03/02"),
        {"case_number": "青山检刑受〔2026〕22号", "name": "缺字段"},
        case_record("青山检刑受〔2026〕20号"),
        case_record("青山检刑受〔2026〕23号", parties=[{"name": "甲", "role": "旁听人"}]),
        leaky,
        case_record("青山检刑受〔2026〕24号", colour="红"),
        case_record("青山检刑受〔2026〕25号"),
    )
    indexed()

    reasons = {r.line_number: r.reason for r in batch.rejections.all()}
    assert batch.total_lines == 10 and batch.created_count == 2 and batch.rejected_count == 8
    assert reasons[2].startswith("不是有效的 JSON")
    assert reasons[3] == "第2名当事人身份证号校验位不正确，请核对后重新输入。"
    assert reasons[4].startswith("受理日期格式不正确")
    assert reasons[5] == "缺少案由（charge）"
    assert reasons[6] == "与第1行的案件编号重复"
    assert reasons[7].startswith("第1名当事人诉讼身份“旁听人”不在允许范围内")
    assert reasons[8] == "第1份法律文书的公开版本含有被害人的姓名，未作隐名处理"
    assert reasons[9] == "记录含有无法识别的字段：colour"
    assert "第 3 行 青山检刑受〔2026〕12号" in output

    # The bad update left the existing case exactly as it was; no bad record left a trace.
    assert snapshot()[0][0] == before[0][0]
    assert Case.objects.get(case_number="青山检刑受〔2026〕12号").current_stage == "审查起诉"
    assert set(Case.objects.values_list("case_number", flat=True)) == {
        "青山检刑受〔2026〕12号",
        "青山检刑受〔2026〕20号",
        "青山检刑受〔2026〕25号",
    }
    assert not LegalDocument.objects.exists()
    assert set(indexed_cases()) == {"青山检刑受〔2026〕12号", "青山检刑受〔2026〕20号", "青山检刑受〔2026〕25号"}


def test_a_case_that_becomes_secret_leaves_the_index_with_its_documents(import_file, indexed, publisher):
    documents = [
        {
            "type": "起诉书",
            "number": "青山检刑诉〔2026〕5号",
            "date": "2026-03-30",
            "judgment_effective_on": "2026-05-20",
            "full_text": f"被告人李建国，身份证号{SUSPECT_ID}，被害人王秀英……",
            "public_text": "被告人李建国……被害人王某……",
            "published": True,
        },
        {
            "type": "起诉书",
            "number": "青山检刑诉〔2026〕6号",
            "date": "2026-03-31",
            "full_text": "草稿",
            "public_text": "",
            "published": False,
        },
    ]
    import_file(case_record(documents=documents))
    approve_pending(publisher)
    indexed()
    public = indexed_documents()
    assert set(public) == {"青山检刑诉〔2026〕5号"}
    assert public["青山检刑诉〔2026〕5号"]["text"] == "被告人李建国……被害人王某……"
    assert "王秀英" not in json.dumps(public, ensure_ascii=False)

    import_file(case_record(documents=documents, secret=True))
    indexed()
    assert indexed_cases() == {} and indexed_documents() == {}


@pytest.fixture
def source():
    source = ImportSource(code="tyyw", name="统一业务应用系统")
    token = source.set_new_token()
    source.save()
    source.token = token
    return source


def post_batch(client, body, token):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/cases/import/", data=body, content_type="application/x-ndjson", headers=headers)


def test_the_http_endpoint_needs_a_valid_token_of_an_active_source(client, source):
    body = jsonl(case_record())
    for token in (None, "wrong-token"):
        response = post_batch(client, body, token)
        assert response.status_code == 401
        assert "访问令牌" in response.json()["error"]
    source.is_active = False
    source.save()
    assert post_batch(client, body, source.token).status_code == 401
    assert not Case.objects.exists() and not ImportBatch.objects.exists()
    assert source.token not in ImportSource.objects.values_list("token_hash", flat=True)


def test_the_http_endpoint_imports_a_batch_and_answers_with_its_report(client, source, indexed):
    body = jsonl(case_record(), '{"case_number": "X"}', case_record("青山检刑受〔2026〕30号"))
    response = post_batch(client, body.encode(), source.token)
    indexed()

    assert response.status_code == 200
    report = response.json()
    assert (report["created"], report["rejected"]) == (2, 1)
    assert report["rejections"] == [{"line": 2, "case_number": "X", "reason": "缺少案件名称（name）"}]
    batch = ImportBatch.objects.get(pk=report["batch"])
    assert (batch.source, batch.channel) == (source, ImportBatch.Channel.HTTP)
    assert Case.objects.get(case_number="青山检刑受〔2026〕30号").source == source
    assert set(indexed_cases()) == {"青山检刑受〔2026〕12号", "青山检刑受〔2026〕30号"}

    again = post_batch(client, body.encode(), source.token).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)

    empty = post_batch(client, "\n", source.token)
    assert empty.status_code == 400 and "批次为空" in empty.json()["error"]


def test_an_oversized_batch_is_refused_whole_with_a_chinese_message(client, source, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = jsonl(*(case_record(f"青山检刑受〔2025〕{n}号") for n in range(1500)))
    assert len(body.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post_batch(client, body, source.token)
    assert response.status_code == 413
    assert "批次过大" in response.json()["error"]
    assert not Case.objects.exists()


def test_the_token_command_prints_a_token_that_the_endpoint_accepts(client):
    out = StringIO()
    call_command("case_source_token", "tyyw", "--name", "统一业务应用系统", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert post_batch(client, jsonl(case_record()), token).status_code == 200
    call_command("case_source_token", "tyyw", stdout=StringIO())  # rotation invalidates the old token
    assert post_batch(client, jsonl(case_record()), token).status_code == 401
