"""The portal's roles (角色): one Django group per role, with its model and page permissions.

A role lists
- `permissions`: Django model permissions ("app_label.codename") given to the group;
- `collection_permissions`: image/document permissions on the root collection;
- `page_scope` and `page_permissions`: Wagtail page permissions ("add", "change", "publish"…)
  granted on the pages the scope names. Scopes are resolved by whoever knows the page tree:
    "site_root"          the site's home page (so the whole site),
    "editorial_sections" the sections edited by the website's own editors,
    "department_columns" the columns whose `department` is the user's department; these are
                         granted to a per-department group (see `department_group_name`),
                         because one department's officer must not edit another's columns.

`ensure_role_groups()` creates the groups and their model/collection permissions;
`grant_page_permissions()` adds page permissions. Both are idempotent.

Editorial review (home.review): no role holds the page "publish" permission. Articles go live
only when the last level of their review workflow approves; reviewers get editor access to an
item while it waits at their level. The site administrator manages users and structure and is
not a reviewer (review tasks ignore superusers). The permissions of the service apps are
refined in later issues.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction

ACCESS_ADMIN = "wagtailadmin.access_admin"
REVIEW_AUDIT = "home.view_review_audit"
MEDIA_PERMISSIONS = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
MEDIA_CHOOSE_PERMISSIONS = ("wagtailimages.choose_image", "wagtaildocs.choose_document")
# Site search upkeep: the synonym table, pinned results for a query, the search-term report.
SEARCH_UPKEEP = (
    "portal_search.view_searchtermday",
    "portal_search.add_synonym",
    "portal_search.change_synonym",
    "portal_search.delete_synonym",
    "wagtailsearchpromotions.add_searchpromotion",
    "wagtailsearchpromotions.change_searchpromotion",
    "wagtailsearchpromotions.delete_searchpromotion",
)


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    description: str
    is_staff: bool = True
    is_superuser: bool = False
    permissions: tuple = ()
    collection_permissions: tuple = ()
    page_scope: str = ""
    page_permissions: tuple = ()


ROLES = (
    Role("admin", "系统管理员", "系统管理：用户、角色、栏目和站点设置。", is_superuser=True),
    Role(
        "editor",
        "栏目编辑",
        "在负责的栏目中起草信息，记录信息来源、采集日期和采集人，提交审核（一审）。",
        permissions=(ACCESS_ADMIN,),
        collection_permissions=MEDIA_PERMISSIONS,
        page_scope="editorial_sections",
        page_permissions=("add", "change"),
    ),
    Role(
        "deptofficer",
        "部门信息员",
        "按照“谁上网谁负责”，在本部门栏目中起草信息，报部门分管领导审核。",
        permissions=(ACCESS_ADMIN,),
        collection_permissions=MEDIA_PERMISSIONS,
        page_scope="department_columns",
        page_permissions=("add", "change"),
    ),
    Role(
        "deptleader",
        "部门分管领导",
        "审核本部门信息员提交的信息，签署意见后送网站主编。",
        permissions=(ACCESS_ADMIN,),
        collection_permissions=MEDIA_CHOOSE_PERMISSIONS,
        page_scope="department_columns",
        page_permissions=("change",),
    ),
    Role(
        "managing",
        "网站主编",
        "二审：审核栏目编辑和部门提交的信息；审核和导出意见征集的公众意见；维护搜索同义词和推荐结果。",
        permissions=(ACCESS_ADMIN, REVIEW_AUDIT, "home.moderate_consultationcomment", *SEARCH_UPKEEP),
        collection_permissions=MEDIA_PERMISSIONS,
        page_scope="site_root",
        page_permissions=("change",),
    ),
    Role(
        "chief",
        "网站总编",
        "三审：审定信息，审核通过即发布；可撤下已发布的信息。",
        permissions=(ACCESS_ADMIN, REVIEW_AUDIT, "home.withdraw_articlepage", *SEARCH_UPKEEP),
        collection_permissions=MEDIA_PERMISSIONS,
        page_scope="site_root",
        page_permissions=("change",),
    ),
    Role(
        "office",
        "县政府办公室审核",
        "敏感信息第四级审核（县政府办公室初审）。",
        permissions=(ACCESS_ADMIN, REVIEW_AUDIT),
        collection_permissions=MEDIA_CHOOSE_PERMISSIONS,
    ),
    Role(
        "leader",
        "县政府领导审核",
        "敏感信息第五级审核（县政府领导审定）。",
        permissions=(ACCESS_ADMIN, REVIEW_AUDIT),
        collection_permissions=MEDIA_CHOOSE_PERMISSIONS,
    ),
    Role(
        "mailadmin",
        "信箱管理员",
        "领导信箱：受理、转办、交办、督办来信，审核答复；领导接访日：安排接访，办理接访预约（信访）。",
        permissions=(
            ACCESS_ADMIN,
            "appointments.handle_reception",
            "appointments.view_receptionday",
            "appointments.add_receptionday",
            "appointments.change_receptionday",
        ),
    ),
    Role(
        "handler",
        "承办部门",
        "办理转办到本部门的来信并答复（同部门的其他工作人员看不到这些来信）。",
        permissions=(ACCESS_ADMIN, "letters.handle_letter"),
    ),
    Role(
        "service",
        "服务中心",
        "在线预约：维护事项、办事地点和开放时段，办理签到、爽约登记和停办，处理差评整改和爽约申诉；"
        "核验身份证件，处理有争议的实名登记。",
        permissions=(
            ACCESS_ADMIN,
            "appointments.run_desk",
            "appointments.follow_up",
            "appointments.decide_appeal",
            "appointments.view_service",
            "appointments.add_service",
            "appointments.change_service",
            "appointments.view_location",
            "appointments.add_location",
            "appointments.change_location",
            "accounts.resolve_real_name",
        ),
    ),
    Role(
        "casemgr",
        "案件管理",
        "案件信息公开：导入案件，审核律师身份和案件绑定，发布法律文书，监测案件办理期限。",
        permissions=(
            ACCESS_ADMIN,
            "accounts.verify_lawyer",
            "accounts.resolve_real_name",
            "cases.view_importbatch",
            "cases.review_binding",
            "cases.monitor_time_limits",
            "cases.view_stagetimelimit",
            "cases.add_stagetimelimit",
            "cases.change_stagetimelimit",
            "cases.delete_stagetimelimit",
            "cases.publish_document",
        ),
    ),
    Role("citizen", "公众", "注册用户：写信、预约、查询本人事项。", is_staff=False),
    Role("lawyer", "律师", "经验证的律师：绑定案件、查询案件程序性信息、预约阅卷和会见。", is_staff=False),
)

ROLES_BY_CODE = {role.code: role for role in ROLES}


def department_group_name(department, role):
    """Group holding `role`'s page permissions on one department's columns, e.g. "县教育局·部门信息员"."""
    return f"{department.name}·{role.name}"


def _permission(dotted):
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def ensure_role_groups():
    """Create every role's group with its model and root-collection permissions. Returns {code: group}."""
    from wagtail.models import Collection, GroupCollectionPermission

    root_collection = Collection.get_first_root_node()
    groups = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.name)
        group.permissions.add(*[_permission(p) for p in role.permissions])
        for dotted in role.collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(dotted)
            )
        groups[role.code] = group
    return groups


def page_permission(codename):
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page

    return Permission.objects.get(content_type=ContentType.objects.get_for_model(Page), codename=f"{codename}_page")


def grant_page_permissions(group, pages, codenames):
    """Give `group` each of `codenames` ("add", "change", "publish"…) on each page and its subtree."""
    from wagtail.models import GroupPagePermission

    for page in pages:
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=page_permission(codename))
