"""WCAG 2.1 AA on every public page type and every public form in its error state, checked
by axe-core (npm, pinned in package-lock.json, installed by scripts/services.sh) inside
Debian's Chromium at 1280 px, on a 360 px phone and in 长辈版 on that phone. Any violation of
impact serious or critical fails the test, listed with the page, rule and elements."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from home.models import ArticlePage, ColumnPage, HomePage, ServicePage
from services.accounts.workflow import save_real_name
from services.cases.documents import public_document_queryset
from services.letters.views import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = Path(os.environ.get("AXE_CORE_PATH") or Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js")
MODES = {
    "1280 px": {"viewport": {"width": 1280, "height": 900}, "elder": False},
    "360 px": {"viewport": {"width": 360, "height": 740}, "elder": False},
    "长辈版 360 px": {"viewport": {"width": 360, "height": 740}, "elder": True},
}
# WCAG 2.1 A/AA rules, plus 2.2's target size (24 × 24 px), which the issue asks for.
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    resultTypes: ["violations"],
  });
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 6).map(n => n.target.join(" "))}));
}"""

# What axe reports only as "needs review", checked here as failures: references to ids that
# are not on the page, more than one alert at once, a menu label broken over two lines, and
# in 长辈版 a page heading below the first half of the screen.
LAYOUT_CHECKS = """(elder) => {
  const problems = [];
  const problem = (rule, help, nodes) => problems.push({rule, impact: "serious", help, nodes});
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      const missing = element.getAttribute(attribute).split(" ").filter(id => id && !document.getElementById(id));
      if (missing.length) problem("missing-id", `${attribute} names ${missing}`, [element.outerHTML.slice(0, 120)]);
    }
  }
  const alerts = [...document.querySelectorAll("[role=alert]")].map(a => a.textContent.trim().slice(0, 40));
  if (alerts.length > 1) problem("one-alert", `${alerts.length} role=alert regions at once`, alerts);
  for (const link of document.querySelectorAll(".main-nav-list a")) {
    const range = document.createRange();
    range.selectNodeContents(link);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (lines.size > 1) problem("menu-label-wraps", "a menu label is broken over two lines", [link.textContent]);
  }
  const heading = document.querySelector("main h1");
  const top = heading ? Math.round(heading.getBoundingClientRect().top) : 0;
  if (elder && top > window.innerHeight / 2) {
    problem("elder-first-screen", `长辈版: the page heading starts ${top} px down`, [heading.textContent.trim()]);
  }
  return problems;
}"""


def public_pages():
    """(name, address) of one page of each public type in the seeded demo."""
    letter = published().first()
    document = public_document_queryset().first()
    column_with_articles = next(c for c in ColumnPage.objects.live() if ArticlePage.objects.live().child_of(c).exists())
    return [
        ("首页", HomePage.objects.live().first().url),
        ("栏目（信息列表）", column_with_articles.url),
        ("栏目（下级栏目）", ColumnPage.objects.live().filter(depth=3).first().url),
        ("信息", ArticlePage.objects.live().child_of(column_with_articles).first().url),
        ("办事服务", ServicePage.objects.live().first().url),
        ("站内搜索", "/search/?q=%E5%8E%BF"),
        ("领导信箱", "/letters/"),
        ("公开信件", f"/letters/{letter.pk}/"),
        ("法律文书公开", "/cases/documents/"),
        ("法律文书", f"/cases/documents/{document.pk}/"),
        ("无障碍说明", "/accessibility/"),
        ("页面不存在", "/no-such-page/"),
    ]


# (name, address, submit button's name, or None for the form's last one, or False for a page
# without a form): each form is checked as it loads and after a wrong submission.
PUBLIC_FORMS = [
    ("我要写信", "/letters/write/", "提交信件"),
    ("信件查询", "/letters/track/", "查询"),
    ("找回查询密码", "/letters/password/", "发送新的查询密码"),
    ("案件查询", "/cases/query/", "查询"),
    ("登录", "/accounts/login/", "登录"),
    ("注册", "/accounts/signup/", "注册"),
    ("找回密码", "/accounts/password/reset/", None),
    ("验证码登录", "/accounts/login/code/", None),
]
CITIZEN_FORMS = [
    ("我的信息", "/accounts/me/", False),
    ("实名信息", "/accounts/me/real-name/", "保存"),
    ("律师认证", "/accounts/me/lawyer/", "提交申请"),
    ("我的信件", "/letters/mine/", False),
]


def submit_wrongly(page, button):
    """Fill the form as a hurried person might (every box "1", a well-formed e-mail address
    so that the browser lets it through) and send it: the page comes back in its error state."""
    form = page.locator("main form").filter(has=page.locator("button[type=submit]:visible")).last
    for field in form.locator("input:visible, textarea:visible").all():
        kind = field.get_attribute("type") or "text"
        if kind in {"checkbox", "radio", "file", "submit", "button"} or field.input_value():
            continue
        field.fill("nobody@example.cn" if kind == "email" else "1")
    target = (
        page.get_by_role("button", name=button, exact=True)
        if button
        else form.locator("button[type=submit]:visible:not(.captcha-refresh)").last
    )
    with page.expect_navigation():
        target.click()


def test_no_serious_or_critical_accessibility_violations(live_server, browser, demo_site):
    """Each page is loaded (and each form sent wrongly) once per display, standard and 长辈版,
    and checked in each mode of that display with the window set to the mode's size: the server
    renders a page the same at any width (only the 长辈版 cookie changes it), and the layout
    follows the width through CSS alone (no script reads the window's size, no style
    transition), so a page set to 360 px is the page loaded at 360 px. axe-core is added to
    every document by the browser as it starts (an init script of the context, there being
    no frames), not sent over for each check."""
    assert AXE.is_file(), f"axe-core not installed at {AXE}: scripts/services.sh installs it with npm ci"
    citizen = Client()
    person = get_user_model().objects.get(username="citizen")
    save_real_name(person, "王小明", "11010519491231002X")  # so that the lawyer application form shows
    citizen.force_login(person)
    states = [(name, address, False) for name, address in public_pages()] + PUBLIC_FORMS
    report = []
    for elder in (False, True):
        modes = [mode for mode, options in MODES.items() if options["elder"] == elder]
        context = browser.new_context(locale="zh-CN", viewport=MODES[modes[0]]["viewport"], bypass_csp=True)
        context.add_init_script(path=str(AXE))
        if elder:
            context.add_cookies([{"name": "display_mode", "value": "elder", "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(20_000)
        for name, address, button in states:
            visit(page, modes, name, live_server.url + address, button, report)
        context.add_cookies(
            [{"name": "sessionid", "value": citizen.cookies["sessionid"].value, "url": live_server.url}]
        )
        for name, address, button in CITIZEN_FORMS:
            visit(page, modes, name, live_server.url + address, button, report)
        context.close()
    assert not report, "\n".join(
        f"[{mode}] {name}: {v['rule']} ({v['impact']}) {v['help']} → {', '.join(v['nodes'])}"
        for mode, name, v in report
    )


def visit(page, modes, name, address, button, report):
    """Check the page as it loads and, for a form (`button` is not False), in its error state."""
    try:
        page.goto(address)
        run_checks(page, modes, name, report)
        if button is not False:
            submit_wrongly(page, button)
            run_checks(page, modes, name + "（出错后）", report)
    except Exception as error:
        error.add_note(f"{modes} {name} {address}")
        raise


def run_checks(page, modes, name, report):
    """The checks in each of `modes`, the window set to the mode's size."""
    for mode in modes:
        page.set_viewport_size(MODES[mode]["viewport"])
        for violation in page.evaluate(RUN_AXE) + page.evaluate(LAYOUT_CHECKS, MODES[mode]["elder"]):
            report.append((mode, name, violation))
