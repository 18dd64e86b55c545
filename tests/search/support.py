"""Load the relevance corpus through the product's own doors: pages published through
revisions (as an editor's approved item is), letters written through the public form and
handled through the officials' workflow, legal documents imported by `import_cases` and
approved by case-management staff. Then the queued index tasks run, as the worker does."""

import datetime
import json
import re
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from home.models import ArticlePage, ColumnPage
from portal.roles import ensure_role_groups
from services.cases.models import LegalDocument
from services.letters import workflow
from services.letters.models import Letter

from ..builders import add_page, build_home
from ..cases.builders import approve_pending
from ..letters_support import build_world, write_letter
from .corpus import ARTICLES, COLUMNS, DOCUMENTS, LETTERS


def build_columns():
    home = build_home()
    columns = {}
    for column in COLUMNS:
        parent = columns[column.parent] if column.parent else home
        columns[column.key] = add_page(
            parent,
            ColumnPage(
                title=column.title,
                slug=column.slug,
                kind=column.kind,
                is_disclosure=column.is_disclosure,
                show_in_menus=not column.parent,
            ),
        )
    return home, columns


def add_article(column, item, slug=None):
    return add_page(
        column,
        ArticlePage(
            title=item.title,
            slug=slug or item.key.replace("_", "-"),
            date=datetime.date.fromisoformat(item.date),
            summary=item.summary,
            body="".join(f"<p>{part}</p>" for part in item.body.split("\n")),
            source=item.issuing_body or "县政府办公室",
            collector="测试采集人",
            document_no=item.document_no,
            issuing_body=item.issuing_body,
            validity=item.validity,
        ),
    )


def publish_letter(world, client, item, number):
    letter, *_ = write_letter(
        client,
        world.county,
        title=item.title,
        content=item.content,
        letter_type=item.letter_type,
        topic=item.topic,
        consent_publish="on",
        phone=f"1390000{number:04d}",
    )
    workflow.accept_letter(letter, world.official)
    workflow.route_letter(letter, world.official, [world.civil])
    workflow.draft_reply(letter.assignments.get(), world.civil_handler, item.reply)
    workflow.approve_reply(letter, world.official)
    version = workflow.prepare_public_version(Letter.objects.get(pk=letter.pk), world.official)
    workflow.publish_public_version(version, world.official, item.title, version.content, version.reply)
    version.refresh_from_db()
    return reverse("letters:detail", args=[version.pk])


def case_line(item):
    suspect = re.match(r"被(?:不起诉人|告人)(\S{2,3}?)，", item.text)
    parties = [{"name": suspect.group(1), "role": "犯罪嫌疑人"} if suspect else {"name": "吴刚", "role": "申诉人"}]
    return {
        "case_number": item.case_number,
        "name": item.case_name,
        "charge": item.charge,
        "handling_office": item.office,
        "accepted_on": item.date[:4] + "-01-05",
        "current_stage": "审查起诉",
        "parties": parties,
        "events": [{"kind": "受理", "date": item.date[:4] + "-01-05"}],
        "documents": [
            {"type": item.doc_type, "number": item.number, "date": item.date, "full_text": item.text, "published": True}
            | item.extra
        ],
    }


def import_case_lines(tmp_path, lines):
    """Import case records through `manage.py import_cases`, as the case-management system's batches arrive."""
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines), "utf-8")
    call_command("import_cases", str(path), stdout=StringIO())


def import_documents(tmp_path):
    import_case_lines(tmp_path, [case_line(item) for item in DOCUMENTS])
    publisher = get_user_model().objects.create_user(username="anguan", password="Test#Case2026", is_staff=True)
    publisher.groups.add(ensure_role_groups()["casemgr"])
    approve_pending(publisher)
    return {
        item.key: reverse("cases:document_detail", args=[LegalDocument.objects.get(number=item.number).pk])
        for item in DOCUMENTS
    }


RESULT_LINK = re.compile(r'<a class="result-title" href="([^"]+)"')


def ranked_urls(html):
    """Result links in rank order, from the ranked list only (not the pinned results)."""
    ranked = html.split('<ol class="result-list"', 1)
    return RESULT_LINK.findall(ranked[1].split("</ol>", 1)[0]) if len(ranked) == 2 else []


def result_urls(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return ranked_urls(response.content.decode())


def build_corpus(tmp_path):
    """Every corpus item, public; returns {key: URL of the item} (columns: "column_<key>").

    The pages are published in one transaction, as a batch an editor's team publishes
    together: the site index then gets one task for all of them rather than one per page
    (search.site_index.queue_sync), which the ranking does not depend on."""
    with transaction.atomic():
        _home, columns = build_columns()
        urls = {f"column_{key}": column.url for key, column in columns.items()}
        for item in ARTICLES:
            urls[item.key] = add_article(columns[item.column], item).url
    world = build_world()
    client = Client()
    for number, item in enumerate(LETTERS):
        urls[item.key] = publish_letter(world, client, item, number)
    urls.update(import_documents(tmp_path))
    return urls
