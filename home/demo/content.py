"""Shape of the demo site: identity, departments, page tree and the people who edit it."""

SITE_NAME = "青山县人民政府"
HOME_HEADLINE = "山清水秀 宜居宜业——建设生态美、产业兴、百姓富的幸福青山"

# Clearly fictional identity data (no real registration numbers).
PORTAL_SETTINGS = {
    "sponsor": "青山县人民政府办公室",
    "organiser": "青山县大数据中心",
    "site_code": "3399000001",
    "icp": "X ICP备12345678号",
    "police_record": "X公网安备 33990002000001号",
    "org_code": "11339900MB0000000X",
    "address": "青山县城关镇人民路1号",
    "phone": "0123-8821000",
}

# (code, name, short name, kind, phone). 0123 is not a Chinese area code: the numbers are fake.
DEPARTMENTS = [
    ("zfb", "县政府办公室", "县府办", "office", "0123-8821000"),
    ("fgj", "县发展和改革局", "县发改局", "bureau", "0123-8821101"),
    ("jyj", "县教育局", "县教育局", "bureau", "0123-8821102"),
    ("gaj", "县公安局", "县公安局", "bureau", "0123-8821110"),
    ("mzj", "县民政局", "县民政局", "bureau", "0123-8821103"),
    ("czj", "县财政局", "县财政局", "bureau", "0123-8821104"),
    ("rsj", "县人力资源和社会保障局", "县人社局", "bureau", "0123-8821234"),
    ("zrzyj", "县自然资源和规划局", "县自然资源局", "bureau", "0123-8821456"),
    ("zjj", "县住房和城乡建设局", "县住建局", "bureau", "0123-8821105"),
    ("nyncj", "县农业农村局", "县农业农村局", "bureau", "0123-8821106"),
    ("wjj", "县卫生健康局", "县卫健局", "bureau", "0123-8821107"),
    ("yjglj", "县应急管理局", "县应急局", "bureau", "0123-8821108"),
    ("scjgj", "县市场监督管理局", "县市场监管局", "bureau", "0123-8821109"),
    ("ybj", "县医疗保障局", "县医保局", "bureau", "0123-8821567"),
    ("zwfwzx", "县政务服务中心", "县政务服务中心", "other", "0123-8821345"),
    ("jcy", "县人民检察院", "县检察院", "other", "0123-8821300"),
    ("chengguan", "城关镇", "城关镇", "township", "0123-8822001"),
    ("qingshi", "青石镇", "青石镇", "township", "0123-8822002"),
    ("hekou", "河口乡", "河口乡", "township", "0123-8822003"),
]

# Staff who collect (采集) information; collectors are picked from this list in turn.
COLLECTORS = ["李晓明", "王丽娟", "张伟", "陈静", "刘洋", "赵敏", "周杰", "孙红梅"]


def column(
    slug,
    title,
    kind,
    intro,
    children=(),
    articles=None,
    department=None,
    disclosure=False,
    sensitive=False,
    services="",
):
    return {
        "type": "column",
        "slug": slug,
        "title": title,
        "kind": kind,
        "intro": intro,
        "children": list(children),
        "articles": articles,
        "department": department,
        "is_disclosure": disclosure,
        "is_sensitive": sensitive,
        "services_section": services,
    }


def service(slug):
    return {"type": "service", "slug": slug}


# `articles` names a list in builders.ARTICLE_SETS; `services` the section of the services
# registry (portal.service_registry) the column lists. Every top-level node is shown in the menu.
TREE = [
    column(
        "zwgk",
        "政务公开",
        "section",
        "依法公开县人民政府及其工作部门的政府信息，包括公开指南、公开目录、政策文件、通知公告、人事任免和领导讲话。",
        children=[
            column(
                "xxgkzn",
                "信息公开指南",
                "guide",
                "政府信息主动公开的范围、方式，以及依申请公开的受理机构、申请方式和答复时限。",
                articles="guide",
                disclosure=True,
            ),
            column(
                "xxgkml",
                "信息公开目录",
                "catalogue",
                "按主题分类、发布机构和成文日期检索县人民政府主动公开的政府信息。",
                articles="catalogue",
                disclosure=True,
            ),
            column(
                "zcwj",
                "政策文件",
                "policy",
                "县人民政府及县政府办公室制发的规范性文件和其他政策文件。已修订、已废止的文件在原文页面标注。",
                articles="policy",
                disclosure=True,
                sensitive=True,
            ),
            column(
                "tzgg",
                "通知公告",
                "notices",
                "县人民政府及各部门发布的通知、通告和公告。",
                articles="notices",
                disclosure=True,
            ),
            column(
                "rsrm",
                "人事任免",
                "personnel",
                "县人民政府任免的工作人员信息。",
                articles="personnel",
                disclosure=True,
                sensitive=True,
            ),
            column(
                "ldjh",
                "领导讲话",
                "speeches",
                "县人民政府领导在重要会议和活动上的讲话。",
                articles="speeches",
                sensitive=True,
            ),
            column(
                "zcjd",
                "政策解读",
                "interpretation",
                "对县人民政府政策文件的文字解读、图解和问答，与所解读的文件相互链接。",
                disclosure=True,
            ),
            column("hygq", "回应关切", "response", "对社会关注的热点问题和网民留言的回应。"),
            column("ldzc", "领导之窗", "leaders", "县人民政府领导的职务、工作分工和简历。"),
            column("jgzn", "机构职能", "departments", "县政府各部门的主要职能、内设机构、办公地址和联系方式。"),
        ],
    ),
    column(
        "zwdt",
        "政务动态",
        "section",
        "县人民政府、各部门和各乡镇的工作动态。",
        children=[
            column("gzdt", "工作动态", "news", "县人民政府重要会议、重要活动和重点工作进展。", articles="work_news"),
            column(
                "bmdt",
                "部门动态",
                "news",
                "县政府各部门工作动态，由各部门按照“谁上网谁负责”的原则维护。",
                children=[
                    column(
                        "jydt", "教育动态", "news", "县教育局工作动态。", articles="education_news", department="jyj"
                    ),
                    column(
                        "wjdt",
                        "卫生健康动态",
                        "news",
                        "县卫生健康局工作动态。",
                        articles="health_news",
                        department="wjj",
                    ),
                    column(
                        "scjgdt",
                        "市场监管动态",
                        "news",
                        "县市场监督管理局工作动态。",
                        articles="market_news",
                        department="scjgj",
                    ),
                ],
            ),
            column("xzdt", "乡镇动态", "news", "各乡镇工作动态。", articles="township_news"),
        ],
    ),
    column("ztzl", "专题专栏", "topics", "围绕县委、县政府中心工作开设的专题。"),
    column(
        "hdjl",
        "互动交流",
        "section",
        "给县领导写信，查询来信办理进度，阅读已公开的来信和答复。",
        children=[
            service("ldxx"),
            column("yjzj", "意见征集", "consultations", "政策文件草案公开征求意见，征集结束后公布意见采纳情况。"),
        ],
        services="interaction",
    ),
    column(
        "zxbs",
        "在线办事",
        "section",
        "常办事项的办事指南：办理依据、申请材料、办理流程、时限和地点。",
        articles="service_guides",
        children=[service("zxyy")],
        services="online_services",
    ),
    column(
        "ajxxgk",
        "案件信息公开",
        "section",
        "县人民检察院案件程序性信息查询、终结性法律文书公开和律师案件绑定。",
        children=[
            service("ajcx"),
            column(
                "flws",
                "公开规定与须知",
                "general",
                "法律文书公开的范围和隐名处理规则，案件程序性信息查询须知。",
                articles="legal_documents",
                department="jcy",
            ),
        ],
        services="case_information",
    ),
]
