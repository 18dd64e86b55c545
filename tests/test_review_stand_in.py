"""An item submitted by the only 网站主编 is not stuck (issue 18, point 9): nobody holding the
level may act on it (one person acts at one level only, and never on what they submitted), so
the 网站总编 is told — by real names — and may review at that level, then at their own."""

import pytest
from django.core import mail

from .builders import login_staff
from .review_builders import act, build_review_site, create_article, edit_article, is_live, levels_done

AWAITING = "待我审核"


def submitted_by_the_managing_editor(client, site):
    login_staff(client, site.users["editor"])
    _response, article = create_article(client, site.portal.news, action="action-save", title="县政府网站年度工作报表")
    login_staff(client, site.users["managing"])
    assert edit_article(client, article, action="action-submit").status_code == 302
    return article


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editor_in_chief_is_told_and_reviews_the_level_nobody_else_may(client, run_tasks):
    site = build_review_site()
    users = site.users
    # 陈静 is the only 网站主编 (the person holding both roles has left).
    users["both"].is_active = False
    users["both"].save(update_fields=["is_active"])
    mail.outbox.clear()
    article = submitted_by_the_managing_editor(client, site)
    run_tasks()

    [message] = [message for message in mail.outbox if "审" in message.subject]
    assert message.to == [users["chief"].email] and message.subject == "【待代审】县政府网站年度工作报表"
    assert message.body.startswith("刘志国：")
    assert "由陈静提交，已到“网站主编审核”环节。本级审核人陈静提交过" in message.body
    assert f"/admin/review/{article.pk}/" in message.body

    # The submitter may not review it; the 网站总编 finds it on the work list and acts at both levels.
    login_staff(client, users["managing"])
    assert act(client, article, "approve") == 403
    login_staff(client, users["chief"])
    assert "县政府网站年度工作报表" in client.get("/admin/").content.decode().split(AWAITING, 1)[1]
    assert act(client, article, "approve", "主编提交，由总编代为审核") == 200
    assert levels_done(article) == ["网站主编审核"]
    assert act(client, article, "approve", "同意发布") == 200
    assert is_live(article) and levels_done(article) == ["网站主编审核", "网站总编审核"]
    # The 审签单 says who stood in.
    sheet = client.get(f"/admin/review/{article.pk}/sheet/").content.decode()
    assert sheet.count("刘志国（代为审核）") == 1 and "主编提交，由总编代为审核" in sheet


@pytest.mark.django_db
def test_the_editor_in_chief_does_not_stand_in_while_another_managing_editor_may_review(client):
    site = build_review_site()
    article = submitted_by_the_managing_editor(client, site)  # "both" still holds the 网站主编 role
    login_staff(client, site.users["chief"])
    assert act(client, article, "approve") == 403
    login_staff(client, site.users["both"])
    assert act(client, article, "approve") == 200
