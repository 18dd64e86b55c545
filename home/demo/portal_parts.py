"""Demo content for the parts every county portal carries (政府网站发展指引): 政策解读 of three
demo policies (文字, 图解, 问答), 回应关切, 领导之窗, 机构职能, 专题专栏, 网站地图, 网站声明,
隐私政策, the footer's identity marks and 政务新媒体. All names and numbers are fictional."""

import datetime
import io

import qrcode
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection

from home.consultations import moderate_comment, submit_comment
from home.models import (
    ArticlePage,
    ConsultationComment,
    ConsultationPage,
    DepartmentPage,
    InterpretationPage,
    InterpretationQuestion,
    LeaderPage,
    NewMediaAccount,
    PortalSettings,
    ReviewedPage,
    SitemapPage,
    SitePolicyPage,
    TopicPage,
    TopicSelection,
)

from .media import _font
from .review import publish_through_review

# --- 政策解读: (slug, words in the policy's title, form, title, summary, paragraphs, extra) ---------
INTERPRETATIONS = [
    (
        "zcjd-yingshang",
        "优化营商环境三年行动方案",
        "text",
        "《青山县优化营商环境三年行动方案》政策解读",
        "从起草背景、主要目标、重点任务和保障措施四个方面解读行动方案。",
        [
            "## 一、起草背景",
            "为贯彻落实《优化营商环境条例》，进一步降低市场主体制度性交易成本，县发展和改革局牵头起草了行动方案，"
            "经县人民政府常务会议研究同意后印发。",
            "## 二、主要目标",
            "到方案期末，企业开办时间压减至1个工作日以内，工程建设项目审批时间压减至60个工作日以内，"
            "政务服务事项“一网通办”比例达到95%以上。",
            "## 三、重点任务",
            "方案从提升政务服务效能、加强要素保障、规范涉企执法、强化法治保障四个方面提出了具体任务，"
            "并逐项明确了牵头单位和完成时限。",
            "## 四、保障措施",
            "县政府建立优化营商环境工作专班，每季度通报任务进展，将落实情况纳入年度综合考核。",
            "解读机关：县发展和改革局　联系电话：0123-8821101",
        ],
        {"tags": ["营商环境"]},
    ),
    (
        "zcjd-minsheng-tujie",
        "民生实事项目实施方案",
        "graphic",
        "图解：青山县民生实事项目实施方案",
        "一图读懂今年十件民生实事：项目、责任单位和完成时限。",
        ["本图解以图表形式概括民生实事项目实施方案的主要内容，图中文字见下方“图解文字版”。"],
        {
            "graphic_text": (
                "今年县政府确定十件民生实事：\n"
                "1. 新建改建城区道路5条；2. 改造老旧小区12个；3. 新增公办幼儿园学位600个；\n"
                "4. 为65岁以上老年人免费体检；5. 建设村级养老服务站20个；6. 新建农村公路30公里；\n"
                "7. 改造农村饮水工程15处；8. 新增城区停车位1000个；9. 建设全民健身场地10处；\n"
                "10. 开展技能培训3000人次。\n"
                "责任单位：各项目牵头部门；完成时限：当年12月底前。"
            ),
        },
    ),
    (
        "zcjd-dibao-wenda",
        "最低生活保障实施办法（",
        "qa",
        "《青山县城乡居民最低生活保障实施办法（修订）》问答",
        "就修订后的低保办法中群众关心的申请条件、办理时限和救助标准答问。",
        ["县民政局就修订后的低保办法中群众关心的问题答问如下。"],
        {
            "questions": [
                (
                    "修订后的办法主要改了哪些内容？",
                    "一是提高了城乡低保标准；二是将审核确认时限由30个工作日压缩为20个工作日；"
                    "三是明确重病、重残人员可单人户纳入低保。",
                ),
                (
                    "申请低保需要到哪里办理？",
                    "申请人可以向户籍所在地或经常居住地的乡镇人民政府提出申请，也可以通过县政府门户网站“在线办事”栏目查阅办事指南。",
                ),
                (
                    "对审核结果有异议怎么办？",
                    "公示期间任何单位和个人均可向乡镇人民政府或县民政局反映；"
                    "申请人对审核确认结果不服的，可以依法申请行政复议或者提起行政诉讼。",
                ),
                ("政策咨询电话是多少？", "县民政局社会救助股：0123-8821103（工作日 8:30—12:00，14:30—17:30）。"),
            ],
        },
    ),
]

# --- 回应关切: (slug, title, summary, paragraphs) -----------------------------------------------
RESPONSES = [
    (
        "hygq-gongnuan",
        "关于今冬城区集中供暖开始时间的回应",
        "针对网民关于今冬供暖开始时间的留言，县住建局作出回应。",
        [
            "近期，有网民在领导信箱和政务新媒体留言，关心今冬城区集中供暖开始时间。",
            "县住房和城乡建设局回应：今年城区集中供暖将于11月15日正式开始，热源厂已于11月5日起进行冷态试运行，"
            "11月10日起热态试运行。如遇持续降温，将视气温情况提前供暖。",
            "供暖期间，用户如发现室温不达标、管道漏水等问题，可拨打供热服务热线0123-8821105或12345政务服务便民热线反映。",
        ],
    ),
    (
        "hygq-qingshi-shuizhi",
        "关于青石镇部分村组自来水浑浊问题的回应",
        "针对群众反映的青石镇部分村组自来水浑浊问题，县水利部门和青石镇作出回应。",
        [
            "近日，有群众反映青石镇部分村组自来水出现浑浊现象。",
            "经核查，浑浊系连续降雨导致水源地浊度升高、净水设施处理负荷过大所致。青石镇已于当日启用备用水源，"
            "并对管网进行冲洗；县疾控中心的水质检测结果显示，目前供水各项指标符合国家生活饮用水卫生标准。",
            "下一步，县农业农村局将把青石镇净水设施改造纳入今年农村饮水工程，彻底解决雨季浊度升高问题。",
        ],
    ),
]

# --- 领导之窗: (slug, name, position, duties, biography) ----------------------------------------
LEADERS = [
    (
        "linzhiyuan",
        "林志远",
        "县委副书记、县长",
        "主持县人民政府全面工作，负责审计方面的工作。",
        "男，汉族，1975年生，研究生学历，经济学硕士。历任青山县发展和改革局局长、青石镇党委书记、副县长等职。",
    ),
    (
        "hejianjun",
        "何建军",
        "县委常委、常务副县长",
        "负责县人民政府常务工作，负责发展改革、财政、税务、统计、应急管理、防汛抗旱等方面的工作。",
        "男，汉族，1978年生，大学学历。历任县财政局局长、县政府办公室主任等职。",
    ),
    (
        "chenyaqin",
        "陈雅琴",
        "副县长",
        "负责教育、卫生健康、医疗保障、民政、人力资源和社会保障等方面的工作。",
        "女，汉族，1980年生，研究生学历，管理学硕士。历任县教育局局长、县卫生健康局局长等职。",
    ),
    (
        "zhaolixin",
        "赵立新",
        "副县长",
        "负责自然资源、住房和城乡建设、农业农村、市场监管、政务服务等方面的工作。",
        "男，汉族，1979年生，大学学历。历任县自然资源和规划局局长、河口乡党委书记等职。",
    ),
]

# --- 机构职能: department code → (head, functions, units, hours) -------------------------------
WORKING_HOURS = "工作日 上午8:30—12:00，下午14:30—17:30"
DEPARTMENT_PAGES = {
    "zfb": (
        "县政府办公室主任",
        [
            "负责县人民政府会议的准备工作，协助县政府领导组织会议决定事项的实施。",
            "负责县政府公文处理、政务信息、政务公开和政府网站建设管理工作。",
            "督促检查县政府各部门和各乡镇对县政府决定事项的落实情况。",
        ],
        ["秘书股", "综合股", "督查室", "政务公开办公室", "县长信箱办公室"],
    ),
    "fgj": (
        "县发展和改革局局长",
        [
            "拟订并组织实施全县国民经济和社会发展规划、年度计划。",
            "负责全县投资综合管理，牵头推进优化营商环境工作。",
        ],
        ["办公室", "规划股", "投资股", "营商环境股"],
    ),
    "jyj": (
        "县教育局局长",
        ["贯彻执行国家教育方针，统筹全县各级各类教育发展。", "负责全县中小学、幼儿园的招生、学籍和教育督导工作。"],
        ["办公室", "基础教育股", "人事股", "教育督导室"],
    ),
    "mzj": (
        "县民政局局长",
        ["负责全县最低生活保障、特困人员救助供养、临时救助等社会救助工作。", "负责养老服务、婚姻登记和殡葬管理工作。"],
        ["办公室", "社会救助股", "养老服务股", "婚姻登记处"],
    ),
    "wjj": (
        "县卫生健康局局长",
        ["负责全县医疗卫生服务体系建设和公共卫生管理。", "组织开展疾病预防控制和卫生应急工作。"],
        ["办公室", "医政医管股", "疾病预防控制股", "卫生应急办公室"],
    ),
    "scjgj": (
        "县市场监督管理局局长",
        ["负责市场主体登记注册和市场综合监督管理。", "负责食品、药品、特种设备安全监督管理和消费者权益保护。"],
        ["办公室", "登记注册股", "食品安全股", "消费者权益保护股"],
    ),
    "zwfwzx": (
        "县政务服务中心主任",
        ["负责县政务服务大厅的运行管理，组织各部门进驻事项集中办理。", "负责“一网通办”和政务服务“好差评”工作。"],
        ["综合科", "窗口管理科", "网上办事科"],
    ),
    "jcy": (
        "县人民检察院检察长",
        ["依法履行法律监督职能，办理审查逮捕、审查起诉和公益诉讼案件。", "依法公开案件程序性信息和终结性法律文书。"],
        ["办公室", "第一检察部", "第二检察部", "案件管理部"],
    ),
}

# --- 专题专栏: (slug, title, intro, tag, words in the titles of the articles selected one by one) ---
TOPICS = [
    (
        "zt-yingshang",
        "优化营商环境",
        "集中发布全县优化营商环境的政策文件、政策解读和工作进展。",
        "营商环境",
        ["优化营商环境三年行动方案", "优化营商环境大会"],
    ),
    (
        "zt-fangxun",
        "防汛抗旱",
        "汇集全县防汛抗旱应急预案、工作部署和领导讲话。",
        "",
        ["防汛抗旱应急预案", "防汛抗旱工作会议"],
    ),
]

STATEMENT = (
    "website-statement",
    "网站声明",
    [
        ("h4", "一、版权声明"),
        (
            "p",
            "本网站由青山县人民政府办公室主办，所载政府信息可以免费转载，转载时请注明来源“青山县人民政府门户网站”，"
            "不得歪曲、篡改原意；标明作者或来源为其他单位的内容，版权归原作者所有。",
        ),
        ("h4", "二、信息的效力"),
        ("p", "本网站发布的政策文件以正式印发的文本为准。已修订、已废止的文件在原文页面标注，并链接现行版本。"),
        ("h4", "三、外部链接"),
        ("p", "本网站链接的其他网站（如12309中国检察网、政务服务平台）由其开办单位负责，其内容不代表本网站的观点。"),
        ("h4", "四、联系我们"),
        ("p", "地址：青山县城关镇人民路1号；电话：0123-8821000（工作日）；也可通过页脚“我为政府网站找错”反映问题。"),
    ],
)
PRIVACY = (
    "privacy-policy",
    "隐私政策",
    [
        ("p", "青山县人民政府门户网站（以下简称本网站）依照《中华人民共和国个人信息保护法》处理您的个人信息。"),
        ("h4", "一、我们收集哪些信息、为什么收集"),
        (
            "ol",
            [
                "注册账号：手机号码（接收验证码、找回密码）、可选的电子邮箱；实名信息（姓名、身份证号）用于核实办事人身份。",
                "领导信箱：姓名、手机号码、电子邮箱、身份证号、住址，仅用于办理和答复您的来信；咨询和建议可以匿名。",
                "案件信息查询：案件编号、当事人姓名和身份证号，仅用于核对您是否有权查询该案件，不作他用。",
                "律师认证和案件绑定：执业证、律师事务所函和委托材料，仅用于核实代理关系。",
            ],
        ),
        ("h4", "二、我们如何保存和保护"),
        (
            "p",
            "个人信息只保存在本网站自己的数据库中，不提供给第三方，不使用第三方统计或字体服务。"
            "身份证号和手机号码以加密散列和遮盖后的形式保存或显示；上传的证明材料存放在不对外公开的存储区。",
        ),
        ("h4", "三、保存多久"),
        (
            "p",
            "账号信息在您注销账号时删除；信件资料按政务档案管理规定保存，公开选登的信件已去除个人信息；"
            "案件查询不保存您输入的身份证号。",
        ),
        ("h4", "四、如何查阅、更正和删除"),
        (
            "p",
            "登录后在“我的账号”中可以查看本网站保存的您的全部信息、更正实名信息或注销账号。"
            "其他更正或删除请求请联系县政府办公室。",
        ),
        ("h4", "五、联系我们"),
        ("p", "个人信息保护联系人：县政府办公室政务公开办公室，电话0123-8821000，地址青山县城关镇人民路1号。"),
    ],
)

IDENTITY_SETTINGS = {
    "police_record_url": "https://beian.mps.gov.cn/#/query/webSearch?code=33990002000001",
    "error_report_url": "https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3399000001",
    "gov_mark_url": "https://bszs.conac.cn/",
    "provincial_platform_name": "全国一体化政务服务平台",
    "provincial_platform_url": "https://gjzwfw.www.gov.cn/",
}

# (platform, name, sort order); the QR codes carry the account name only: the accounts are fictional.
NEW_MEDIA = [("wechat", "青山发布", 10), ("weibo", "青山发布", 20)]


# --- 意见征集: (slug, title, draft paragraphs, opened days ago, comments, feedback paragraphs) ----------
CONSULTATIONS = [
    (
        "yjzj-yanghuo",
        "关于《青山县城区养犬管理办法（征求意见稿）》公开征求意见的公告",
        [
            "为规范城区养犬行为，保障公民人身安全和环境卫生，县公安局起草了《青山县城区养犬管理办法（征求意见稿）》，"
            "现向社会公开征求意见。",
            "第一条　城区范围内个人饲养犬只实行登记制度，每户限养一只。",
            "第二条　携犬出户应当束犬链，由完全民事行为能力人牵领，并主动避让老年人、残疾人和儿童。",
            "第三条　禁止在城区饲养烈性犬、大型犬，具体品种目录由县公安局会同县农业农村局公布。",
        ],
        10,
        [("建议明确小区内遛犬的时间段，早晚高峰避开儿童上下学时间。", True)],
        [],
    ),
    (
        "yjzj-tingche",
        "关于《青山县城区停车收费管理办法（征求意见稿）》公开征求意见的公告",
        [
            "为缓解城区停车难问题，县发展和改革局起草了《青山县城区停车收费管理办法（征求意见稿）》，现向社会公开征求意见。",
            "第一条　城区道路停车泊位实行分时段收费，首30分钟免费。",
            "第二条　医院、学校周边泊位的收费标准另行制定。",
        ],
        75,
        [("建议首1小时免费，方便群众短时办事。", True), ("请增加老城区的停车泊位。", True)],
        [
            "征集期间共收到意见2条，经研究，采纳1条，部分采纳1条。",
            "一、关于延长免费时长的意见：部分采纳，首次免费时长由30分钟延长至45分钟。",
            "二、关于增加老城区泊位的意见：采纳，县住建局将在老城区新增泊位300个。",
        ],
    ),
]


# --- Pictures ---------------------------------------------------------------------------------


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def draw_infographic():
    """Ten numbered boxes and a timeline: the 图解 of the demo's 民生实事 (text in graphic_text)."""
    image = Image.new("RGB", (1000, 1300), "#fdf6ec")
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, 1000, 160], fill="#b71c1c")
    draw.text((40, 50), "10 projects for people's livelihood", font=_font(44), fill="#ffffff")
    for number in range(10):
        top = 200 + number * 105
        draw.rounded_rectangle([40, top, 960, top + 85], radius=18, fill="#ffffff", outline="#b71c1c", width=3)
        draw.ellipse([60, top + 12, 120, top + 72], fill="#b71c1c")
        draw.text((78, top + 22), str(number + 1), font=_font(32), fill="#ffffff")
        draw.rectangle([150, top + 35, 150 + 70 * (number % 5 + 6), top + 50], fill="#f2b8b5")
    return _png(image)


def draw_portrait(seed):
    image = Image.new("RGB", (480, 640), ["#dfe7f2", "#e6efe4", "#f1e8df", "#ebe4f1"][seed % 4])
    draw = ImageDraw.Draw(image)
    draw.ellipse([150, 120, 330, 320], fill="#9aa7b8")
    draw.pieslice([70, 330, 410, 760], 180, 360, fill="#32465f")
    draw.text((20, 600), "demo portrait", font=_font(22), fill="#55606e")
    return _png(image)


def draw_mark(text, colour):
    image = Image.new("RGB", (220, 80), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([4, 4, 215, 75], outline="#ffffff", width=3)
    draw.text((18, 26), text, font=_font(22), fill="#ffffff")
    return _png(image)


def draw_qr(text):
    return _png(qrcode.make(text).convert("RGB"))


# --- Builder ----------------------------------------------------------------------------------


class PortalParts:
    """Builds the parts on a `home.demo.builders.Seeder` that has made the columns already."""

    def __init__(self, seeder):
        self.seeder = seeder

    def run(self):
        self.ensure_interpretations()
        self.ensure_responses()
        self.ensure_leaders()
        self.ensure_department_pages()
        self.ensure_topics()
        self.ensure_site_pages()
        self.ensure_identity()
        self.ensure_consultations()

    def image(self, title, filename, data):
        image_model = get_image_model()
        image = image_model.objects.filter(title=title).first()
        if image is None:
            image = image_model(title=title, collection=Collection.get_first_root_node())
            image.file = ImageFile(ContentFile(data), name=filename)
            image._set_image_file_metadata()
            image.save()
            self.seeder.created["images"] += 1
        return image

    def article_titled(self, words, model=ArticlePage):
        page = model.objects.live().filter(title__contains=words).order_by("-date").first()
        if page is None:
            raise LookupError(f"demo article containing {words!r} not found")
        return page

    def publish(self, page, day):
        """Every page type of these parts goes live through its review, as the archive does."""
        if isinstance(page, ReviewedPage):
            publish_through_review(page, self.seeder.people, day or self.seeder.today)
            self.seeder.created["pages"] += 1
        else:
            self.seeder.publish(page)

    def add(self, parent, page, day=None):
        if self.seeder.child(parent, page.slug):
            return self.seeder.child(parent, page.slug)
        parent.add_child(instance=page)
        self.publish(page, day)
        self.seeder.log(f"  {page._meta.verbose_name} {page.title}")
        return page

    def editorial(self, day, source):
        return {"date": day, "source": source, "collected_on": day, "collector": "李晓明"}

    def ensure_interpretations(self):
        from .builders import paras_to_blocks, render_blocks

        column = self.seeder.columns["zcjd"]
        for slug, policy_words, form, title, summary, paras, extra in INTERPRETATIONS:
            if self.seeder.child(column, slug):
                continue
            policy = self.article_titled(policy_words)
            day = policy.date + datetime.timedelta(days=1)
            page = InterpretationPage(
                slug=slug,
                title=title,
                summary=summary,
                body=render_blocks(paras_to_blocks(paras)),
                policy=policy,
                form=form,
                issuing_body=policy.issuing_body,
                written_on=day,
                topic=policy.topic,
                graphic_text=extra.get("graphic_text", ""),
                live=False,
                **self.editorial(day, "县政府办公室"),
            )
            if form == "graphic":
                page.graphic = self.image("示例图片·民生实事图解", "minsheng-tujie.png", draw_infographic())
            page.questions = [InterpretationQuestion(question=q, answer=a) for q, a in extra.get("questions", [])]
            for tag in extra.get("tags", []):
                page.tags.add(tag)
            self.add(column, page, day=day)

    def ensure_responses(self):
        from .builders import render_blocks

        column = self.seeder.columns["hygq"]
        for number, (slug, title, summary, paras) in enumerate(RESPONSES):
            day = self.seeder.today - datetime.timedelta(days=5 + number * 9)
            page = ArticlePage(
                slug=slug,
                title=title,
                summary=summary,
                body=render_blocks([("p", p) for p in paras]),
                live=False,
                **self.editorial(day, "县政府办公室"),
            )
            self.add(column, page, day=day)

    def ensure_leaders(self):
        column = self.seeder.columns["ldzc"]
        for number, (slug, name, position, duties, biography) in enumerate(LEADERS):
            if self.seeder.child(column, slug):
                continue
            photo = self.image(f"示例图片·领导照片{number + 1}", f"leader-{slug}.png", draw_portrait(number))
            page = LeaderPage(
                slug=slug,
                title=name,
                position=position,
                photo=photo,
                duties=f"<p>{duties}</p>",
                biography=f"<p>{biography}</p>",
                live=False,
            )
            self.add(column, page)

    def ensure_department_pages(self):
        column = self.seeder.columns["jgzn"]
        for code, (head, functions, units) in DEPARTMENT_PAGES.items():
            department = self.seeder.departments[code]
            if DepartmentPage.objects.filter(department=department).exists():
                continue
            page = DepartmentPage(
                slug=code,
                title=department.name,
                department=department,
                head=head,
                functions="".join(f"<p>{text}</p>" for text in functions),
                units="<ul>" + "".join(f"<li>{unit}</li>" for unit in units) + "</ul>",
                address=department.address,
                hours=WORKING_HOURS,
                phone=department.phone,
                live=False,
            )
            self.add(column, page)

    def ensure_topics(self):
        column = self.seeder.columns["ztzl"]
        for slug, title, intro, tag, selected in TOPICS:
            if self.seeder.child(column, slug):
                continue
            page = TopicPage(slug=slug, title=title, intro=intro, tag=tag, live=False)
            page.selections = [TopicSelection(article=self.article_titled(words)) for words in selected]
            self.add(column, page)

    def ensure_site_pages(self):
        from .builders import render_blocks

        home = self.seeder.home
        self.add(home, SitemapPage(slug="sitemap", title="网站地图", intro="本站全部栏目和页面。", live=False))
        effective = datetime.date(self.seeder.today.year, 1, 1)
        for kind, (slug, title, blocks) in (("statement", STATEMENT), ("privacy", PRIVACY)):
            if SitePolicyPage.objects.filter(kind=kind).exists():
                continue
            page = SitePolicyPage(
                slug=slug, title=title, kind=kind, effective_on=effective, body=render_blocks(blocks), live=False
            )
            self.add(home, page)

    def ensure_identity(self):
        settings_obj = PortalSettings.for_site(self.seeder.site)
        changed = []
        for name, value in IDENTITY_SETTINGS.items():
            if not getattr(settings_obj, name):
                setattr(settings_obj, name, value)
                changed.append(name)
        if settings_obj.gov_mark_image_id is None:
            settings_obj.gov_mark_image = self.image(
                "示例图片·党政机关网站标识", "gov-mark.png", draw_mark("Gov site mark (demo)", "#c62828")
            )
            changed.append("gov_mark_image")
        if settings_obj.police_record_icon_id is None:
            settings_obj.police_record_icon = self.image(
                "示例图片·公安备案图标", "police-record.png", draw_mark("Police record", "#1e4f9c")
            )
            changed.append("police_record_icon")
        if changed:
            settings_obj.save(update_fields=changed)
        for platform, name, order in NEW_MEDIA:
            if NewMediaAccount.objects.filter(platform=platform, name=name).exists():
                continue
            qr = self.image(
                f"示例图片·{name}二维码（{platform}）", f"qr-{platform}.png", draw_qr(f"{name}（演示账号）")
            )
            NewMediaAccount.objects.create(platform=platform, name=name, qr_code=qr, sort_order=order)

    def ensure_consultations(self):
        from .builders import paras_to_blocks, render_blocks

        column = self.seeder.columns["yjzj"]
        citizen, moderator = self.seeder.users["citizen"], self.seeder.admin
        for slug, title, draft, opened_days_ago, comments, feedback in CONSULTATIONS:
            if self.seeder.child(column, slug):
                continue
            opens_on = self.seeder.today - datetime.timedelta(days=opened_days_ago)
            page = ConsultationPage(
                slug=slug,
                title=title,
                draft=render_blocks(paras_to_blocks(draft)),
                opens_on=opens_on,
                closes_on=opens_on + datetime.timedelta(days=ConsultationPage.MIN_DAYS_NORMATIVE),
                contact="县政府办公室政务公开办公室，电话0123-8821000",
                live=False,
            )
            page = ConsultationPage.objects.get(pk=self.add(column, page, day=opens_on).pk)
            for body, approve in comments:
                if page.is_open:
                    comment = submit_comment(page, citizen, body)
                else:  # the archive of a closed consultation is imported as it was received
                    comment = ConsultationComment.objects.create(page=page, author=citizen, body=body)
                moderate_comment(comment, moderator, approve=approve)
            if feedback:
                page.feedback = render_blocks(paras_to_blocks(feedback))
                self.publish(page, page.closes_on)
