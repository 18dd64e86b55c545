"""The letters index: nothing is lost while Elasticsearch is down, repeats from the same
person are linked, and many similar letters raise a group-matter warning."""

import datetime
import io
import json
from contextlib import redirect_stdout

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal import sms
from search.connection import get_client
from services.letters import workflow
from services.letters.models import GroupAlert, Letter, Status
from services.letters.search import letters_index_name, pending_letters

from .accounts_builders import sign_up
from .builders import login_staff
from .letters_support import build_world, write_letter, write_letter_receipt

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

UNREACHABLE = "http://127.0.0.1:9"
SUBJECTS = ["路灯", "校车", "低保", "医保报销", "河道垃圾", "农村公路", "菜市场", "供暖", "停车位", "噪音"]


def indexed_tracking_numbers():
    client = get_client()
    client.indices.refresh(index=letters_index_name())
    response = client.search(index=letters_index_name(), size=1000, source=["tracking_no"], query={"match_all": {}})
    return {hit["_source"]["tracking_no"] for hit in response["hits"]["hits"]}


def index_now(run_tasks):
    """Run the queued tasks, then make their writes searchable (Elasticsearch refreshes every second)."""
    run_tasks()
    get_client().indices.refresh(index=letters_index_name())


PER_THIRD = 10


@pytest.mark.slow
def test_letters_survive_elasticsearch_going_down_part_way(clean_search_indices, run_tasks, settings):
    """Letters are written through the public form before, during and after an outage, the
    worker running at each turn. PER_THIRD letters in each third: every letter of a third takes
    the same path through the form and its own index task, so more letters (this test wrote 200
    once) would only repeat that path at many times the cost; ten cover every subject once per
    third."""
    world = build_world()
    settings.LETTERS_WRITE_LIMITS = {"address": (3 * PER_THIRD, 3600), "phone": (1, 3600)}
    up = settings.ELASTICSEARCH_URL
    client = Client()
    for number in range(3 * PER_THIRD):
        if number == PER_THIRD:
            settings.ELASTICSEARCH_URL = UNREACHABLE  # Elasticsearch "stops"
        if number == 2 * PER_THIRD:
            failed_at = timezone.now()
            run_tasks()  # the worker runs while it is down: every index task fails
            settings.ELASTICSEARCH_URL = up
            # Their retries wait a minute; hold them while the test goes on, which on a busy
            # machine takes longer than that (their own delay is checked below).
            retries = DBTaskResult.objects.filter(task_path="services.letters.search.index_letter_task", status="READY")
            delays = {r.pk: r.run_after - failed_at for r in retries}
            retries.update(run_after=timezone.now() + datetime.timedelta(hours=1))
        subject = SUBJECTS[number % len(SUBJECTS)]
        write_letter(
            client,
            world.county,
            title=f"关于{subject}问题的第{number}号来信",
            content=f"第{number}号来信：反映{subject}方面的问题，希望有关部门尽快研究解决，谢谢。",
            phone=f"139{number:08d}",
        )
        if number == PER_THIRD - 1:
            run_tasks()
    assert Letter.objects.count() == 3 * PER_THIRD  # every letter saved, whatever Elasticsearch did
    # Those written while it was down, and those written since that the worker has not picked up.
    assert pending_letters().count() == 2 * PER_THIRD
    run_tasks()  # letters written after the restart are indexed by their own tasks
    assert pending_letters().count() == PER_THIRD
    # The tasks that met the outage each queued a second attempt a minute later.
    assert retries.count() == PER_THIRD and {r.args_kwargs["args"][1] for r in retries} == {2}
    assert set(delays) == {r.pk for r in retries}
    assert all(delay >= datetime.timedelta(minutes=1) for delay in delays.values())

    retries.update(run_after=timezone.now())  # the minute has passed
    run_tasks()
    assert pending_letters().count() == 0
    assert indexed_tracking_numbers() == set(Letter.objects.values_list("tracking_no", flat=True))


def test_letters_index_pending_requeues_what_the_retries_gave_up_on(clean_search_indices, run_tasks, settings):
    world = build_world()
    up = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = UNREACHABLE
    write_letter(Client(), world.county, title="关于路灯不亮的来信", content="村口路灯已经坏了一个月，请尽快维修。")
    run_tasks()
    DBTaskResult.objects.all().delete()  # as if every retry had been used up and pruned
    settings.ELASTICSEARCH_URL = up
    assert pending_letters().count() == 1

    with redirect_stdout(io.StringIO()):
        call_command("letters_index", "--pending", stdout=io.StringIO())
    run_tasks()
    assert pending_letters().count() == 0


def test_the_task_queue_forgets_what_citizens_were_sent(clean_search_indices, run_tasks):
    world = build_world()
    writer = Client()
    sign_up(writer, "13900001111", email="citizen@example.cn")
    EmailAddress.objects.filter(email="citizen@example.cn").update(verified=True)
    sms.outbox.clear()
    _letter, tracking_no, password = write_letter(writer, world.county, phone="13900001111", email="citizen@example.cn")
    run_tasks()
    assert [m.phone for m in sms.outbox if password in m.text] == ["13900001111"]
    assert any(password in message.body for message in mail.outbox)

    sent = DBTaskResult.objects.filter(task_path__startswith="portal.notifications.")
    # The writer's SMS and e-mail, and the mailbox official's notice of a letter to accept.
    assert {r.status for r in sent} == {"SUCCESSFUL"} and sent.count() == 3
    stored = json.dumps([r.args_kwargs for r in sent], ensure_ascii=False)
    for secret in ("13900001111", "citizen@example.cn", password, tracking_no):
        assert secret not in stored
    assert "139****1111" in stored  # enough for staff to see which number a failure concerned


def test_only_numbers_and_addresses_the_writer_verified_are_texted_or_mailed(clean_search_indices, run_tasks):
    """Issue 11, finding 10: the form must not send messages to a number someone merely typed."""
    world = build_world()
    writer = Client()
    sign_up(writer, "13900002222", email="own@example.cn")  # e-mail given but never confirmed
    sms.outbox.clear()
    mail.outbox.clear()
    contacts = [
        (Client(), {"phone": "13900003333", "email": "victim@example.cn"}),  # not signed in
        (writer, {"phone": "13900003333", "email": ""}),  # signed in, someone else's number
        (writer, {"phone": "13900002222", "email": "own@example.cn"}),  # own number, unconfirmed e-mail
    ]
    letters = [write_letter(client, world.county, **contact) for client, contact in contacts]
    run_tasks()
    assert [m.phone for m in sms.outbox] == ["13900002222"]
    assert letters[2][1] in sms.outbox[0].text
    assert [m.to for m in mail.outbox if m.to != [world.official.email]] == []
    receipt = write_letter_receipt(Client(), world.county, phone="13900003333")
    assert "本次不会发送" in receipt
    # Later notices follow the same rule.
    for letter, *_ in letters:
        workflow.accept_letter(letter, world.official)
    run_tasks()
    assert [m.phone for m in sms.outbox] == ["13900002222", "13900002222"]
    writers = {"victim@example.cn", "own@example.cn"}
    assert not [m.to for m in mail.outbox if writers & set(m.to)]  # staff notices only


def test_repeat_detection_tells_a_submitter_nothing_and_trusts_only_the_signed_in_writer(
    clean_search_indices, run_tasks
):
    """Issue 11, finding 8: typing someone's number and a paraphrase of their letter neither
    reveals their letter nor texts them; the same signed-in writer's repeat is linked for staff."""
    world = build_world()
    victim = Client()
    sign_up(victim, "13812345678")
    sms.outbox.clear()
    original, original_no, _password = write_letter(
        victim,
        world.county,
        letter_type="complaint",
        title="幸福小区路灯长期不亮",
        content="青石镇幸福小区东门外的三盏路灯已经坏了两个月，晚上出行非常不便，老人多次摔倒，请尽快维修。",
    )
    index_now(run_tasks)
    assert [m.phone for m in sms.outbox] == ["13812345678"]

    paraphrase = {
        "letter_type": "complaint",
        "title": "再次反映幸福小区路灯不亮",
        "content": "青石镇幸福小区东门外的三盏路灯已经坏了两个多月，晚上出行很不方便，老人摔倒过，请尽快维修。",
        "phone": "13812345678",
    }
    attacker = Client()
    receipt = write_letter_receipt(attacker, world.county, **paraphrase)
    probe = Letter.objects.latest("pk")
    page = attacker.get(f"/letters/track/{probe.tracking_no}/").content.decode()
    assert probe.status == Status.SUBMITTED and probe.repeat_of is None
    for html in (receipt, page):
        assert original_no not in html and "内容相同" not in html and "并入" not in html
    # Another account typing the victim's number is no better placed.
    other_account = Client()
    sign_up(other_account, "13700007777")
    write_letter(other_account, world.county, **paraphrase)
    assert Letter.objects.latest("pk").repeat_of is None
    run_tasks()
    assert [m.phone for m in sms.outbox].count("13812345678") == 1  # only the victim's own receipt

    # The victim writing again is linked, for staff; the writer is not shown the other letter's number.
    repeat, repeat_no, _password = write_letter(victim, world.county, **paraphrase)
    assert repeat.status == Status.REPEAT and repeat.repeat_of == original and repeat.due_on is None
    assert original.events.filter(action="repeat_received", comment=repeat_no).exists()
    assert original_no not in victim.get(f"/letters/track/{repeat_no}/").content.decode()
    staff = login_staff(Client(), world.official)
    page = staff.get(f"/admin/letters/{repeat.pk}/").content.decode()
    assert "重复来信" in page and original_no in page


def test_the_same_facts_are_not_accepted_again_after_re_handling(clean_search_indices, run_tasks):
    world = build_world()
    client = Client()
    sign_up(client, "13812345678")
    letter, tracking_no, password = write_letter(
        client,
        world.county,
        letter_type="complaint",
        title="养老补贴未发放",
        content="我父亲今年八十岁，按政策应享受高龄津贴，但至今半年未发放，请民政部门核查。",
    )
    workflow.accept_letter(letter, world.official)
    workflow.route_letter(letter, world.official, [world.civil])
    for _round in range(2):
        workflow.draft_reply(letter.assignments.get(current=True), world.civil_handler, "已核查并补发。")
        workflow.approve_reply(letter, world.official)
        workflow.rate_letter(letter, "dissatisfied")
        letter.refresh_from_db()
        if letter.status == Status.REPLIED:
            workflow.request_reopen(letter, "仍未收到")
            workflow.route_letter(letter, world.official, [world.civil])
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED and letter.reopen_count == 1
    index_now(run_tasks)
    again, *_ = write_letter(
        client,
        world.county,
        letter_type="complaint",
        title="高龄津贴仍未发放",
        content="我父亲今年八十岁，按政策应享受高龄津贴，但至今半年多未发放，请民政部门再次核查。",
    )
    assert again.status == Status.REPEAT and again.repeat_of == letter


def test_many_similar_letters_raise_a_group_matter_warning(clean_search_indices, run_tasks):
    world = build_world()
    client = Client()
    for number in range(5):
        write_letter(
            client,
            world.county,
            title="化工厂夜间排放异味",
            content=f"河口乡工业园区化工厂每天夜间排放刺鼻异味，周边村民无法入睡，请环保部门查处。（村民{number}）",
            phone=f"1370000{number:04d}",
            writer_name=f"村民{number}",
        )
        index_now(run_tasks)
    assert not GroupAlert.objects.exists() or GroupAlert.objects.get().letters.count() >= 5
    write_letter(
        client,
        world.county,
        title="化工厂夜间排放异味",
        content="河口乡工业园区化工厂每天夜间排放刺鼻异味，周边村民无法入睡，请环保部门查处。（村民5）",
        phone="13700009999",
        writer_name="村民5",
    )
    run_tasks()
    alert = GroupAlert.objects.get()
    assert alert.letters.count() >= 5
    desk = login_staff(Client(), world.official).get("/admin/letters/").content.decode()
    assert "群体性诉求预警" in desk and "化工厂夜间排放异味" in desk


def test_officials_search_letters_in_full_text_within_their_scope(clean_search_indices, run_tasks, settings):
    world = build_world()
    client = Client()
    river, *_ = write_letter(
        client,
        world.county,
        title="河道垃圾无人清理",
        content="河口乡大桥下的河道堆满了生活垃圾，夏天气味难闻，请尽快组织清理。",
        phone="13500000001",
    )
    school, *_ = write_letter(
        client,
        world.county,
        title="学区划分咨询",
        content="孩子明年上小学，户口在城关镇，请问学区如何划分？",
        phone="13500000002",
    )
    for letter, department in ((river, world.civil), (school, world.education)):
        workflow.accept_letter(letter, world.official)
        workflow.route_letter(letter, world.official, [department])
    index_now(run_tasks)

    def found(user, query):
        html = login_staff(Client(), user).get("/admin/letters/", {"q": query}).content.decode()
        return {letter.title for letter in (river, school) if letter.title in html}

    assert found(world.official, "生活垃圾") == {"河道垃圾无人清理"}
    assert found(world.official, river.tracking_no) == {"河道垃圾无人清理"}
    assert found(world.official, "学区") == {"学区划分咨询"}
    assert found(world.civil_handler, "学区") == set()
    assert found(world.civil_handler, "垃圾") == {"河道垃圾无人清理"}
    # With Elasticsearch unreachable the desk answers from the database.
    settings.ELASTICSEARCH_URL = UNREACHABLE
    assert found(world.official, "生活垃圾") == {"河道垃圾无人清理"}
    assert found(world.civil_handler, "学区") == set()


def test_citizens_search_only_published_de_identified_letters(clean_search_indices, run_tasks, settings):
    settings.PAGE_CACHE_SECONDS = 0  # each answer below as the search gives it, outage included
    world = build_world()
    client = Client()
    published, *_ = write_letter(
        client,
        world.county,
        title="路灯维修进度",
        consent_publish="on",
        writer_name="欧阳明远",
        content="欧阳明远反映：城关镇人民路的路灯坏了一个月，请问什么时候维修？",
    )
    private, *_ = write_letter(
        client,
        world.county,
        title="路灯费用咨询",
        content="请问城关镇人民路路灯的电费由谁承担？",
        phone="13500000003",
    )
    for letter in (published, private):
        workflow.accept_letter(letter, world.official)
        workflow.route_letter(letter, world.official, [world.civil])
        workflow.draft_reply(letter.assignments.get(), world.civil_handler, "已安排维修。")
        workflow.approve_reply(letter, world.official)
    version = workflow.prepare_public_version(Letter.objects.get(pk=published.pk), world.official)
    workflow.publish_public_version(version, world.official, "人民路路灯维修", version.content, version.reply)
    index_now(run_tasks)

    html = Client().get("/letters/", {"q": "路灯"}).content.decode()
    assert "人民路路灯维修" in html and "路灯费用咨询" not in html and "欧阳明远" not in html
    assert "没有找到相关来信。" in Client().get("/letters/", {"q": "电费"}).content.decode()
    results = Client().get("/letters/", {"q": "欧阳明远"}).content.decode().split("</form>")[-1]
    assert "欧阳" not in results and "没有找到相关来信。" in results  # the name was removed before indexing
    # The site-wide search lists the published letter among its results, and only that one.
    site = Client().get("/search/", {"q": "路灯"}).content.decode()
    assert '<li class="result result-letter">' in site and f'href="/letters/{published.public_version.pk}/"' in site
    assert "人民路<mark>路灯</mark>维修" in site and "费用咨询" not in site and "欧阳明远" not in site
    assert "公开信件" in site.split('<li class="result result-letter">')[1]
    assert "result-letter" not in Client().get("/search/", {"q": "电费"}).content.decode()
    settings.ELASTICSEARCH_URL = UNREACHABLE
    html = Client().get("/letters/", {"q": "路灯"}).content.decode()
    assert "全文检索暂时不可用" in html and "人民路路灯维修" in html
    site = Client().get("/search/", {"q": "路灯"}).content.decode()
    assert "人民路<mark>路灯</mark>维修" in site and "当前结果来自数据库检索" in site
