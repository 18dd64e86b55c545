"""Scale data for the site (`manage.py generate_scale_data`): thousands of articles in the seeded
portal's own columns, written in bulk, each looking exactly like an article that went live through
the county's review: a revision that is both the latest and the live one, an approved review with
every level its column needs approved by a different reviewer of that level, the page log an audit
reads, and an index number (索引号) in disclosure columns.

Pages are written with COPY and their treebeard paths computed here (Wagtail's `add_child` costs a
few queries per page); the same seed gives the same articles on the same portal.
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from modelcluster.models import get_serializable_data_for_fields
from wagtail.models import Page, PageLogEntry, Revision, Site, TaskState, WorkflowState

from portal.bulk import copy_objects, reserve_ids
from portal.models import reserve_in_sequences
from portal.roles import ROLES_BY_CODE

from .disclosure import index_number_for
from .models import ArticlePage, ColumnPage, PortalSettings, ReviewTaskState
from .review import department_of, workflow_for

TOWNS = ["城关镇", "青石镇", "白沙乡", "东岭镇", "河口镇", "桃源乡", "柳林镇", "石岭镇", "北关街道", "南山乡"]
DEPARTMENTS = [
    "县发展和改革局",
    "县教育局",
    "县民政局",
    "县人力资源和社会保障局",
    "县住房和城乡建设局",
    "县农业农村局",
    "县卫生健康局",
    "县市场监督管理局",
    "县应急管理局",
    "县医疗保障局",
]
SUBJECTS = [
    "城乡居民基本医疗保险",
    "最低生活保障",
    "高龄津贴发放",
    "义务教育招生",
    "农村公路养护",
    "高标准农田建设",
    "老旧小区改造",
    "森林防火",
    "防汛抗旱",
    "安全生产",
    "食品安全",
    "生活垃圾分类",
    "乡村振兴",
    "营商环境",
    "政务服务",
    "公共租赁住房",
    "就业创业",
    "养老服务",
    "河湖长制",
    "冬春农田水利",
    "耕地保护",
    "消防安全",
    "疫苗接种",
    "残疾人两项补贴",
    "退役军人优待",
]
TITLES = {
    "news": [
        "{town}召开{s}工作推进会",
        "县政府召开常务会议研究{s}等工作",
        "{dept}扎实推进{s}工作",
        "副县长到{town}调研{s}工作",
        "我县{s}工作取得阶段性成效",
        "{town}开展{s}集中宣传活动",
        "县领导督导检查{s}工作",
    ],
    "notices": [
        "关于做好{year}年{s}工作的通知",
        "关于开展{s}专项检查的通知",
        "关于{s}有关事项的公告",
        "{dept}关于{s}的公示",
        "关于调整{s}有关政策的通知",
    ],
    "policy": [
        "青山县{s}实施办法",
        "青山县人民政府关于进一步加强{s}工作的意见",
        "青山县{s}管理暂行办法",
        "青山县{year}年{s}工作方案",
        "青山县人民政府办公室关于印发《{s}三年行动计划》的通知",
    ],
    "general": [
        "{year}年{s}工作要点",
        "{s}办事指南",
        "{dept}{year}年{s}工作总结",
        "{s}常见问题解答",
        "{dept}{s}工作情况报告",
    ],
    "personnel": [
        "青山县人民政府关于{name}等同志职务任免的通知",
        "{dept}关于{name}同志任职的通知",
        "青山县人民政府关于{name}同志免职的通知",
    ],
    "speeches": [
        "县长在全县{s}工作会议上的讲话",
        "副县长在{s}工作推进会上的讲话",
        "县长在{year}年{s}工作动员大会上的讲话",
    ],
}
OPENINGS = [
    "为进一步做好{s}工作，根据国家和省、市有关规定，结合我县实际，现就有关事项通知如下。",
    "{date}，{town}召开{s}工作会议，总结前一阶段工作，安排部署下一步任务。",
    "近日，{dept}组织工作人员深入{town}各村（社区），实地了解{s}工作开展情况。",
    "同志们：今天召开这次会议，主要任务是分析当前{s}工作形势，安排部署今年重点任务。",
    "为规范{s}管理，保障群众合法权益，制定本办法。",
]
PARAGRAPHS = [
    "各乡镇人民政府、县直各有关单位要高度重视，压实工作责任，确保{s}各项任务落到实处。",
    "会议强调，要坚持以人民为中心的发展思想，聚焦群众急难愁盼问题，持续改善民生福祉。",
    "群众可以通过政务服务网在线办理，也可以到县政务服务中心综合窗口办理，材料齐全的当场受理。",
    "{town}组织干部开展入户宣传，发放宣传资料{n}份，解答群众咨询{m}人次，收集意见建议{k}条。",
    "对工作中发现的问题，要建立问题清单，明确整改时限，做到件件有落实、事事有回音。",
    "截至目前，全县已完成{s}任务的{p}%，累计投入资金{n}万元，惠及群众{m}户。",
    "各单位要加强统筹协调，形成工作合力，每月5日前将工作进展情况报送{dept}。",
    "{dept}将会同相关部门开展督导检查，对工作推进不力的单位予以通报。",
    "下一步，我县将持续深化{s}工作，建立健全长效机制，不断提升群众获得感、幸福感、安全感。",
    "申请人对审核结果有异议的，可以在公示期内向{dept}反映，联系电话0571-6{n}{k}。",
]
CLOSINGS = [
    "本办法自发布之日起施行，由{dept}负责解释。",
    "特此通知。",
    "联系人：{dept}办公室，联系电话：0571-6{n}{k}。",
    "会议要求，各地各部门要以更加务实的作风，抓好{s}各项工作落实。",
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰海峰春梅文斌辉鹏宇浩凯"
# How many of the generated articles go to columns of each kind.
KIND_WEIGHTS = {"news": 40, "notices": 20, "policy": 12, "general": 16, "personnel": 5, "speeches": 7}
YEARS_BACK = 6
STEP_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number):
    """The 4-character treebeard path step of the `number`-th child (Wagtail's alphabet)."""
    digits = ""
    for _ in range(4):
        number, rest = divmod(number, 36)
        digits = STEP_ALPHABET[rest] + digits
    return digits


def _step_number(step):
    return int(step, 36)


def article_columns():
    """The live columns of the seeded portal that hold articles, by kind."""
    columns = {}
    for column in ColumnPage.objects.live().filter(kind__in=KIND_WEIGHTS).order_by("path"):
        if ArticlePage in column.specific_class.allowed_subpage_models():
            columns.setdefault(column.kind, []).append(column)
    return columns


def _name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _text(rng, template, subject, town, department, day):
    return template.format(
        s=subject,
        town=town,
        dept=department,
        date=f"{day.month}月{day.day}日",
        year=day.year,
        name=_name(rng),
        n=rng.randint(100, 999),
        m=rng.randint(20, 900),
        k=rng.randint(10, 99),
        p=rng.randint(60, 99),
    )


def article_fields(rng, column, today, topics):
    """Title, body and record-keeping fields of one article of `column` (deterministic in `rng`)."""
    day = today - datetime.timedelta(days=rng.randint(0, YEARS_BACK * 365))
    subject, town, department = rng.choice(SUBJECTS), rng.choice(TOWNS), rng.choice(DEPARTMENTS)
    title = _text(rng, rng.choice(TITLES[column.kind]), subject, town, department, day)
    paragraphs = [rng.choice(OPENINGS)] + rng.sample(PARAGRAPHS, rng.randint(2, 6)) + [rng.choice(CLOSINGS)]
    body = "".join(f"<p>{_text(rng, p, subject, town, department, day)}</p>" for p in paragraphs)
    policy = column.kind == "policy"
    fields = {
        "title": title[:255],
        "date": day,
        "summary": f"{town}{subject}工作有关情况。"
        if column.kind == "news"
        else f"明确{subject}的目标任务和保障措施。",
        "body": body,
        "source": department,
        "collected_on": day,
        "collector": _name(rng),
        "issuing_body": "青山县人民政府" if policy else department,
        "document_no": f"青政发〔{day.year}〕{rng.randint(1, 60)}号" if policy else "",
        "written_on": day - datetime.timedelta(days=rng.randint(0, 5)) if column.is_disclosure else None,
        "topic": rng.choice(topics) if column.is_disclosure else "",
        "validity": rng.choices(("valid", "amended", "repealed"), weights=(90, 7, 3))[0] if policy else "valid",
    }
    return fields


class Route:
    """Who submits and who approves the articles of one column, level by level: distinct people
    holding each level's role (in the column's department where the level asks for it)."""

    def __init__(self, column, probe):
        self.workflow = workflow_for(probe)
        if self.workflow is None:
            raise ValueError(f"栏目“{column.title}”没有启用的审核流程，请先运行 seed_demo 或 setup_review。")
        department = department_of(probe)
        self.tasks = [task.specific for task in self.workflow.tasks.order_by("workflow_tasks__sort_order")]
        used, self.reviewers = set(), []
        users = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("pk")
        for task in self.tasks:
            candidates = users.filter(groups__in=task.groups.all()).exclude(pk__in=used).distinct()
            if task.same_department:
                candidates = candidates.filter(department=department)
            reviewer = candidates.first()
            if reviewer is None:
                raise ValueError(f"栏目“{column.title}”的“{task.name}”环节没有可以审核的人员。")
            used.add(reviewer.pk)
            self.reviewers.append(reviewer)
        editors = [ROLES_BY_CODE["deptofficer" if department else "editor"].name, ROLES_BY_CODE["editor"].name]
        self.submitter = users.exclude(pk__in=used).filter(groups__name__in=editors).first()
        if self.submitter is None:
            raise ValueError(f"栏目“{column.title}”没有可以提交审核的编辑。")


def _content(page, relations):
    """The revision content Wagtail saves for `page` (Page.serializable_data), built without its
    per-page queries: a new page has no child objects, tags or comments yet."""
    data = get_serializable_data_for_fields(page)
    data.update({name: [] for name in relations})
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def generate_pages(total, rng, today, log):
    """Write `total` live, reviewed articles into the portal's columns; returns how many per column."""
    columns = article_columns()
    if total and not columns:
        raise ValueError("没有可以放信息的栏目：请先运行 seed_demo 建立门户栏目。")
    kinds = [kind for kind in KIND_WEIGHTS if kind in columns]
    topics = [value for value, _label in ArticlePage._meta.get_field("topic").choices if value]
    plan = {}
    for _ in range(total):
        kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
        column = rng.choice(columns[kind])
        plan.setdefault(column.pk, (column, []))[1].append(article_fields(rng, column, today, topics))
    site = Site.objects.filter(is_default_site=True).first()
    org_code = PortalSettings.for_site(site).org_code if site else ""
    disclosed = {}
    for column, items in plan.values():
        items.sort(key=lambda item: item["date"])
        if column.is_disclosure:
            for item in items:
                disclosed.setdefault(item["date"].year, []).append(item)
    firsts = reserve_in_sequences({f"index_no:{org_code}:{year}": len(items) for year, items in disclosed.items()})
    for year, items in sorted(disclosed.items()):
        first = firsts[f"index_no:{org_code}:{year}"]
        for number, item in enumerate(sorted(items, key=lambda item: item["date"]), start=first):
            item["index_no"] = index_number_for(org_code, year, number)
    with connection.cursor() as cursor:
        for column, items in plan.values():
            _write_column(cursor, column, items)
            log(f"  {column.title}：{len(items)} 条")
        cursor.execute("ANALYZE wagtailcore_page, home_articlepage, wagtailcore_revision")
    return {column.title: len(items) for column, items in plan.values()}


def _write_column(cursor, column, items):
    probe = ArticlePage(title="probe", path=column.path + "ZZZZ", depth=column.depth + 1)
    route = Route(column, probe)
    relations = set(probe.serializable_data()) - set(get_serializable_data_for_fields(probe))
    last = Page.objects.filter(path__startswith=column.path, depth=column.depth + 1).order_by("-path").first()
    position = _step_number(last.path[-4:]) if last else 0
    ids = reserve_ids(Page, len(items))
    article_type = ContentType.objects.get_for_model(ArticlePage)
    page_type = ContentType.objects.get_for_model(Page)
    pages = []
    for number, (pk, item) in enumerate(zip(ids, items, strict=True), start=1):
        published = timezone.make_aware(datetime.datetime.combine(item["date"], datetime.time(9, 30)))
        slug = f"{item['date']:%Y%m%d}-{pk}"
        page = ArticlePage(
            id=pk,
            page_ptr_id=pk,
            path=column.path + _step(position + number),
            depth=column.depth + 1,
            numchild=0,
            slug=slug,
            url_path=f"{column.url_path}{slug}/",
            locale_id=column.locale_id,
            content_type=article_type,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            latest_revision_created_at=published,
            draft_title=item["title"],
            owner=route.submitter,
            **item,
        )
        pages.append(page)
    revisions = Revision.objects.bulk_create(
        [
            Revision(
                content_type=article_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                created_at=page.first_published_at - datetime.timedelta(hours=1),
                user=route.submitter,
                object_str=page.title,
                content=_content(page, relations),
            )
            for page in pages
        ],
        batch_size=2000,
    )
    for page, revision in zip(pages, revisions, strict=True):
        page.latest_revision_id = page.live_revision_id = revision.pk
    copy_objects(Page, pages)
    copy_objects(ArticlePage, pages)
    cursor.execute(
        "UPDATE wagtailcore_page SET numchild = (SELECT count(*) FROM wagtailcore_page c "
        "WHERE c.path LIKE %s AND c.depth = %s) WHERE id = %s",
        [column.path + "%", column.depth + 1, column.pk],
    )
    _record_reviews(route, pages, revisions, article_type, page_type)


def _record_reviews(route, pages, revisions, article_type, page_type):
    """The approved review of each article and its page log, as the review tasks leave them."""
    workflow = route.workflow
    states = WorkflowState.objects.bulk_create(
        [
            WorkflowState(
                content_type=article_type,
                base_content_type=page_type,
                object_id=str(page.pk),
                workflow=workflow,
                status=WorkflowState.STATUS_APPROVED,
                created_at=revision.created_at,
                requested_by=route.submitter,
            )
            for page, revision in zip(pages, revisions, strict=True)
        ],
        batch_size=2000,
    )
    step = datetime.timedelta(hours=1) / (len(route.tasks) + 1)
    task_type = ContentType.objects.get_for_model(ReviewTaskState)
    task_states = TaskState.objects.bulk_create(
        [
            TaskState(
                content_type=task_type,
                workflow_state=state,
                revision=revision,
                task=task,
                status=TaskState.STATUS_APPROVED,
                started_at=revision.created_at + step * level,
                finished_at=revision.created_at + step * (level + 1),
                finished_by=reviewer,
                comment="同意。",
            )
            for state, revision in zip(states, revisions, strict=True)
            for level, (task, reviewer) in enumerate(zip(route.tasks, route.reviewers, strict=True))
        ],
        batch_size=5000,
    )
    for state in task_states:
        state.taskstate_ptr_id = state.pk
    copy_objects(ReviewTaskState, task_states)
    flow = {"id": workflow.pk, "title": workflow.name}
    entries = []
    for page, revision in zip(pages, revisions, strict=True):
        common = {"page": page, "content_type": article_type, "label": page.title, "revision": revision}
        first = {"id": route.tasks[0].pk, "title": route.tasks[0].name}
        entries.append(
            PageLogEntry(
                action="wagtail.workflow.start",
                user=route.submitter,
                timestamp=revision.created_at,
                data={"workflow": {**flow, "next": first, "task_state_id": None}},
                **common,
            )
        )
        for level, (task, reviewer) in enumerate(zip(route.tasks, route.reviewers, strict=True)):
            following = route.tasks[level + 1] if level + 1 < len(route.tasks) else None
            entries.append(
                PageLogEntry(
                    action="wagtail.workflow.approve",
                    user=reviewer,
                    timestamp=revision.created_at + step * (level + 1),
                    data={
                        "workflow": {
                            **flow,
                            "task": {"id": task.pk, "title": task.name},
                            "next": {"id": following.pk, "title": following.name} if following else None,
                        },
                        "comment": "同意。",
                    },
                    **common,
                )
            )
        entries.append(
            PageLogEntry(
                action="wagtail.publish",
                user=route.reviewers[-1],
                timestamp=page.first_published_at,
                data={},
                content_changed=True,
                **common,
            )
        )
    PageLogEntry.objects.bulk_create(entries, batch_size=5000)
