"""Demo items moved through editorial review by the demo accounts, with the product's own review
functions (home.review.submit_for_review, the review tasks' on_action): the archive, published
through every level its column needs and dated to its day, and items at each stage of review."""

import datetime

from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from home.models import ArticlePage
from home.review import LEVELS, department_of, submit_for_review

# (column slug, page slug, author, reviewers in order with their action, hours waiting, fields)
# An action is "approve" or ("reject", comment). Items are created once, keyed by slug.
STAGES = [
    (
        "gzdt",
        "review-draft-incomplete",
        "editor",
        [],
        0,
        {
            "title": "县政府办公室组织开展政务信息报送业务培训（草稿）",
            "summary": "培训政务信息报送的选题、写作和审核要求。",
            "body": "<p>为提高政务信息报送质量，县政府办公室组织各乡镇、各部门信息员开展业务培训。</p>",
            "source": "县政府办公室",
            "collector": "",
        },
    ),
    (
        "gzdt",
        "review-awaiting-managing",
        "editor",
        [],
        30,
        {
            "title": "县政府召开今冬明春火灾防控工作部署会",
            "summary": "部署今冬明春火灾防控工作，压实各方责任。",
            "body": "<p>会议要求各乡镇、各部门深入开展消防安全隐患排查整治，确保全县火灾形势平稳。</p>",
            "source": "县政府办公室",
            "collector": "李晓明",
        },
    ),
    (
        "gzdt",
        "review-awaiting-chief",
        "editor",
        ["managing"],
        6,
        {
            "title": "青山县启动2026年冬季清洁取暖设施检查",
            "summary": "对全县清洁取暖设施开展集中检查。",
            "body": "<p>县住建局会同各乡镇对清洁取暖设施运行情况开展检查，确保群众温暖过冬。</p>",
            "source": "县住房和城乡建设局",
            "collector": "李晓明",
        },
    ),
    (
        "gzdt",
        "review-sent-back",
        "editor",
        [("managing", "reject", "导语中会议时间有误，请核实后重新提交。")],
        0,
        {
            "title": "县政府与县总工会召开联席会议",
            "summary": "通报职工权益保障工作情况。",
            "body": "<p>会议通报了今年以来职工权益保障工作情况，研究部署下一阶段重点工作。</p>",
            "source": "县总工会",
            "collector": "李晓明",
        },
    ),
    (
        "ldjh",
        "review-sensitive-awaiting-office",
        "editor",
        ["managing", "chief"],
        52,
        {
            "title": "县长在全县冬季安全生产工作会议上的讲话",
            "summary": "部署冬季安全生产工作。",
            "body": "<p>同志们：今天召开全县冬季安全生产工作会议，主要任务是分析形势、部署工作。</p>",
            "source": "县政府办公室",
            "collector": "李晓明",
        },
    ),
    (
        "ldjh",
        "review-sensitive-awaiting-leader",
        "editor",
        ["managing", "chief", "office"],
        20,
        {
            "title": "副县长在全县防汛抗旱工作总结会议上的讲话",
            "summary": "总结今年防汛抗旱工作。",
            "body": "<p>同志们：今年汛期，全县上下众志成城，夺取了防汛抗旱工作的全面胜利。</p>",
            "source": "县政府办公室",
            "collector": "李晓明",
        },
    ),
    (
        "jydt",
        "review-department-awaiting-leader",
        "deptofficer",
        [],
        3,
        {
            "title": "县教育局开展中小学冬季校园安全大检查",
            "summary": "对全县中小学开展冬季校园安全检查。",
            "body": "<p>县教育局组织检查组，对全县中小学校舍、食堂、消防设施开展安全检查。</p>",
            "source": "县教育局",
            "collector": "王丽娟",
        },
    ),
    (
        "gzdt",
        "review-published",
        "editor",
        ["managing", "chief"],
        0,
        {
            "title": "县政府办公室开展政务公开工作专题培训",
            "summary": "培训政务公开工作要点。",
            "body": "<p>县政府办公室组织各部门政务公开工作人员开展专题培训，解读政务公开有关规定。</p>",
            "source": "县政府办公室",
            "collector": "李晓明",
        },
    ),
]


def ensure_review_stages(columns, users, log):
    """Create each demo item once and move it to its stage; returns how many were created."""
    created = 0
    today = timezone.localdate()
    for column_slug, slug, author, steps, hours, fields in STAGES:
        column = columns[column_slug]
        if column.get_children().filter(slug=slug).exists():
            continue
        article = ArticlePage(
            slug=slug, date=today, collected_on=today - datetime.timedelta(days=1), live=False, **fields
        )
        column.add_child(instance=article)
        article.save_revision(user=users[author])
        created += 1
        if fields.get("collector"):
            submit_for_review(article, users[author])
            for step in steps:
                username, action, comment = (step, "approve", "同意。") if isinstance(step, str) else step
                state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
                state.task.specific.on_action(state, users[username], action, comment=comment)
            state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
            if state is not None and hours:
                TaskState.objects.filter(pk=state.pk).update(
                    started_at=timezone.now() - datetime.timedelta(hours=hours)
                )
        log(f"  审核 {fields['title']}")
    return created


# --- The archive ------------------------------------------------------------------------------


def publish_through_review(article, people, day):
    """Publish an archive article (or any other reviewed page) as every article goes live: its
    editor (the department's officer in that department's columns) submits it and each level of
    its review approves it, each by a demo account holding that level (`people` maps role codes
    to accounts). Its review and publication are then dated to the morning of `day`."""
    department = department_of(article)
    officers = [user for user in people["deptofficer"] if department and user.department_id == department.pk]
    submit_for_review(article, officers[0] if officers else people["editor"][0])
    role_of_level = {str(name): role for name, role, _same_department in LEVELS.values()}
    while (state := type(article).objects.get(pk=article.pk).current_workflow_task_state) is not None:
        task = state.task.specific
        reviewer = next(user for user in people[role_of_level[task.name]] if task.may_act(article, user))
        task.on_action(state, reviewer, "approve", comment="同意。")
    backdate_history(article, day)


def backdate_history(article, day):
    """Date the article's revisions, review and publication to `day`, 08:30 to 09:30, in order."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
    published = start + datetime.timedelta(hours=1)
    entries = PageLogEntry.objects.filter(page=article).order_by("pk")
    step = datetime.timedelta(hours=1) / max(entries.count(), 1)
    for number, entry in enumerate(entries):
        PageLogEntry.objects.filter(pk=entry.pk).update(timestamp=start + step * number)
    Revision.objects.for_instance(article).update(created_at=start)
    for state in WorkflowState.objects.for_instance(article):
        WorkflowState.objects.filter(pk=state.pk).update(created_at=start)
        for number, task_state in enumerate(state.task_states.order_by("pk"), start=1):
            TaskState.objects.filter(pk=task_state.pk).update(
                started_at=start + step * number, finished_at=start + step * (number + 1)
            )
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published, last_published_at=published, latest_revision_created_at=start
    )
