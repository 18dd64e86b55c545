"""Staff screens read as written in Chinese (issue 18, acceptance 4): every admin screen of the
review and letter journeys, as each role sees it, shows no English outside user content and the
proper nouns below; the strings Wagtail's scripts show (its wagtail-config STRINGS and its
JavaScript catalogue) are Chinese too."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import wagtail
from django.test import Client

from .builders import login_staff, make_superuser
from .letters_support import build_world, letter_form, solved_captcha
from .review_builders import act, build_review_site, create_article, current_task_state, edit_article

pytestmark = pytest.mark.django_db

# Proper nouns and notations a Chinese interface keeps as they are.
ALLOWED = {"Wagtail", "Excel", "Word", "JavaScript", "TOTP", "ID", "URL"}
ALLOWED |= {"CSV", "PDF", "OFD", "JPG", "JPEG", "PNG", "DOC", "DOCX", "XLSX", "KB", "MB"}  # file formats and sizes
ALLOWED |= {"Ctrl", "Alt", "Shift", "Esc", "Enter", "Tab"}  # keys, as printed on the keyboard
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-w-tooltip-content-value"}


class ScreenText(HTMLParser):
    """What a person reads or hears on the screen: text outside scripts, styles and icons, and the
    attributes shown as tooltips, placeholders and labels (templates of dialogs included: they
    open on a click)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden, self.in_counter = [], 0, False

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "svg"):
            self.hidden += 1
        # The side panel's comment counter stays hidden until Wagtail's script writes a number in it.
        self.in_counter = self.in_counter or "data-side-panel-toggle-counter" in dict(attrs)
        self.parts.extend(value for name, value in attrs if name in SHOWN_ATTRIBUTES and value)

    def handle_endtag(self, tag):
        if tag in ("script", "style", "svg"):
            self.hidden -= 1
        self.in_counter = self.in_counter and tag != "div"

    def handle_data(self, data):
        if not self.hidden and not self.in_counter:
            self.parts.append(data)


def visible_text(html):
    parser = ScreenText()
    parser.feed(html)
    return " ".join(parser.parts)


def english(text, user_content=()):
    for content in user_content:
        text = text.replace(content, " ")
    text = re.sub(r"%\(\w+\)[sd]|\{\w+\}", " ", text)
    text = re.sub(r"https?://\S+|[\w.+-]+@[\w.-]+|\b\w+\.(?:pdf|docx?|xlsx|jpg|png)\b", " ", text)
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED})


def assert_chinese(client, url, user_content=(), **kwargs):
    response = client.get(url, follow=True, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    body = response.content.decode()
    assert "没有权限" not in body, f"{url} is not this role's screen"
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = json.loads(body).get("html", "")
    found = english(visible_text(body), user_content)
    assert not found, f"English on {url}: {found}"
    return body


def wagtail_strings(html):
    """The strings Wagtail's scripts show, from the wagtail-config the page ships: {path: text}."""
    config = re.search(r'<script id="wagtail-config" type="application/json">(.*?)</script>', html, re.S)

    def leaves(value, path):
        if isinstance(value, dict):
            for key, child in value.items():
                yield from leaves(child, f"{path}.{key}")
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from leaves(child, f"{path}[{index}]")
        else:
            yield path, str(value)

    return dict(leaves(json.loads(config.group(1))["STRINGS"], "STRINGS"))


def test_the_strings_of_wagtails_scripts_are_chinese(client):
    site = build_review_site()
    login_staff(client, site.users["editor"])
    page = client.get(f"/admin/pages/add/home/articlepage/{site.portal.news.pk}/").content.decode()
    untranslated = {key: value for key, value in wagtail_strings(page).items() if english(value)}
    assert not untranslated, untranslated

    catalogue_script = client.get("/admin/jsi18n/").content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", catalogue_script, re.S).group(1))
    source = Path(wagtail.__file__).parent / "admin" / "locale" / "en" / "LC_MESSAGES" / "djangojs.po"
    wanted = re.findall(r'^msgid "(.+)"$', source.read_text(encoding="utf-8"), re.M)
    missing = [msgid for msgid in wanted if english(str(catalogue.get(msgid.replace('\\"', '"'), msgid)))]
    assert not missing, f"not in Chinese in the admin's JavaScript catalogue: {missing}"


@pytest.mark.slow
def test_every_screen_of_the_review_journey_reads_in_chinese():
    site = build_review_site()
    users = site.users
    editor = login_staff(Client(), users["editor"])
    article_title = "县教育局部署秋季学期安全工作"
    column = site.portal.news
    assert_chinese(editor, "/admin/")
    assert_chinese(editor, "/admin/pages/")
    assert_chinese(editor, f"/admin/pages/{column.pk}/")
    assert_chinese(editor, f"/admin/pages/add/home/articlepage/{column.pk}/")
    # Saved with an empty title: the form comes back with its errors.
    empty = create_article(editor, column, action="action-submit", title="", slug="x")[0]
    found = english(visible_text(empty.content.decode()))
    assert not found, f"English on the create form with errors: {found}"

    _response, article = create_article(editor, column, title=article_title)
    assert current_task_state(article) is not None
    content = (article_title, article.slug)
    assert_chinese(editor, "/admin/", content)
    assert_chinese(editor, f"/admin/pages/{article.pk}/edit/", content)
    assert_chinese(editor, f"/admin/pages/{article.pk}/history/", content)
    assert_chinese(editor, f"/admin/pages/{article.pk}/workflow_history/", content)

    for role in ("managing", "chief"):
        reviewer = login_staff(Client(), users[role])
        assert_chinese(reviewer, "/admin/", content)
        assert_chinese(reviewer, f"/admin/pages/{column.pk}/", content)
        assert_chinese(reviewer, f"/admin/pages/{article.pk}/edit/", content)
        assert_chinese(reviewer, "/admin/reports/workflow/", content)
        assert_chinese(reviewer, "/admin/reports/workflow_tasks/", content)
        assert_chinese(reviewer, "/admin/reports/review-audit/", content)
        assert_chinese(reviewer, f"/admin/review/{article.pk}/", content)
        state = current_task_state(article)
        for action in ("approve", "reject"):
            assert_chinese(
                reviewer,
                f"/admin/pages/workflow/action/{article.pk}/{action}/{state.pk}/",
                content,
                headers={"x-requested-with": "XMLHttpRequest"},
            )
        if role == "managing":
            act(reviewer, article, "reject", comment="请补充会议时间。")
            assert_chinese(editor, "/admin/", content)
            assert_chinese(editor, f"/admin/pages/{article.pk}/edit/", content)
            edit_article(editor, article, action="action-submit", summary="9月1日部署秋季学期校园安全工作。")
            assert_chinese(reviewer, f"/admin/review/{article.pk}/", content)  # with the changes since the send-back
            act(reviewer, article, "approve", comment="同意。")
    for role in ("office", "leader", "deptleader"):
        assert_chinese(login_staff(Client(), users[role]), "/admin/", content)


def test_the_letter_desk_and_the_notices_read_in_chinese():
    world = build_world()
    for user, name in ((world.official, "吴桂芳"), (world.civil_handler, "黄建国")):
        user.display_name = name
        user.save(update_fields=["display_name"])
    Client().post("/letters/write/", letter_form(world.county) | solved_captcha())
    from services.letters.models import Letter

    letter = Letter.objects.get()
    content = (letter.title, letter.content, letter.tracking_no)
    official = login_staff(Client(), world.official)
    assert_chinese(official, "/admin/", content)
    assert_chinese(official, "/admin/letters/", content)
    assert_chinese(official, f"/admin/letters/{letter.pk}/", content)
    assert_chinese(official, "/admin/letters/enter/", content)
    handler = login_staff(Client(), world.civil_handler)
    assert_chinese(handler, "/admin/", content)
    assert_chinese(handler, "/admin/letters/", content)
    administrator = make_superuser()
    administrator.display_name = "系统管理员"
    administrator.save(update_fields=["display_name"])
    administrator = login_staff(Client(), administrator)
    assert_chinese(administrator, "/admin/snippets/portal/holidaynotice/")
    assert_chinese(administrator, "/admin/snippets/portal/holidaynotice/add/")


def test_the_case_management_screens_read_in_chinese():
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from portal.roles import ensure_role_groups

    user = get_user_model().objects.create_user(username="anguan", display_name="何立新", is_staff=True)
    user.groups.add(ensure_role_groups()["casemgr"])
    manager = login_staff(Client(), user)
    for url in (
        "/admin/",
        "/admin/cases/bindings/",
        "/admin/cases/documents/",
        "/admin/cases/time-limits/",
        "/admin/accounts/lawyers/",
        reverse("case_import_batches:index"),
        reverse("case_stage_time_limits:index"),
    ):
        assert_chinese(manager, url)
