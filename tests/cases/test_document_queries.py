"""The legal-document search understands queries as the site search does (search.query):
a document number typed with any brackets, the case name (赵某), traditional characters —
with Elasticsearch and, while it is down, with PostgreSQL."""

import pytest
from django.test import override_settings
from django.urls import reverse

from .builders import approve_pending, case_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TEXT = "被不起诉人赵明饮酒后驾驶小型轿车，经检测血液酒精含量为92毫克/100毫升，犯罪情节轻微，决定不起诉。"


@pytest.fixture
def drunk_driving(import_file, indexed, publisher):
    import_file(
        case_record(
            "青山检刑受〔2026〕30号",
            name="赵某危险驾驶案",
            charge="危险驾驶罪",
            parties=[{"name": "赵明", "role": "犯罪嫌疑人"}],
            documents=[
                {
                    "type": "不起诉决定书",
                    "number": "青山检刑不诉〔2026〕12号",
                    "date": "2026-06-18",
                    "full_text": TEXT,
                    "published": True,
                }
            ],
        ),
        case_record(
            "青山检刑受〔2026〕31号",
            name="钱某盗窃案",
            documents=[
                {
                    "type": "不起诉决定书",
                    "number": "青山检刑不诉〔2026〕13号",
                    "date": "2026-06-19",
                    "full_text": "被不起诉人李建国盗窃电动自行车一辆，价值人民币八百元，情节轻微。",
                    "published": True,
                }
            ],
        ),
    )
    approve_pending(publisher)
    indexed()


def numbers(client, query):
    response = client.get(reverse("cases:documents"), {"q": query})
    assert response.status_code == 200
    return [hit.number for hit in response.context["results"].page_obj], response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "青山检刑不诉〔2026〕12号",
        "青山检刑不诉(2026)12号",
        "青山检刑不诉（2026）12号",
        "青山检刑不诉[2026]12号",
        "青山检刑不诉2026年12号",
    ],
)
def test_a_document_number_is_found_whatever_brackets_are_typed(client, drunk_driving, query):
    assert numbers(client, query)[0] == ["青山检刑不诉〔2026〕12号"]


def test_a_document_is_found_by_its_case_name_and_in_traditional_characters(client, drunk_driving):
    assert numbers(client, "赵某")[0] == ["青山检刑不诉〔2026〕12号"]
    assert numbers(client, "危險駕駛")[0] == ["青山检刑不诉〔2026〕12号"]
    found, html = numbers(client, "电动车")  # the synonym table: 电动自行车
    assert found == ["青山检刑不诉〔2026〕13号"] and "<mark>" in html


def test_the_database_answers_the_same_queries_while_elasticsearch_is_down(client, drunk_driving):
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        found, html = numbers(client, "青山检刑不诉(2026)12号")
        assert found == ["青山检刑不诉〔2026〕12号"] and "数据库" in html
        assert numbers(client, "赵某")[0] == ["青山检刑不诉〔2026〕12号"]
        assert numbers(client, "电动车")[0] == ["青山检刑不诉〔2026〕13号"]
