"""Build the demo site through Wagtail's own paths (add_child, save_revision, publish).

Every object is keyed by something stable (department code, page slug under its parent,
image/document title, username, group name), and an object that already exists is left
as it is, so running the seed again changes nothing.
"""

import datetime
import html
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from home.models import ArticleAttachment, ArticlePage, ColumnPage, HomePage, PortalSettings, ServicePage
from home.review import ensure_review_workflows
from portal import roles
from portal.models import Department
from services.cases.demo import seed_demo_cases
from services.cases.models import Case
from services.letters.models import Letter, Mailbox

from . import content, letters, media, news, open_gov, services_text
from .review import ensure_review_stages, publish_through_review

WELCOME_TITLE = "Welcome to your new Wagtail site!"
DEMO_PASSWORD_PREFIX = "Demo#2026"  # noqa: S105 - published demo passwords, see README

# (username, display name, department code, role code of portal.roles); one account per role,
# named after it, and the leaders of the other departments that keep their own columns (their
# items start review with their own leader).
ACCOUNTS = [
    ("admin", "系统管理员", None, "admin"),
    ("editor", "李晓明", "zfb", "editor"),
    ("deptofficer", "王丽娟", "jyj", "deptofficer"),
    ("deptleader", "张建华", "jyj", "deptleader"),
    ("wjjleader", "孙卫东", "wjj", "deptleader"),
    ("scjgjleader", "钱立新", "scjgj", "deptleader"),
    ("jcyleader", "冯建军", "jcy", "deptleader"),
    ("managing", "陈静", "zfb", "managing"),
    ("chief", "刘志国", "zfb", "chief"),
    ("office", "赵敏", "zfb", "office"),
    ("leader", "周振华", "zfb", "leader"),
    ("mailadmin", "孙红梅", "zfb", "mailadmin"),
    ("handler", "吴海涛", "mzj", "handler"),
    ("service", "郑小燕", "zwfwzx", "service"),
    ("casemgr", "黄磊", "jcy", "casemgr"),
    ("citizen", "张明", None, "citizen"),
    ("lawyer", "林晓峰", None, "lawyer"),
]

CN_NUMBERS = "一二三四五六七八九十"


def demo_password(username):
    return f"{DEMO_PASSWORD_PREFIX}{username}"


# --- Text helpers -------------------------------------------------------------------


def cn_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def year_context(day):
    return {"year": day.year, "prev_year": day.year - 1, "next_year": day.year + 1, "year_plus2": day.year + 2}


def render_blocks(blocks):
    """Blocks are ("p", text), ("h3"/"h4", text) or ("ol", [items]); returns rich-text HTML."""
    parts = []
    for tag, value in blocks:
        if tag == "ol":
            items = "".join(f"<li>{html.escape(item, quote=False)}</li>" for item in value)
            parts.append(f"<ol>{items}</ol>")
        else:
            parts.append(f"<{tag}>{html.escape(value, quote=False)}</{tag}>")
    return "".join(parts)


def plain_paragraphs(blocks):
    """The same blocks as lines of plain text (for PDF attachments)."""
    lines = []
    for tag, value in blocks:
        if tag == "ol":
            lines.extend(f"{n}. {item}" for n, item in enumerate(value, start=1))
        else:
            lines.append(value)
    return lines


def paras_to_blocks(paras):
    return [("h4", p[3:]) if p.startswith("## ") else ("p", p) for p in paras]


def clip(text, limit=160):
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Article specs → page fields ----------------------------------------------------


@dataclass
class ArticleJob:
    """One article to create: where, under which slug, with which fields and media."""

    column_slug: str
    slug: str
    fields: dict
    blocks: list
    cover: str | None = None
    attachment: str | None = None
    context: dict = field(default_factory=dict)

    @property
    def date(self):
        return self.fields["date"]


class Texts:
    """Turns the content modules' specs into ArticleJobs, with dates relative to `today`."""

    def __init__(self, today):
        self.today = today
        self.collector_turn = 0

    def ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def day_of(self, spec, relative_key, fixed_key):
        if spec.get(fixed_key):
            return datetime.date.fromisoformat(spec[fixed_key])
        return self.ago(spec[relative_key])

    def editorial(self, day, source):
        """采编信息: who collected it and when (a day or two before publication)."""
        self.collector_turn += 1
        return {
            "date": day,
            "source": source,
            "collected_on": day - datetime.timedelta(days=self.collector_turn % 3),
            "collector": content.COLLECTORS[self.collector_turn % len(content.COLLECTORS)],
        }

    # News (政务动态)

    def news(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            # Own reports open with the date; excerpts keep the original wording.
            lead = spec["lead"] if spec["excerpt"] else f"{day.month}月{day.day}日，{spec['lead']}"
            blocks = [("p", lead)] + [("p", p) for p in spec["paras"]]
            fields = {"title": spec["title"], "summary": clip(spec["lead"]), **self.editorial(day, spec["source"])}
            if spec["excerpt"]:
                author, original = spec["excerpt"]
                fields.update(is_excerpt=True, author=author, original_source=f"{original}（{cn_date(day)}）")
            else:
                blocks.append(("p", news.CLOSINGS[spec["topic"]].format(source=spec["source"])))
            jobs.append(ArticleJob(column_slug, f"{column_slug}-{number:03d}", fields, blocks, cover=spec["cover"]))
        return jobs

    # 政务公开

    def disclosure_fields(self, spec, day, written, context):
        fields = {
            "issuing_body": spec.get("issuing_body", "青山县人民政府"),
            "written_on": written,
            "topic": spec.get("topic", "general"),
            "validity": spec.get("validity", ArticlePage.Validity.VALID),
        }
        if spec.get("document_no"):
            fields["document_no"] = spec["document_no"].format(**context)
        return fields

    def plain(self, column_slug, specs, disclosure):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            written = self.ago(spec.get("written_days", spec["days"]))
            context = year_context(written)
            blocks = paras_to_blocks([p.format(**context) for p in spec["paras"]])
            fields = {
                "title": spec["title"].format(**context),
                "summary": spec["summary"].format(**context),
                **self.editorial(day, spec["source"]),
            }
            if disclosure:
                fields.update(self.disclosure_fields(spec, day, written, context))
            jobs.append(ArticleJob(column_slug, f"{column_slug}-{number:03d}", fields, blocks, context=context))
        return jobs

    def policy(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.day_of(spec, "days", "date")
            written = self.day_of(spec, "written_days", "written_on")
            context = year_context(written)
            plan = spec["plan"].format(**context)
            goal = spec["goal"].format(**context)
            title = spec["title"].format(**context)
            blocks = [("p", "各乡镇人民政府，县政府各部门、各直属单位：")]
            measures = [
                (
                    "p",
                    "（一）加强组织领导。各乡镇、各部门要高度重视，主要负责同志亲自抓，明确责任分工，确保各项任务落到实处。",
                ),
                ("p", "（二）强化督查考核。县政府督查室要加强跟踪督查，将落实情况纳入年度综合考核。"),
                ("p", "（三）做好宣传解读。各责任单位要通过政府门户网站等渠道做好政策宣传解读，及时回应社会关切。"),
            ]
            if "印发" in title:
                blocks += [
                    (
                        "p",
                        f"《{plan}》已经{cn_date(written)}县人民政府第{spec['meeting']}次常务会议研究同意，"
                        "现印发给你们，请结合实际认真贯彻执行。",
                    ),
                    ("p", spec["issuing_body"]),
                    ("p", cn_date(written)),
                    ("p", "（此件公开发布）"),
                    ("h3", plan),
                    ("h4", "一、总体目标"),
                    ("p", goal),
                    ("h4", "二、主要任务"),
                    *[
                        ("p", f"（{CN_NUMBERS[i]}）{heading}。{text}")
                        for i, (heading, text) in enumerate(spec["tasks"])
                    ],
                    ("h4", "三、保障措施"),
                    *measures,
                ]
            else:
                blocks += [
                    ("p", f"{goal}经县人民政府第{spec['meeting']}次常务会议研究同意，结合本县实际，现提出如下措施。"),
                    *[("p", f"{CN_NUMBERS[i]}、{heading}。{text}") for i, (heading, text) in enumerate(spec["tasks"])],
                    (
                        "p",
                        f"{CN_NUMBERS[len(spec['tasks'])]}、加强组织实施。各乡镇、各部门要明确责任分工，"
                        "县政府督查室要加强跟踪督查，确保各项措施落到实处。",
                    ),
                ]
            if spec.get("note"):
                blocks.append(("p", spec["note"]))
            if "印发" not in title:
                blocks += [("p", spec["issuing_body"]), ("p", cn_date(written)), ("p", "（此件公开发布）")]
            fields = {
                "title": title,
                "summary": clip(goal),
                **self.editorial(day, "县政府办公室"),
                **self.disclosure_fields(spec, day, written, context),
            }
            jobs.append(
                ArticleJob(
                    column_slug,
                    f"{column_slug}-{number:03d}",
                    fields,
                    blocks,
                    attachment=spec.get("attachment"),
                    context=context,
                )
            )
        return jobs

    def notices(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            context = year_context(day)
            blocks = []
            if spec.get("salutation"):
                blocks.append(("p", spec["salutation"]))
            paras = [p.format(**context) for p in spec["paras"]]
            blocks += [("p", p) for p in paras]
            for i, (heading, text) in enumerate(spec.get("items", [])):
                blocks.append(("p", f"{CN_NUMBERS[i]}、{heading}。{text.format(**context)}"))
            if spec.get("contact"):
                blocks.append(("p", spec["contact"]))
            attachment = open_gov.ATTACHMENTS.get(spec.get("attachment"), {})
            if attachment.get("kind") == "xlsx":  # a PDF attachment is the notice's own official text
                blocks.append(("p", f"附件：{attachment['title'].format(**context)}"))
            blocks += [("p", spec["issuing_body"]), ("p", cn_date(day))]
            fields = {
                "title": spec["title"].format(**context),
                "summary": clip(paras[0]),
                **self.editorial(day, spec["source"]),
                **self.disclosure_fields(spec, day, day, context),
            }
            jobs.append(
                ArticleJob(
                    column_slug,
                    f"{column_slug}-{number:03d}",
                    fields,
                    blocks,
                    attachment=spec.get("attachment"),
                    context=context,
                )
            )
        return jobs

    def personnel(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            written = self.ago(spec["written_days"])
            context = year_context(written)
            decisions = [f"任命{name}为{post}" for name, post in spec["appoint"]]
            decisions += [
                f"免去{name}的{post}职务" + "".join(f"（{note}）" for note in notes)
                for name, post, *notes in spec["remove"]
            ]
            blocks = [
                ("p", "各乡镇人民政府，县政府各部门、各直属单位："),
                ("p", f"经{cn_date(written)}县人民政府第{spec['meeting']}次常务会议研究决定："),
                *[("p", decision + "。") for decision in decisions],
                ("p", "青山县人民政府"),
                ("p", cn_date(written)),
            ]
            fields = {
                "title": spec["title"],
                "summary": clip("；".join(decisions) + "。"),
                **self.editorial(day, "县政府办公室"),
                **self.disclosure_fields(
                    {"document_no": spec["document_no"], "topic": "labour", "issuing_body": "青山县人民政府"},
                    day,
                    written,
                    context,
                ),
            }
            jobs.append(ArticleJob(column_slug, f"{column_slug}-{number:03d}", fields, blocks, context=context))
        return jobs

    def speeches(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            headings = "、".join(heading for heading, _ in spec["parts"])
            blocks = [
                ("p", f"（{cn_date(day)}，根据录音整理）"),
                ("p", "同志们："),
                (
                    "p",
                    f"今天，我们召开{spec['occasion']}，主要任务是总结工作、分析形势、部署任务。"
                    f"下面，我讲{CN_NUMBERS[len(spec['parts']) - 1]}点意见。",
                ),
            ]
            for i, (heading, text) in enumerate(spec["parts"]):
                blocks += [("h4", f"{CN_NUMBERS[i]}、{heading}"), ("p", text)]
            blocks.append(
                (
                    "p",
                    "同志们，任务艰巨，责任重大。让我们以更加务实的作风、更加有力的举措，"
                    "全力以赴抓好各项工作落实，为建设幸福美丽新青山作出新的更大贡献！",
                )
            )
            fields = {
                "title": spec["title"],
                "summary": clip(f"{spec['speaker']}在{spec['occasion']}上讲话，强调{headings}。"),
                **self.editorial(day, spec["source"]),
            }
            jobs.append(ArticleJob(column_slug, f"{column_slug}-{number:03d}", fields, blocks))
        return jobs

    def service_guides(self, column_slug, specs):
        jobs = []
        for number, spec in enumerate(specs, start=1):
            day = self.ago(spec["days"])
            blocks = []
            for heading, value in spec["sections"]:
                blocks.append(("h4", heading))
                blocks.append(("ol", value) if isinstance(value, list) else ("p", value))
            fields = {"title": spec["title"], "summary": spec["summary"], **self.editorial(day, spec["source"])}
            jobs.append(ArticleJob(column_slug, f"{column_slug}-{number:03d}", fields, blocks))
        return jobs

    def all_jobs(self):
        """Every article of the demo site, keyed by the `articles` name used in content.TREE."""
        return {
            "guide": self.plain("xxgkzn", open_gov.GUIDE, disclosure=True),
            "catalogue": self.plain("xxgkml", open_gov.CATALOGUE, disclosure=True),
            "policy": self.policy("zcwj", open_gov.POLICY),
            "notices": self.notices("tzgg", open_gov.NOTICES),
            "personnel": self.personnel("rsrm", open_gov.PERSONNEL),
            "speeches": self.speeches("ldjh", open_gov.SPEECHES),
            "work_news": self.news("gzdt", news.WORK_NEWS),
            "education_news": self.news("jydt", news.EDUCATION_NEWS),
            "health_news": self.news("wjdt", news.HEALTH_NEWS),
            "market_news": self.news("scjgdt", news.MARKET_NEWS),
            "township_news": self.news("xzdt", news.TOWNSHIP_NEWS),
            "service_guides": self.service_guides("zxbs", services_text.SERVICE_GUIDES),
            "legal_documents": self.plain("flws", services_text.LEGAL_DOCUMENTS, disclosure=False),
        }


# --- The seeder --------------------------------------------------------------------


class Seeder:
    def __init__(self, log=None):
        self.log = log or (lambda message: None)
        self.today = timezone.localdate()
        self.created = {"departments": 0, "pages": 0, "images": 0, "documents": 0, "users": 0}
        self.columns = {}

    def run(self):
        self.departments = self.ensure_departments()
        self.groups = roles.ensure_role_groups()
        self.users = self.ensure_users()
        self.people = {role.code: [] for role in roles.ROLES}
        for username, _name, _department, role_code in ACCOUNTS:
            self.people[role_code].append(self.users[username])
        self.admin = self.users["admin"]
        self.images = self.ensure_images()
        self.home = self.ensure_home()
        self.site = self.ensure_site()
        self.remove_welcome_page()
        self.ensure_portal_settings()
        jobs = Texts(self.today).all_jobs()
        self.build_tree(self.home, content.TREE, jobs)
        self.ensure_page_permissions()
        ensure_review_workflows(self.groups)
        self.build_articles(jobs)
        self.created["review_items"] = ensure_review_stages(self.columns, self.users, self.log)
        self.created["letters"] = letters.ensure_letters(self.departments, self.users)
        self.created["cases"] = seed_demo_cases(self.today)
        return self.created

    # Departments, users and roles

    def ensure_departments(self):
        departments = {}
        for order, (code, name, short_name, kind, phone) in enumerate(content.DEPARTMENTS, start=1):
            department, created = Department.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "short_name": short_name,
                    "kind": kind,
                    "sort_order": order * 10,
                    "phone": phone,
                    "address": "青山县行政中心" if kind != "township" else f"青山县{name}人民政府",
                },
            )
            self.created["departments"] += created
            departments[code] = department
        return departments

    def ensure_users(self):
        user_model = get_user_model()
        users = {}
        for username, display_name, department_code, role_code in ACCOUNTS:
            role = roles.ROLES_BY_CODE[role_code]
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model(
                    username=username,
                    display_name=display_name,
                    email=f"{username}@qingshan.example",
                    department=self.departments.get(department_code),
                    is_staff=role.is_staff or role.is_superuser,
                    is_superuser=role.is_superuser,
                )
                user.set_password(demo_password(username))
                user.save()
                self.created["users"] += 1
                self.log(f"  用户 {username}（{role.name}）")
            user.groups.add(self.groups[role_code])
            users[username] = user
        return users

    def ensure_page_permissions(self):
        scopes = {
            "site_root": [self.home],
            "editorial_sections": [self.columns[slug] for slug in ("zwgk", "zwdt", "zxbs")],
        }
        for role in roles.ROLES:
            if not role.page_permissions:
                continue
            if role.page_scope != "department_columns":
                roles.grant_page_permissions(self.groups[role.code], scopes[role.page_scope], role.page_permissions)
                continue
            for username, _name, _department, role_code in ACCOUNTS:
                if role_code != role.code:
                    continue
                department = self.users[username].department
                columns = [page for page in self.columns.values() if page.department_id == department.pk]
                group, _ = Group.objects.get_or_create(name=roles.department_group_name(department, role))
                roles.grant_page_permissions(group, columns, role.page_permissions)
                self.users[username].groups.add(group)

    # Media

    def ensure_images(self):
        image_model = get_image_model()
        collection = Collection.get_first_root_node()
        images = {}
        for key, (title, filename, caption, top, bottom, scene) in [*media.COVERS.items(), ("banner", media.BANNER)]:
            image = image_model.objects.filter(title=title).first()
            if image is None:
                data = media.draw_scene(caption, top, bottom, scene)
                image = image_model(title=title, collection=collection, description=caption)
                image.file = ImageFile(ContentFile(data), name=filename)
                image._set_image_file_metadata()
                image.save()
                self.created["images"] += 1
            images[key] = image
        return images

    def ensure_document(self, key, job):
        spec = open_gov.ATTACHMENTS[key]
        title = spec["title"].format(**job.context) if spec.get("title") else f"{job.fields['title']}（正式文本）"
        document_model = get_document_model()
        document = document_model.objects.filter(title=title).first()
        if document:
            return document
        if spec["kind"] == "xlsx":
            data = media.xlsx_bytes(title[:31], title, spec["header"], spec["rows"])
        else:
            data = media.pdf_bytes(job.fields["title"], plain_paragraphs(job.blocks))
        document = document_model(title=title, collection=Collection.get_first_root_node())
        document.file = ContentFile(data, name=spec["file"])
        document._set_document_file_metadata()
        document.save()
        self.created["documents"] += 1
        return document

    # Pages

    def publish(self, page):
        """Publish the site's structure (home page, columns, service entries): the site
        administrator's work. Articles go live only through review (build_articles)."""
        page.save_revision(user=self.admin).publish(user=self.admin, skip_permission_checks=True)
        self.created["pages"] += 1
        return page

    def child(self, parent, slug):
        page = parent.get_children().filter(slug=slug).first()
        return page.specific if page else None

    def ensure_home(self):
        home = HomePage.objects.first()
        if home:
            return home
        root = Page.get_first_root_node()
        # The welcome page Wagtail installs also has the slug "home": move it aside until deleted.
        root.get_children().filter(slug="home").update(slug="home-wagtail-welcome")
        home = HomePage(
            title=content.SITE_NAME,
            slug="home",
            headline=content.HOME_HEADLINE,
            banner_image=self.images["banner"],
            live=False,
        )
        root.add_child(instance=home)
        self.publish(home)
        self.log("  首页 青山县人民政府")
        return home

    def ensure_site(self):
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.filter(hostname="localhost").first()
        wanted = {
            "hostname": "localhost",
            "port": 80,
            "root_page_id": self.home.pk,
            "is_default_site": True,
            "site_name": content.SITE_NAME,
        }
        if site is None:
            return Site.objects.create(**wanted)
        if any(getattr(site, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(site, name, value)
            site.save()
        return site

    def remove_welcome_page(self):
        root = Page.get_first_root_node()
        for page in root.get_children().filter(title=WELCOME_TITLE).exclude(pk=self.home.pk):
            if page.specific_class is Page and not Site.objects.filter(root_page=page).exists():
                page.delete()

    def ensure_portal_settings(self):
        settings_obj = PortalSettings.for_site(self.site)
        changed = []
        for name, value in content.PORTAL_SETTINGS.items():
            model_field = PortalSettings._meta.get_field(name)
            current = getattr(settings_obj, name)
            if current in ("", model_field.get_default()) and current != value:
                setattr(settings_obj, name, value)
                changed.append(name)
        if changed:
            settings_obj.save(update_fields=changed)

    def build_tree(self, parent, nodes, jobs):
        for node in nodes:
            if node["type"] == "service":
                self.ensure_service_page(parent, node["slug"])
                continue
            column = self.child(parent, node["slug"])
            if column is None:
                column = ColumnPage(
                    title=node["title"],
                    slug=node["slug"],
                    kind=node["kind"],
                    intro=node["intro"],
                    is_disclosure=node["is_disclosure"],
                    is_sensitive=node["is_sensitive"],
                    department=self.departments.get(node["department"]),
                    show_in_menus=True,
                    live=False,
                )
                parent.add_child(instance=column)
                self.publish(column)
                self.log(f"  栏目 {column.title}")
            self.columns[node["slug"]] = column
            self.build_tree(column, node["children"], jobs)

    def ensure_service_page(self, parent, slug):
        spec = services_text.SERVICE_PAGES[slug]
        existing = self.child(parent, slug)
        if existing:
            page = existing.specific
            if spec.get("service_url") and page.service_url != spec["service_url"]:
                page.service_url = spec["service_url"]
                self.publish(page)
            return
        page = ServicePage(
            title=spec["title"],
            slug=slug,
            intro=spec["intro"],
            body=render_blocks([("p", p) for p in spec["body"]]),
            service_url=spec.get("service_url", ""),
            show_in_menus=True,
            live=False,
        )
        parent.add_child(instance=page)
        self.publish(page)
        self.log(f"  服务 {page.title}")

    def build_articles(self, jobs):
        """Create missing articles oldest first, so index numbers follow publication order; each
        goes live through the review its column needs, dated to its day (home/demo/review.py)."""
        ordered = sorted((job for group in jobs.values() for job in group), key=lambda job: (job.date, job.slug))
        for job in ordered:
            column = self.columns[job.column_slug]
            if self.child(column, job.slug):
                continue
            page = ArticlePage(slug=job.slug, body=render_blocks(job.blocks), live=False, **job.fields)
            if job.cover:
                page.cover_image = self.images[job.cover]
            if job.attachment:
                document = self.ensure_document(job.attachment, job)
                page.attachments = [ArticleAttachment(document=document, title=document.title)]
            column.add_child(instance=page)
            publish_through_review(page, self.people, job.date)
            self.created["pages"] += 1
            self.log(f"  信息 {job.date} {page.title}")


def counts():
    """Numbers printed at the end of each run (identical on a second run)."""
    return {
        "departments": Department.objects.count(),
        "columns": ColumnPage.objects.count(),
        "articles": ArticlePage.objects.count(),
        "live_articles": ArticlePage.objects.live().count(),
        "disclosed_with_index_no": ArticlePage.objects.exclude(index_no="").count(),
        "services": ServicePage.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "attachments": ArticleAttachment.objects.count(),
        "users": get_user_model().objects.count(),
        "groups": Group.objects.count(),
        "mailboxes": Mailbox.objects.count(),
        "letters": Letter.objects.count(),
        "cases": Case.objects.count(),
    }
