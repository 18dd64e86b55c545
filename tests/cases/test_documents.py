"""Public legal documents (法律文书公开): the rules anonymise each imported document, case-
management staff check it in the admin, and only then is it searchable and readable on the
public site (acceptance 2: a published document contains none of the original's personal
data). Against real PostgreSQL and Elasticsearch, through the import command, the admin
screens and the public pages."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.roles import ensure_role_groups
from search.connection import get_client
from services.cases.documents import alias_name
from services.cases.models import DocumentEvent, LegalDocument

from ..builders import login_staff
from .builders import SUSPECT_ID, VICTIM_ID, approve_pending, case_record, id_number

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WITNESS_ID = id_number("99000019770812004")
EXPERT_ID = id_number("99000019660101005")
MINOR_ID = id_number("99000020120315006")  # 14 years old when the case is accepted
MOBILE, LANDLINE, ACCOUNT = "13812345678", "0571-87654321", "6222020200112233445"
ADDRESS = "青山县城关镇幸福路8号"
HEALTH = "抑郁症"
NUMBER = "青山检刑不诉〔2026〕3号"

PARTIES = [
    {"name": "李建国", "role": "犯罪嫌疑人", "id_number": SUSPECT_ID},
    {"name": "钱小明", "role": "犯罪嫌疑人", "id_number": MINOR_ID},
    {"name": "孙晓红", "role": "犯罪嫌疑人", "minor": True},
    {"name": "王秀英", "role": "被害人", "id_number": VICTIM_ID},
    {"name": "陈志证", "role": "证人", "id_number": WITNESS_ID},
    {"name": "欧阳鉴", "role": "鉴定人", "id_number": EXPERT_ID},
]
FULL_TEXT = (
    f"被不起诉人李建国，男，身份证号码{SUSPECT_ID}，住{ADDRESS}。\n"
    f"被不起诉人钱小明，男，身份证号码{MINOR_ID}。被不起诉人孙晓红，女。\n"
    f"经依法审查查明：2026年1月5日，被不起诉人李建国窃取被害人王秀英（身份证号码{VICTIM_ID}，"
    f"手机{MOBILE}，固定电话{LANDLINE}）的现金人民币三千元，并将其中二千元转入其银行账号{ACCOUNT}。"
    f"证人陈志证（身份证号码{WITNESS_ID}）目睹了盗窃经过。鉴定人欧阳鉴出具了鉴定意见。"
    f"另查明，被害人王秀英患有{HEALTH}。\n"
    "本院认为，被不起诉人李建国实施了《中华人民共和国刑法》第二百六十四条规定的行为，"
    "但犯罪情节轻微，且已退赔被害人全部损失，决定对李建国不起诉。"
)
PERSONAL_DATA = [
    "王秀英",
    "陈志证",
    "欧阳鉴",
    "钱小明",
    "孙晓红",
    SUSPECT_ID,
    VICTIM_ID,
    WITNESS_ID,
    MINOR_ID,
    MOBILE,
    LANDLINE,
    ACCOUNT,
    ADDRESS,
    "幸福路",
    HEALTH,
]


def document(number=NUMBER, full_text=FULL_TEXT, **extra):
    return {"type": "不起诉决定书", "number": number, "date": "2026-05-06", "full_text": full_text} | {
        "published": True,
        **extra,
    }


def the_record(**overrides):
    return case_record(**({"parties": PARTIES, "documents": [document()]} | overrides))


def es_source(pk):
    return get_client().get(index=alias_name("documents"), id=str(pk))["_source"]


def es_ids():
    response = get_client().search(index=alias_name("documents"), query={"match_all": {}}, size=100)
    return {int(hit["_id"]) for hit in response["hits"]["hits"]}


def pages(client, pk, query="盗窃"):
    results = client.get(reverse("cases:documents"), {"q": query})
    detail = client.get(reverse("cases:document_detail", args=[pk]))
    return results, detail


def test_a_published_document_contains_none_of_the_personal_data_of_the_original(
    client, import_file, indexed, publisher
):
    batch, _ = import_file(the_record())
    indexed()
    assert batch.created_count == 1
    doc = LegalDocument.objects.get(number=NUMBER)
    assert doc.state == LegalDocument.State.PENDING

    # Before the staff check, nothing is public.
    results, detail = pages(client, doc.pk)
    assert NUMBER not in results.content.decode() and detail.status_code == 404
    assert doc.pk not in es_ids()

    # Staff open it in the admin: the rule output with its changes marked.
    login_staff(client, publisher)
    queue = client.get(reverse("cases_admin:document_list")).content.decode()
    assert NUMBER in queue
    screen = client.get(reverse("cases_admin:document_detail", args=[doc.pk]))
    html = screen.content.decode()
    assert screen.status_code == 200
    assert '<mark title="姓名">王某</mark>' in html and '<mark title="住址">（住址已删除）</mark>' in html
    assert '<mark title="姓名">钱某</mark>' in html and '<mark title="姓名">孙某</mark>' in html
    proposed = screen.context["approve_form"].initial["public_text"]
    basis = screen.context["approve_form"].initial["basis"]
    assert f'value="{basis}"' in html

    response = client.post(
        reverse("cases_admin:document_detail", args=[doc.pk]),
        {"action": "approve", "public_text": proposed, "basis": basis},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.APPROVED and doc.reviewed_by == publisher
    assert DocumentEvent.objects.filter(document=doc, action="approved", by=publisher).exists()
    indexed()

    client.logout()
    results, detail = pages(client, doc.pk)
    source = json.dumps(es_source(doc.pk), ensure_ascii=False)
    for page in (results.content.decode(), detail.content.decode(), source):
        for personal in PERSONAL_DATA:
            assert personal not in page, personal
    for page in (detail.content.decode(), source):
        assert "李建国" in page and "第二百六十四条" in page
    assert NUMBER in results.content.decode() and "<mark>盗窃</mark>" in results.content.decode()
    assert detail.status_code == 200
    detail_html = detail.content.decode()
    assert "被害人王某" in detail_html and "证人陈某" in detail_html and "鉴定人欧阳某" in detail_html
    assert "（身份证号已删除）" in detail_html and "（健康信息已删除）" in detail_html
    assert FULL_TEXT[:20] not in source


def test_approval_is_refused_while_the_edited_text_still_holds_personal_data(client, import_file, indexed, publisher):
    import_file(the_record())
    doc = LegalDocument.objects.get(number=NUMBER)
    login_staff(client, publisher)
    url = reverse("cases_admin:document_detail", args=[doc.pk])

    basis = doc.review_basis
    edited = doc.public_text + f"被害人身份证号码{VICTIM_ID}。"
    response = client.post(url, {"action": "approve", "public_text": edited, "basis": basis})
    html = response.content.decode()
    assert response.status_code == 200
    assert "公开版本仍含有个人信息，不能公开" in html and "身份证号" in html

    response = client.post(
        url, {"action": "approve", "public_text": doc.public_text + "证人陈志证到庭。", "basis": basis}
    )
    assert "姓名“陈志证”" in response.content.decode()

    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.PENDING and VICTIM_ID not in doc.public_text
    indexed()
    assert doc.pk not in es_ids()

    # A clean edit is accepted and is what the public reads.
    cleaned = doc.public_text.replace("目睹了盗窃经过", "目睹了案发经过")
    assert client.post(url, {"action": "approve", "public_text": cleaned, "basis": basis}).status_code == 302
    indexed()
    assert es_source(doc.pk)["text"] == cleaned
    assert "目睹了案发经过" in client.get(reverse("cases:document_detail", args=[doc.pk])).content.decode()


def test_an_approval_of_a_text_that_was_re_imported_meanwhile_is_refused(client, import_file, indexed, publisher):
    import_file(the_record())
    doc = LegalDocument.objects.get(number=NUMBER)
    login_staff(client, publisher)
    url = reverse("cases_admin:document_detail", args=[doc.pk])
    form = client.get(url).context["approve_form"].initial

    import_file(the_record(documents=[document(full_text=FULL_TEXT + f"\n被害人王秀英的电话{MOBILE}。")]))
    response = client.post(url, {"action": "approve", **form})
    assert "该文书在您核对期间已被重新导入，请重新核对。" in response.content.decode()
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.PENDING
    indexed()
    assert doc.pk not in es_ids()


def test_staff_may_return_a_document_and_others_may_not_open_the_queue(client, import_file, publisher):
    import_file(the_record())
    doc = LegalDocument.objects.get(number=NUMBER)
    editor = get_user_model().objects.create_user(username="editor", password="Test#Edit2026", is_staff=True)
    editor.groups.add(ensure_role_groups()["editor"])
    login_staff(client, editor)
    assert client.get(reverse("cases_admin:document_list")).status_code in (302, 403)
    assert client.get(reverse("cases_admin:document_detail", args=[doc.pk])).status_code in (302, 403)

    login_staff(client, publisher)
    url = reverse("cases_admin:document_detail", args=[doc.pk])
    assert "请填写退回原因" in client.post(url, {"action": "return", "reason": " "}).content.decode()
    assert client.post(url, {"action": "return", "reason": "文书正文有误，请来源系统更正"}).status_code == 302
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.RETURNED
    assert doc.events.last().comment == "文书正文有误，请来源系统更正"


def test_a_changed_text_goes_back_to_the_check_and_leaves_the_index(import_file, indexed, publisher, client):
    import_file(the_record())
    approve_pending(publisher)
    indexed()
    doc = LegalDocument.objects.get(number=NUMBER)
    assert doc.pk in es_ids()

    before = list(LegalDocument.objects.values())
    batch, _ = import_file(the_record())  # the same record again: nothing changes
    indexed()
    assert batch.unchanged_count == 1 and list(LegalDocument.objects.values()) == before

    # Other changes to the case leave an approved document as it is.
    batch, _ = import_file(the_record(current_stage="已结案"))
    indexed()
    doc.refresh_from_db()
    assert batch.updated_count == 1 and doc.state == LegalDocument.State.APPROVED and doc.pk in es_ids()

    changed = the_record(documents=[document(full_text=FULL_TEXT + "\n本决定书自宣告之日起生效。")])
    import_file(changed)
    indexed()
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.PENDING and doc.reviewed_by is None
    assert doc.pk not in es_ids()
    assert client.get(reverse("cases:document_detail", args=[doc.pk])).status_code == 404
    assert [e.action for e in doc.events.all()] == ["queued", "approved", "queued"]


def test_only_documents_the_rules_allow_now_wait_for_the_check(import_file):
    documents = [
        {"type": "起诉书", "number": "青山检刑诉〔2026〕1号", "date": "2026-04-01", "full_text": "起诉书正文"}
        | {"published": True},
        {"type": "起诉书", "number": "青山检刑诉〔2026〕2号", "date": "2026-04-01", "full_text": "起诉书正文"}
        | {"published": True, "judgment_effective_on": "2026-06-01"},
        {"type": "刑事申诉复查决定书", "number": "青山检刑申〔2026〕1号", "date": "2026-04-01", "full_text": "正文"}
        | {"published": True},
        {"type": "不起诉决定书", "number": "青山检刑不诉〔2026〕9号", "date": "2026-04-01", "full_text": "正文"}
        | {"published": False},
    ]
    import_file(case_record(documents=documents))
    states = dict(LegalDocument.objects.values_list("number", "state"))
    assert states == {
        "青山检刑诉〔2026〕1号": "withheld",  # judgment not yet in force
        "青山检刑诉〔2026〕2号": "pending",
        "青山检刑申〔2026〕1号": "pending",
        "青山检刑不诉〔2026〕9号": "withheld",
    }
    batch, _ = import_file(
        case_record(
            "青山检刑受〔2026〕31号",
            documents=[document("青山检刑不诉〔2026〕21号", judgment_effective_on="2026-01-01")],
        )
    )
    assert batch.rejections.get().reason == "第1份法律文书的判决生效日期早于文书日期"


def office_case(number, office, documents, charge="盗窃罪"):
    # The case name is searched too, so it names the same offence as the charge.
    name = f"李某{charge.removesuffix('罪')}案"
    return case_record(
        number, name=name, handling_office=office, charge=charge, parties=PARTIES[:1], documents=documents
    )


def simple_document(number, doc_type, date, text, **extra):
    return {"type": doc_type, "number": number, "date": date, "full_text": text, "published": True} | extra


@pytest.fixture
def library(import_file, indexed, publisher):
    import_file(
        office_case(
            "青山检刑受〔2025〕40号",
            "第一检察部",
            [
                simple_document(
                    "青山检刑不诉〔2025〕7号", "不起诉决定书", "2025-11-03", "李建国盗窃电动车一辆，情节轻微。"
                ),
                simple_document(
                    "青山检刑诉〔2025〕8号",
                    "起诉书",
                    "2025-12-01",
                    "被告人李建国盗窃现金，数额较大。<script>alert(1)</script>",
                    judgment_effective_on="2026-02-01",
                ),
            ],
        ),
        office_case(
            "青山检刑受〔2026〕41号",
            "第二检察部",
            [
                simple_document(
                    "青山检刑不诉〔2026〕8号", "不起诉决定书", "2026-03-10", "李建国醉酒驾驶机动车，情节轻微。"
                ),
                simple_document(
                    "青山检刑申〔2026〕2号", "刑事申诉复查决定书", "2026-04-12", "申诉人不服盗窃案处理决定。"
                ),
            ],
            charge="危险驾驶罪",
        ),
    )
    approve_pending(publisher)
    indexed()


def listing(client, **params):
    response = client.get(reverse("cases:documents"), params)
    assert response.status_code == 200
    return response


def numbers(response):
    return [hit.number for hit in response.context["results"].page_obj]


def test_search_finds_words_filters_by_type_year_and_office_and_highlights(client, library):
    everything = listing(client)
    assert numbers(everything) == [  # newest first without a query
        "青山检刑申〔2026〕2号",
        "青山检刑不诉〔2026〕8号",
        "青山检刑诉〔2025〕8号",
        "青山检刑不诉〔2025〕7号",
    ]
    assert not everything.context["results"].degraded
    facets = everything.context["results"].facets
    assert facets.years == [(2026, 2), (2025, 2)]
    assert facets.offices == [("第一检察部", 2), ("第二检察部", 2)]
    assert ("non_prosecution", "不起诉决定书", 2) in facets.types

    theft = listing(client, q="盗窃")
    assert set(numbers(theft)) == {"青山检刑不诉〔2025〕7号", "青山检刑诉〔2025〕8号", "青山检刑申〔2026〕2号"}
    html = theft.content.decode()
    assert "<mark>盗窃</mark>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    assert numbers(listing(client, q="盗窃", type="indictment")) == ["青山检刑诉〔2025〕8号"]
    assert numbers(listing(client, q="盗窃", year="2026")) == ["青山检刑申〔2026〕2号"]
    assert numbers(listing(client, office="第二检察部", type="non_prosecution")) == ["青山检刑不诉〔2026〕8号"]
    assert numbers(listing(client, q="醉酒驾驶", office="第一检察部")) == []
    assert numbers(listing(client, q="青山检刑诉〔2025〕8号")) == ["青山检刑诉〔2025〕8号"]
    # Malformed parameters are ignored, not an error page.
    assert len(numbers(listing(client, type="secret", year="20x6", page="abc"))) == 4


def test_results_are_paged(client, import_file, indexed, publisher):
    documents = [
        simple_document(f"青山检刑不诉〔2026〕{n}号", "不起诉决定书", f"2026-01-{n:02d}", "盗窃案不起诉。")
        for n in range(1, 26)
    ]
    import_file(office_case("青山检刑受〔2026〕50号", "第一检察部", documents))
    approve_pending(publisher)
    indexed()
    first, second = listing(client), listing(client, page="2")
    assert len(numbers(first)) == 20 and numbers(first)[0] == "青山检刑不诉〔2026〕25号"
    assert numbers(second) == [f"青山检刑不诉〔2026〕{n}号" for n in range(5, 0, -1)]
    assert numbers(listing(client, page="99")) == numbers(second)  # past the end: the last page
    assert 'href="?page=2"' in first.content.decode()

    # The list renders from the Elasticsearch hits: no database query per hit (rendered, not cached;
    # the synonym table, read by the first query of the process, is already read).
    with override_settings(PAGE_CACHE_SECONDS=0):
        listing(client, q="不起诉")
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as twenty:
        assert len(numbers(listing(client, q="不起诉决定书"))) == 20
    with override_settings(PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as one:
        listing(client, q="青山检刑不诉〔2026〕7号")
    assert len(twenty) == len(one)
    assert not [q for q in twenty.captured_queries if "cases_legaldocument" in q["sql"]]


def test_when_elasticsearch_is_down_the_database_answers_with_a_notice(client, library):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        response = listing(client, q="盗窃", office="第一检察部")
        html = response.content.decode()
        detail = client.get(reverse("cases:document_detail", args=[LegalDocument.objects.first().pk]))
    assert response.context["results"].degraded and "全文检索服务暂时不可用" in html
    assert set(numbers(response)) == {"青山检刑不诉〔2025〕7号", "青山检刑诉〔2025〕8号"}
    assert "<mark>盗窃</mark>" in html and "<script>alert(1)</script>" not in html
    assert response.context["results"].facets.offices == [("第一检察部", 2), ("第二检察部", 1)]
    assert detail.status_code == 200
    # A NUL character typed into the query is dropped, not sent to PostgreSQL (it was a 500).
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        for query in ("\x00", "盗窃\x00"):
            assert listing(client, q=query).status_code == 200


def test_documents_of_restricted_cases_are_never_public(client, import_file, indexed, publisher):
    import_file(the_record())
    approve_pending(publisher)
    import_file(the_record(juvenile=True))
    indexed()
    doc = LegalDocument.objects.get(number=NUMBER)
    assert doc.pk not in es_ids()
    assert client.get(reverse("cases:document_detail", args=[doc.pk])).status_code == 404
    assert NUMBER not in listing(client).content.decode()


def test_the_query_page_and_the_footer_link_to_the_documents(client):
    url = reverse("cases:documents")
    assert f'href="{url}"' in client.get(reverse("cases:query")).content.decode()


def test_the_site_search_lists_matching_documents_among_its_results(client, library):
    html = client.get("/search/", {"q": "醉酒驾驶"}).content.decode()
    drunk = LegalDocument.objects.get(number="青山检刑不诉〔2026〕8号")
    result = html.split('<li class="result result-document">', 1)[1].split("</li>", 1)[0]
    assert f'href="/cases/documents/{drunk.pk}/"' in result
    assert "法律文书" in result and "不起诉决定书" in result and "青山检刑不诉〔2026〕8号" in result
    assert "青山检刑诉〔2025〕8号" not in html  # a theft case: not a match
    assert "result-document" not in client.get("/search/", {"q": "森林防火"}).content.decode()


def test_staff_withdraw_a_published_document_and_it_leaves_the_site_at_once(client, import_file, indexed, publisher):
    import_file(the_record())
    approve_pending(publisher)
    indexed()
    doc = LegalDocument.objects.get(number=NUMBER)
    assert doc.pk in es_ids() and client.get(reverse("cases:document_detail", args=[doc.pk])).status_code == 200

    login_staff(client, publisher)
    url = reverse("cases_admin:document_detail", args=[doc.pk])
    assert "撤回公开" in client.get(url).content.decode()
    assert "请填写撤回原因" in client.post(url, {"action": "withdraw", "reason": ""}).content.decode()
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.APPROVED  # nothing changed by the refused request
    response = client.post(url, {"action": "withdraw", "reason": "发现被害人住址未删除"})
    assert response.status_code == 302
    indexed()
    client.logout()

    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.RETURNED
    assert (doc.events.last().action, doc.events.last().comment) == ("withdrawn", "发现被害人住址未删除")
    assert doc.pk not in es_ids()
    assert client.get(reverse("cases:document_detail", args=[doc.pk])).status_code == 404
    assert NUMBER not in client.get(reverse("cases:documents"), {"q": "盗窃"}).content.decode()

    login_staff(client, publisher)
    again = client.post(url, {"action": "withdraw", "reason": "再次撤回"}, follow=True)
    assert "该文书未公开，无需撤回。" in again.content.decode()


ROLE_WORD_TEXT = (
    FULL_TEXT + "\n经鉴定人周立新鉴定，被害人的母亲张秀兰到庭。辩护人张三提出无罪辩护意见。"
    "辩护人林晓峰（青山明理律师事务所律师）提出从轻处罚的意见。"
)


def test_the_check_screen_flags_names_a_role_word_introduces(client, import_file, indexed, publisher):
    import_file(the_record(documents=[document(full_text=ROLE_WORD_TEXT)]))
    doc = LegalDocument.objects.get(number=NUMBER)
    assert "周立新" not in doc.public_text and "鉴定人周某" in doc.public_text
    login_staff(client, publisher)
    url = reverse("cases_admin:document_detail", args=[doc.pk])
    screen = client.get(url)
    html = screen.content.decode()
    assert "请逐一核对：规则根据诉讼身份词识别出 3 个未列入当事人名单的姓名" in html
    for line in ("姓名（鉴定人）：周立新 → 周某", "姓名（母亲）：张秀兰 → 张某", "姓名（辩护人）：张三 → 张某"):
        assert line in html
    assert '<mark title="姓名（鉴定人）" class="flagged">周某</mark>' in html
    assert '<mark title="姓名" class="flagged">' not in html  # listed parties are not flagged
    assert "林晓峰" in doc.public_text  # the lawyer keeps his name
    form = screen.context["approve_form"]
    assert [value for value, _label in form.fields["kept_names"].choices] == ["周立新", "张秀兰", "张三"]

    # Staff put back the lawyer's name the rules could not tell: refused until they confirm it.
    edited = doc.public_text.replace("辩护人张某提出无罪", "辩护人张三提出无罪")
    basis = form.initial["basis"]
    response = client.post(url, {"action": "approve", "public_text": edited, "basis": basis})
    assert "公开版本仍含有个人信息，不能公开：姓名（辩护人）“张三”" in response.content.decode()
    # A listed party's name cannot be confirmed away.
    with_party = edited.replace("被害人王某", "被害人王秀英", 1)
    response = client.post(
        url, {"action": "approve", "public_text": with_party, "basis": basis, "kept_names": ["张三"]}
    )
    assert "姓名“王秀英”" in response.content.decode()
    response = client.post(url, {"action": "approve", "public_text": edited, "basis": basis, "kept_names": ["张三"]})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == LegalDocument.State.APPROVED and "辩护人张三提出" in doc.public_text
    approval = doc.events.get(action="approved")
    assert approval.comment == "核对人确认以下词语不是需要隐名的姓名：张三"

    indexed()
    client.logout()
    detail = client.get(reverse("cases:document_detail", args=[doc.pk])).content.decode()
    source = json.dumps(es_source(doc.pk), ensure_ascii=False)
    for page in (detail, source):
        assert "周立新" not in page and "张秀兰" not in page
        assert "鉴定人周某" in page and "母亲张某" in page and "林晓峰" in page
