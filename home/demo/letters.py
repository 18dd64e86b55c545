"""Demo mailboxes and letters for 领导信箱, made through the letters' own workflow
functions so each demo letter carries a real history. Safe to run again: a letter whose
title exists is left alone."""

import datetime

from django.utils import timezone

from services.letters import workflow
from services.letters.models import Letter, Mailbox

# (department code, mailbox name)
MAILBOXES = [("zfb", "县长信箱"), ("jyj", "县教育局局长信箱"), ("mzj", "县民政局局长信箱"), ("zjj", "县住建局局长信箱")]

# (type, topic, title, content, writer, days ago, final state, handling department code)
LETTERS = [
    (
        "consult",
        "social",
        "高龄津贴申请需要哪些材料",
        "我母亲今年满八十周岁，请问高龄津贴需要准备哪些材料，到哪里申请？",
        "王某明",
        20,
        "published",
        "mzj",
    ),
    (
        "suggest",
        "social",
        "建议在城关镇增设社区养老服务站",
        "城关镇老年人较多，建议在各社区增设养老服务站，提供助餐和日间照料。",
        "李某华",
        12,
        "closed",
        "mzj",
    ),
    (
        "complaint",
        "social",
        "县敬老院伙食质量差",
        "县敬老院近期伙食质量明显下降，老人反映饭菜经常是凉的，请民政部门督促整改。",
        "赵某芳",
        6,
        "drafted",
        "mzj",
    ),
    (
        "help",
        "housing",
        "老旧小区屋顶漏雨求助",
        "青石镇某老旧小区5号楼屋顶多处漏雨，住户多次反映未解决，请求帮助维修。",
        "陈某强",
        3,
        "routed",
        "zjj",
    ),
    (
        "consult",
        "education",
        "幼儿园报名时间咨询",
        "请问今年秋季县城公办幼儿园什么时候开始报名？需要哪些证明材料？",
        "周某",
        1,
        "accepted",
        None,
    ),
    (
        "other",
        "government",
        "对政务服务中心窗口服务的意见",
        "办事窗口中午休息时间太长，希望能实行错时服务。",
        "孙某丽",
        0,
        "submitted",
        None,
    ),
    (
        "complaint",
        "market",
        "邻里纠纷已起诉仍要求政府处理",
        "与邻居的宅基地纠纷已经向法院起诉，请县政府出面处理。",
        "吴某",
        8,
        "declined",
        None,
    ),
]

REPLY = (
    "您好！您反映的问题已收悉。经核实，我们已安排专人办理，具体情况如下：已按政策规定落实，"
    "感谢您对政府工作的关心和支持。"
)


def ensure_mailboxes(departments, users):
    boxes = {}
    for order, (code, name) in enumerate(MAILBOXES, start=1):
        box, _ = Mailbox.objects.get_or_create(
            slug=code, defaults={"name": name, "department": departments[code], "sort_order": order * 10}
        )
        box.officials.add(users["mailadmin"])
        boxes[code] = box
    return boxes


def ensure_letters(departments, users):
    boxes = ensure_mailboxes(departments, users)
    official, handler = users["mailadmin"], users["handler"]
    created = 0
    for letter_type, topic, title, content, writer, days_ago, state, handling in LETTERS:
        if Letter.objects.filter(title=title).exists():
            continue
        received = timezone.now() - datetime.timedelta(days=days_ago)
        letter, _password = workflow.submit_letter(
            mailbox=boxes["zfb"],
            data={
                "letter_type": letter_type,
                "topic": topic,
                "title": title,
                "content": content,
                "writer_name": writer,
                "consent_publish": state == "published",
            },
            received_at=received,
        )
        created += 1
        if state == "submitted":
            continue
        if state == "declined":
            workflow.decline_letter(letter, official, "该事项已进入诉讼程序，请通过司法途径解决。")
            continue
        workflow.accept_letter(letter, official)
        if state == "accepted":
            continue
        department = departments[handling]
        workflow.route_letter(letter, official, [department], instructions="请调查核实后按时答复来信人。")
        if state == "routed":
            continue
        workflow.draft_reply(letter.assignments.get(current=True), handler, REPLY)  # handler works at 县民政局
        if state == "drafted":
            continue
        workflow.approve_reply(letter, official)
        workflow.rate_letter(letter, "satisfied")
        if state == "published":
            version = workflow.prepare_public_version(letter, official)
            workflow.publish_public_version(version, official, version.title, version.content, version.reply)
    return created
