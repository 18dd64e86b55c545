"""Scale data for 领导信箱 (`manage.py generate_scale_data`): letters in the portal's own mailboxes,
spread over two years, each in the state its age makes likely (recent ones waiting or in hand,
older ones answered and closed, a few declined), with the deadlines the letter rules give, the
handling record, and a public version published only where the writer consented, the letter was
answered, and the de-identified text no longer holds the writer's personal data (the same check
an official's approval passes, workflow.publish_public_version).

Personal data is stored as real letters store it: hashed for lookups with portal.pii, removed from
the public version by the letters' own de-identification."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from portal.bulk import copy_objects, reserve_ids
from portal.models import Department, reserve_in_sequences
from portal.pii import id_number_check_char, pii_hash
from portal.workdays import Calendar

from . import conf
from .deidentify import contains_personal_data, deidentify
from .models import Assignment, Letter, LetterEvent, LetterType, Mailbox, PublicVersion, Rating, Status, Topic

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰春梅文斌辉鹏宇浩凯"
TOWNS = ["城关镇", "青石镇", "白沙乡", "东岭镇", "河口镇", "桃源乡", "柳林镇", "石岭镇", "北关街道", "南山乡"]
PLACES = ["幸福路", "人民路", "解放街", "新华村", "桃园小区", "滨河社区", "东风巷", "建设路", "青年路", "花园小区"]
# Per topic: (what the letter is about, the ask) pairs the titles and bodies are built from.
MATTERS = {
    Topic.EDUCATION: [
        ("幼儿园报名", "报名时间和需要的证明材料"),
        ("学区划分", "今年的学区范围"),
        ("校车接送", "增开校车线路"),
    ],
    Topic.SOCIAL: [
        ("高龄津贴", "申请材料和发放时间"),
        ("低保申请", "申请条件和办理流程"),
        ("养老服务", "增设社区养老服务站"),
    ],
    Topic.HEALTH: [("医保报销", "异地就医报销比例"), ("乡镇卫生院", "延长门诊时间"), ("疫苗接种", "接种点和预约方式")],
    Topic.HOUSING: [("老旧小区改造", "屋顶漏雨维修"), ("公租房申请", "轮候进度"), ("物业管理", "物业收费不合理")],
    Topic.TRANSPORT: [("公交线路", "增开城乡公交班次"), ("道路破损", "尽快修复路面"), ("停车难", "增设停车位")],
    Topic.ENVIRONMENT: [("噪音扰民", "夜间施工噪音"), ("河道污染", "排查排污口"), ("垃圾清运", "增加清运次数")],
    Topic.AGRICULTURE: [("耕地补贴", "补贴发放标准"), ("农村饮水", "自来水水压不足"), ("农机购置", "购置补贴申请")],
    Topic.MARKET: [("食品安全", "小餐馆卫生状况"), ("价格欺诈", "超市标价不一致"), ("预付卡", "健身房关门不退费")],
    Topic.SAFETY: [("消防通道", "消防通道被占用"), ("电动车充电", "楼道违规充电"), ("路灯不亮", "夜间出行不安全")],
    Topic.GOVERNMENT: [
        ("窗口服务", "实行错时延时服务"),
        ("网上办事", "系统经常无法登录"),
        ("证照办理", "办理时限过长"),
    ],
    Topic.OTHER: [("邻里纠纷", "协调处理"), ("政策咨询", "相关政策解读"), ("意见建议", "改进工作方式")],
}
TITLES = {
    LetterType.CONSULT: ["关于{m}的咨询", "请问{m}怎么办理", "咨询{m}有关问题"],
    LetterType.SUGGEST: ["关于{m}的建议", "建议改进{m}工作", "对{m}的几点建议"],
    LetterType.COMPLAINT: ["反映{town}{m}问题", "投诉{m}问题长期未解决", "{town}{m}问题亟待处理"],
    LetterType.HELP: ["{m}求助", "恳请帮助解决{m}问题", "{town}群众{m}求助"],
    LetterType.REPORT: ["举报{town}{m}违规问题", "实名举报{m}问题"],
    LetterType.OTHER: ["关于{m}的意见", "对{m}工作的意见"],
}
OPENINGS = [
    "您好！我是{town}{place}的居民，",
    "尊敬的领导：我住在{town}{place}{n}号，",
    "领导您好，我是{town}的一名群众，",
    "您好，",
]
MIDDLES = [
    "想反映一下{m}的情况，希望有关部门能够{ask}。",
    "最近{m}的问题比较突出，周边群众意见很大，请求{ask}。",
    "关于{m}，之前打过电话询问，一直没有得到明确答复，想了解{ask}。",
    "{m}关系到很多家庭的切身利益，建议{ask}。",
]
ENDINGS = [
    "我的联系电话是{phone}，盼复。",
    "谢谢！",
    "希望尽快得到答复，谢谢。",
    "以上情况属实，恳请领导重视。",
]
REPLIES = [
    "您好！您反映的{m}问题已收悉。经{dept}核实，{ask}的有关情况如下：相关工作正在按计划推进，"
    "预计近期完成。如有疑问，可拨打12345政务服务便民热线咨询。感谢您对我县工作的关心和支持！",
    "您好！关于您咨询的{m}，根据有关政策规定，申请人可携带身份证、户口簿等材料到政务服务中心综合窗口办理，"
    "符合条件的当场受理。感谢您的来信。",
    "您好！您的建议很有价值，{dept}已将{m}纳入下一阶段工作计划，将结合实际逐步落实。感谢您的关注。",
    "您好！接到来信后，{dept}立即组织工作人员到现场调查处理，{m}问题已整改到位，并将加强日常巡查。",
]
DECLINES = [
    "来信反映的事项已进入诉讼程序，依法不予受理，请通过司法途径解决。",
    "来信内容不属于本信箱受理范围，请向有关部门反映。",
]
TYPE_WEIGHTS = {
    LetterType.CONSULT: 35,
    LetterType.SUGGEST: 20,
    LetterType.COMPLAINT: 20,
    LetterType.HELP: 12,
    LetterType.REPORT: 3,
    LetterType.OTHER: 10,
}
DAYS_BACK = 730
BATCH = 5000


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng):
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def _id_number(rng):
    first17 = f"{rng.choice(('330122', '330127', '330182'))}{rng.randint(1950, 2005)}"
    first17 += f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return first17 + id_number_check_char(first17)


class Deadlines:
    """The letters' working-day deadlines, counted once per start day (portal.workdays)."""

    def __init__(self):
        self.calendar = Calendar()
        self.memo = {}

    def __call__(self, start, workdays):
        if (start, workdays) not in self.memo:
            self.memo[start, workdays] = self.calendar.add_workdays(start, workdays)
        return self.memo[start, workdays]


def _letter(rng, now, mailboxes, report_mailbox, departments, deadlines, password):
    """One letter with its history (events, assignment, public version), not yet saved."""
    letter_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    if letter_type == LetterType.REPORT and report_mailbox is None:
        letter_type = LetterType.COMPLAINT
    topic = rng.choice(list(MATTERS))
    matter, ask = rng.choice(MATTERS[topic])
    town, place = rng.choice(TOWNS), rng.choice(PLACES)
    name, phone = _name(rng), _phone(rng)
    anonymous = letter_type in conf.setting("LETTERS_ANONYMOUS_TYPES") and rng.random() < 0.15
    address = f"{town}{place}{rng.randint(1, 200)}号" if rng.random() < 0.6 else ""
    content = rng.choice(OPENINGS) + rng.choice(MIDDLES) + rng.choice(ENDINGS)
    values = {"m": matter, "ask": ask, "town": town, "place": place, "n": rng.randint(1, 200), "phone": phone}
    submitted_at = now - datetime.timedelta(days=rng.triangular(0, DAYS_BACK, 0), minutes=rng.randint(0, 1439))
    mailbox = report_mailbox if letter_type == LetterType.REPORT else rng.choice(mailboxes)
    letter = Letter(
        query_password=password,
        mailbox=mailbox,
        letter_type=letter_type,
        topic=topic,
        title=rng.choice(TITLES[letter_type]).format(**values)[:50],
        content=content.format(**values),
        is_anonymous=anonymous,
        writer_name="" if anonymous else name,
        phone="" if anonymous else phone,
        id_number=_id_number(rng) if not anonymous and rng.random() < 0.3 else "",
        address="" if anonymous else address,
        consent_publish=letter_type != LetterType.REPORT and rng.random() < 0.6,
        channel=rng.choices(("web", "post", "phone", "visit"), weights=(85, 5, 7, 3))[0],
        submitted_at=submitted_at,
    )
    letter.phone_hash = pii_hash(letter.phone, purpose="phone") if letter.phone else ""
    letter.id_hash = pii_hash(letter.id_number) if letter.id_number else ""
    rules = conf.deadlines(letter_type)
    day = timezone.localtime(submitted_at).date()
    letter.due_from, letter.due_workdays = day, rules.get("accept") or rules["reply"]
    letter.due_on = deadlines(day, letter.due_workdays)
    official = next(iter(mailbox.officials.all()), None)
    events = [("submitted", "提交来信", None, "", "", Status.SUBMITTED, submitted_at, None)]
    age = (now - submitted_at).days
    # How far the letter has come: the older, the further; a few stay behind.
    stage = rng.choices(
        ("submitted", "accepted", "routed", "drafted", "replied", "closed", "declined"),
        weights=(
            (40, 25, 20, 5, 5, 0, 5)
            if age < 3
            else (3, 7, 25, 15, 25, 20, 5)
            if age < 30
            else (0.3, 0.5, 2, 1, 16, 75, 5)
        ),
    )[0]

    def later(moment, **delta):  # nothing has happened after `now`
        return min(moment + datetime.timedelta(**delta), now)

    moment = later(submitted_at, hours=rng.randint(2, 40))
    assignment = None
    if stage == "declined":
        letter.status, letter.decline_reason = Status.DECLINED, rng.choice(DECLINES)
        letter.due_on = letter.due_from = letter.due_workdays = None
        events.append(
            ("declined", "不予受理", official, letter.decline_reason, Status.SUBMITTED, Status.DECLINED, moment, None)
        )
    elif stage != "submitted":
        letter.status, letter.accepted_on = Status.ACCEPTED, timezone.localtime(moment).date()
        if rules.get("accept"):
            letter.due_from, letter.due_workdays = letter.accepted_on, rules["reply"]
            letter.due_on = deadlines(letter.accepted_on, rules["reply"])
        events.append(("accepted", "受理", official, "", Status.SUBMITTED, Status.ACCEPTED, moment, None))
    if stage in ("routed", "drafted", "replied", "closed"):
        department = rng.choice(departments)
        moment = later(moment, hours=rng.randint(1, 30))
        assignment = Assignment(
            department=department,
            instructions="请核实办理并拟复。",
            due_on=letter.due_on,
            state=Assignment.State.HANDLING,
            created_at=moment,
        )
        letter.status = Status.ROUTED
        comment = f"{department.name}：请核实办理并拟复。"
        events.append(("routed", "转办", official, comment, Status.ACCEPTED, Status.ROUTED, moment, None))
        reply = rng.choice(REPLIES).format(m=matter, ask=ask, dept=department.name)
    if stage in ("drafted", "replied", "closed"):
        moment = later(moment, days=rng.randint(1, 10))
        assignment.state, assignment.draft, assignment.drafted_at = Assignment.State.DRAFTED, reply, moment
        letter.status = Status.DRAFTED
        events.append(("drafted", "拟复", None, "", Status.ROUTED, Status.DRAFTED, moment, department))
    if stage in ("replied", "closed"):
        moment = later(moment, days=rng.randint(0, 3))
        assignment.state = Assignment.State.APPROVED
        letter.status, letter.reply, letter.replied_on = Status.REPLIED, reply, timezone.localtime(moment).date()
        letter.reply_department = department
        letter.due_on = letter.due_from = letter.due_workdays = None
        events.append(("replied", "审核通过并答复", official, "", Status.DRAFTED, Status.REPLIED, moment, None))
        if rng.random() < 0.4:
            letter.rating = rng.choices(list(Rating), weights=(70, 20, 10))[0]
            letter.rated_at = later(moment, days=rng.randint(1, 10))
    closed_at = moment + datetime.timedelta(days=rng.randint(15, 30))
    if stage == "closed" and closed_at <= now:  # closed once the writer's rating window has passed
        letter.status, letter.closed_at = Status.CLOSED, closed_at
        events.append(("closed", "办结", official, "", Status.REPLIED, Status.CLOSED, letter.closed_at, None))
    version = None
    if letter.consent_publish and letter.status in (Status.REPLIED, Status.CLOSED):
        version = PublicVersion(
            title=deidentify(letter.title, letter),
            content=deidentify(letter.content, letter),
            reply=deidentify(letter.reply, letter),
        )
        texts = (version.title, version.content, version.reply)
        publishable = not any(contains_personal_data(text, letter) for text in texts)
        if publishable and rng.random() < 0.85:
            version.state, version.approved_by = PublicVersion.State.PUBLISHED, official
            version.published_at = later(moment, days=rng.randint(1, 5))
            events.append(
                ("published", "审核通过并公开", official, "", letter.status, letter.status, version.published_at, None)
            )
    return letter, events, assignment, version


def generate_letters(total, rng, now, log):
    """Write `total` letters; returns {status label: count}."""
    mailboxes = list(Mailbox.objects.filter(is_active=True, is_report_mailbox=False).prefetch_related("officials"))
    if total and not mailboxes:
        raise ValueError("没有启用的信箱：请先运行 seed_demo 建立领导信箱。")
    report_mailbox = Mailbox.objects.filter(is_active=True, is_report_mailbox=True).first() or (
        mailboxes[0] if mailboxes else None
    )
    departments = list(Department.objects.order_by("pk"))
    deadlines = Deadlines()
    # Writers are told their own password when they write; nobody knows the generated letters'
    # passwords, so one hash serves them all (hashing 100,000 passwords would take an hour).
    password = make_password(None)
    counts = {}
    written = 0
    while written < total:
        batch = [
            _letter(rng, now, mailboxes, report_mailbox, departments, deadlines, password)
            for _ in range(min(BATCH, total - written))
        ]
        _number(batch)
        _save(batch)
        for letter, *_rest in batch:
            label = str(letter.get_status_display())
            counts[label] = counts.get(label, 0) + 1
        written += len(batch)
        log(f"  {written:,} 封信件")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Letter._meta.db_table}")
    return counts


def _number(batch):
    """Tracking numbers as the letters' own sequence per day gives them, in order of arrival."""
    by_day = {}
    for letter, *_rest in sorted(batch, key=lambda item: item[0].submitted_at):
        by_day.setdefault(f"letters-{timezone.localtime(letter.submitted_at):%Y%m%d}", []).append(letter)
    firsts = reserve_in_sequences({name: len(letters) for name, letters in by_day.items()})
    for name, letters in by_day.items():
        for number, letter in enumerate(letters, start=firsts[name]):
            letter.tracking_no = f"{name.removeprefix('letters-')}{number:04d}"


def _save(batch):
    """COPY the letters, their events and assignments (dated as they happened), public versions."""
    letters = [letter for letter, *_rest in batch]
    for letter, pk in zip(letters, reserve_ids(Letter, len(letters)), strict=True):
        letter.pk = pk
    copy_objects(Letter, letters)
    events, assignments, versions = [], [], []
    for letter, history, assignment, version in batch:
        for action, label, actor, comment, from_status, to_status, moment, department in history:
            events.append(
                LetterEvent(
                    letter=letter,
                    action=action,
                    label=label,
                    actor=actor,
                    comment=comment,
                    from_status=from_status,
                    to_status=to_status,
                    department=department,
                    created_at=moment,
                )
            )
        if assignment is not None:
            assignment.letter = letter
            assignments.append(assignment)
        if version is not None:
            version.letter = letter
            versions.append(version)
    for model, objects in ((LetterEvent, events), (Assignment, assignments), (PublicVersion, versions)):
        for obj, pk in zip(objects, reserve_ids(model, len(objects)), strict=True):
            obj.pk = pk
        copy_objects(model, objects)
