"""`manage.py generate_scale_data` (issue 15): deterministic bulk data in the portal's own columns
and mailboxes, that the public site serves as it serves real items, and that a second run refuses."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.models import WorkflowState

from home.models import ArticlePage
from home.review import approved_revision
from portal.pii import pii_hash
from portal.roles import ensure_role_groups
from services.cases.models import Case, Party
from services.letters.models import Letter, LetterType, Mailbox, PublicVersion, Status

from .review_builders import build_review_site, make_user

pytestmark = pytest.mark.django_db

SIZES = {"pages": 40, "letters": 120, "cases": 20, "seed": 7}


@pytest.fixture
def seeded():
    site = build_review_site()
    groups = ensure_role_groups()
    official = make_user("mailadmin", [groups["mailadmin"]], site.education)
    for name, slug, department in (("县长信箱", "county", site.health), ("县教育局局长信箱", "jyj", site.education)):
        Mailbox.objects.create(name=name, slug=slug, department=department).officials.add(official)
    return site


class Rollback(Exception):
    pass


def generated():
    """What a run produced, independent of database ids."""
    return {
        "pages": sorted(
            ArticlePage.objects.filter(collector__gt="", slug__regex=r"^\d{8}-").values_list(
                "url_path", "title", "date", "body", "index_no"
            )
        ),
        "letters": sorted(
            Letter.objects.values_list("tracking_no", "title", "content", "status", "submitted_at", "due_on", "phone")
        ),
        "public": sorted(PublicVersion.objects.values_list("letter__tracking_no", "state", "title", "reply")),
        "cases": sorted(Case.objects.values_list("case_number", "name", "accepted_on", "current_stage")),
    }


def strip_ids(snapshot):
    """Page slugs and addresses carry the page id, which a database sequence hands out."""
    pages = [(path.rsplit("-", 1)[0], *rest) for path, *rest in snapshot["pages"]]
    return {**snapshot, "pages": pages}


def test_the_same_seed_gives_the_same_data(seeded):
    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                call_command("generate_scale_data", **SIZES)
                runs.append(strip_ids(generated()))
                raise Rollback
        except Rollback:
            pass
    assert len(runs[0]["pages"]) == 40 and len(runs[0]["letters"]) == 120 and len(runs[0]["cases"]) == 20
    assert runs[0] == runs[1]
    call_command("generate_scale_data", **{**SIZES, "seed": 8})
    assert strip_ids(generated())["letters"] != runs[0]["letters"]


def test_generated_articles_are_live_reviewed_and_served(seeded, client):
    before = set(ArticlePage.objects.values_list("pk", flat=True))
    call_command("generate_scale_data", **SIZES)
    articles = ArticlePage.objects.exclude(pk__in=before).order_by("-date", "-pk")
    assert articles.count() == 40
    for article in articles:
        assert article.live and article.live_revision_id == article.latest_revision_id
        # The revision every level of the column's review approved is the one that is live.
        state = WorkflowState.objects.for_instance(article).get()
        assert state.status == WorkflowState.STATUS_APPROVED
        assert approved_revision(state).pk == article.live_revision_id
        if article.is_disclosure:
            assert article.index_no
    for article in articles[:5]:
        response = client.get(article.url)
        assert response.status_code == 200
        assert article.title in response.content.decode()
    newest = articles.first()
    column_page = client.get(newest.get_parent().url).content.decode()
    assert newest.title in column_page
    assert client.get("/").status_code == 200


def test_only_letters_published_under_the_rules_reach_the_public_list(seeded, client):
    call_command("generate_scale_data", **SIZES)
    letters = Letter.objects.select_related("public_version")
    assert {letter.status for letter in letters} >= {Status.CLOSED, Status.REPLIED}
    published = PublicVersion.objects.filter(state=PublicVersion.State.PUBLISHED).select_related("letter")
    assert published.exists()
    for version in published:
        letter = version.letter
        assert letter.consent_publish and letter.letter_type != LetterType.REPORT
        assert letter.status in (Status.REPLIED, Status.CLOSED)
        page = client.get(f"/letters/{version.pk}/").content.decode()
        for personal in (letter.phone, letter.id_number, letter.address, letter.writer_name):
            assert not personal or personal not in page
    for letter in letters:
        if letter.phone:
            assert letter.phone_hash == pii_hash(letter.phone, purpose="phone")
        if letter.id_number:
            assert letter.id_hash == pii_hash(letter.id_number)
    hidden = PublicVersion.objects.exclude(state=PublicVersion.State.PUBLISHED)
    for version in hidden:
        assert client.get(f"/letters/{version.pk}/").status_code == 404
    listing = client.get("/letters/").content.decode()
    newest = published.order_by("-published_at").first()
    assert newest.title in listing
    unpublished_titles = {letter.title for letter in letters if not hasattr(letter, "public_version")}
    shown = {version.title for version in published}
    for title in unpublished_titles - shown:
        assert title not in listing


def test_a_second_run_is_refused_and_adds_nothing(seeded):
    call_command("generate_scale_data", **SIZES)
    counts = (ArticlePage.objects.count(), Letter.objects.count(), Case.objects.count(), Party.objects.count())
    with pytest.raises(CommandError, match="已经生成过规模测试数据"):
        call_command("generate_scale_data", **SIZES)
    assert counts == (ArticlePage.objects.count(), Letter.objects.count(), Case.objects.count(), Party.objects.count())
