"""在线预约: bookable services (事项), their weekly plans and exceptions, slots (号源),
bookings with their append-only history, ratings (好差评) and follow-ups, no-show suspensions.

State changes are made only by the functions in `booking.py`, `ratings.py` and
`suspensions.py`; every change appends an event. Capacity is held by `Slot.booked`, which
only ever changes in the same transaction as the bookings it counts, by a conditional UPDATE
that the database checks (see `booking.take_place`)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from portal.pii import mask_phone

from .conf import setting


def default_book_ahead_workdays():
    return setting("APPOINTMENTS_BOOK_AHEAD_WORKDAYS")


def default_cutoff_minutes():
    return setting("APPOINTMENTS_CUTOFF_MINUTES")


class Location(models.Model):
    """Where a service is delivered: a hall of the service centre, the procuratorate's
    reception room. Its department runs the desk there."""

    name = models.CharField(_("地点名称"), max_length=100, unique=True)
    address = models.CharField(_("详细地址"), max_length=200)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("管理部门"),
        on_delete=models.PROTECT,
        related_name="appointment_locations",
        help_text=_("该部门的工作人员在预约工作台办理本地点的签到。"),
    )
    phone = models.CharField(_("咨询电话"), max_length=30, blank=True)
    directions = models.TextField(_("交通和到达指引"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("办事地点")
        verbose_name_plural = _("办事地点")

    def __str__(self):
        return self.name


class Service(ClusterableModel):
    """A bookable service (预约事项) with its weekly plan and booking rules."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("政务服务")
        FILE_REVIEW = "file_review", _("律师阅卷")
        MEETING = "meeting", _("律师会见检察官")
        RECEPTION = "reception", _("领导接访")

    # Kinds booked on one of the lawyer's cases (approved binding required).
    CASE_KINDS = (Kind.FILE_REVIEW, Kind.MEETING)

    name = models.CharField(_("事项名称"), max_length=100)
    slug = models.SlugField(_("网址代码"), max_length=50, unique=True, help_text=_("用于网址，例如 bdcdj。"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    department = models.ForeignKey(
        "portal.Department",
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        related_name="appointment_services",
        help_text=_("差评整改由该部门办理。"),
    )
    location = models.ForeignKey(
        Location, verbose_name=_("办事地点"), on_delete=models.PROTECT, related_name="services"
    )
    description = models.TextField(_("事项说明"), blank=True)
    materials = models.TextField(
        _("材料清单"), help_text=_("每行一项。预约前和预约成功后都会向预约人显示。"), blank=True
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("办理时长（分钟）"), default=20, help_text=_("一次办理大约需要的时间，写在预约短信后的日历文件里告诉办事人。")
    )
    slot_minutes = models.PositiveSmallIntegerField(_("每个时段长度（分钟）"), default=30)
    capacity = models.PositiveSmallIntegerField(
        _("每个时段可约人数"), default=1, help_text=_("一般等于该时段开放的窗口数或工作人员数。")
    )
    book_ahead_workdays = models.PositiveSmallIntegerField(
        _("可提前预约的工作日数"), default=default_book_ahead_workdays
    )
    cutoff_minutes = models.PositiveIntegerField(
        _("预约和取消截止（开始前分钟数）"),
        default=default_cutoff_minutes,
        help_text=_("时段开始前多少分钟停止预约、取消和改约。"),
    )
    lawyers_only = models.BooleanField(
        _("仅限认证律师"), default=False, help_text=_("律师阅卷和会见检察官始终仅限认证律师，并须已获准绑定案件。")
    )
    is_active = models.BooleanField(_("开放预约"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldRowPanel([FieldPanel("kind"), FieldPanel("lawyers_only")]),
                FieldRowPanel([FieldPanel("department"), FieldPanel("location")]),
                FieldPanel("description"),
                FieldPanel("materials"),
                FieldRowPanel([FieldPanel("is_active"), FieldPanel("sort_order")]),
            ],
            heading=_("事项"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("slot_minutes"), FieldPanel("duration_minutes"), FieldPanel("capacity")]),
                FieldRowPanel([FieldPanel("book_ahead_workdays"), FieldPanel("cutoff_minutes")]),
            ],
            heading=_("预约规则"),
        ),
        InlinePanel(
            "sessions",
            heading=_("每周安排"),
            label=_("开放时段"),
            help_text=_(
                "只在工作日开放（节假日自动关闭）。调休上班的周六、周日按“调休上班日”一行开放；没有这一行则不开放。"
                "修改安排不影响已有的预约；如需取消已预约的时段，请在预约工作台停办。"
            ),
        ),
        InlinePanel(
            "extra_sessions",
            heading=_("加开时段"),
            label=_("加开时段"),
            help_text=_(
                "在指定日期额外开放的时段（包括周末和节假日）。停办某天或某时段请在预约工作台办理，会通知已预约的人。"
            ),
        ),
    ]

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("预约事项")
        verbose_name_plural = _("预约事项")

    def __str__(self):
        return self.name

    @property
    def for_lawyers(self):
        return self.lawyers_only or self.kind in self.CASE_KINDS

    @property
    def needs_case(self):
        return self.kind in self.CASE_KINDS

    @property
    def is_reception(self):
        return self.kind == self.Kind.RECEPTION

    def material_lines(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]


class WeeklySession(models.Model):
    """Opening hours on one day of the week (or on adjusted working days, 调休上班日)."""

    ADJUSTED_WORKDAY = 7
    DAYS = [
        (0, _("星期一")),
        (1, _("星期二")),
        (2, _("星期三")),
        (3, _("星期四")),
        (4, _("星期五")),
        (ADJUSTED_WORKDAY, _("调休上班日（周六、周日补班）")),
    ]

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="sessions")
    weekday = models.PositiveSmallIntegerField(_("星期"), choices=DAYS)
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(
        _("每个时段可约人数"), null=True, blank=True, help_text=_("留空则按事项的设置。")
    )

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("capacity")])
    ]

    class Meta:
        ordering = ["weekday", "starts_at"]
        verbose_name = _("每周开放时段")
        verbose_name_plural = _("每周开放时段")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointments_session_order")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ExtraSession(models.Model):
    """An exception that opens hours on a given date (加开), whatever the calendar says."""

    service = ParentalKey(Service, on_delete=models.CASCADE, related_name="extra_sessions")
    date = models.DateField(_("日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(
        _("每个时段可约人数"), null=True, blank=True, help_text=_("留空则按事项的设置。")
    )
    note = models.CharField(_("说明"), max_length=100, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("starts_at"), FieldPanel("ends_at"), FieldPanel("capacity")]),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("加开时段")
        verbose_name_plural = _("加开时段")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointments_extra_session_order")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class ReceptionDay(models.Model):
    """领导接访日: a county leader receives citizens on a date, at a place; published on the site."""

    service = models.ForeignKey(
        Service,
        verbose_name=_("接访事项"),
        on_delete=models.PROTECT,
        related_name="reception_days",
        limit_choices_to={"kind": Service.Kind.RECEPTION},
    )
    leader_name = models.CharField(_("接访领导"), max_length=50)
    leader_title = models.CharField(_("职务"), max_length=100)
    date = models.DateField(_("接访日期"))
    starts_at = models.TimeField(_("开始时间"))
    ends_at = models.TimeField(_("结束时间"))
    place = models.CharField(_("接访地点"), max_length=200)
    scope = models.TextField(_("接访范围"), blank=True, help_text=_("例如：城乡建设、征地拆迁、劳动保障方面的诉求。"))
    capacity = models.PositiveSmallIntegerField(
        _("每个时段可约人数"), null=True, blank=True, help_text=_("留空则按事项的设置。")
    )
    is_published = models.BooleanField(_("在网站公布"), default=True)

    class Meta:
        ordering = ["date", "starts_at"]
        verbose_name = _("领导接访日")
        verbose_name_plural = _("领导接访日")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="appointments_reception_order")
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.leader_title}{self.leader_name}"


class Closure(models.Model):
    """Staff closed a whole day (`starts_at` empty) or one slot of a service (停办); made only
    by `booking.close`, which cancels and notifies the bookings it affects."""

    service = models.ForeignKey(Service, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("日期"))
    starts_at = models.DateTimeField(_("时段开始时间"), null=True, blank=True)
    reason = models.CharField(_("停办原因"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "starts_at"]
        verbose_name = _("停办记录")
        verbose_name_plural = _("停办记录")

    def __str__(self):
        return f"{self.service} {self.date:%Y-%m-%d}"


class Slot(models.Model):
    """One bookable time (号源) once somebody booked or staff closed it; slots nobody touched
    exist only in the plan. `booked` counts the active bookings and never exceeds `capacity`
    (checked by the database)."""

    service = models.ForeignKey(Service, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="slots")
    date = models.DateField(_("日期"))
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("可约人数"))
    booked = models.PositiveSmallIntegerField(_("已约人数"), default=0)
    is_closed = models.BooleanField(_("已停办"), default=False)
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("领导接访日"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="slots",
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("号源")
        verbose_name_plural = _("号源")
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="appointments_one_slot_per_time"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appointments_slot_not_overbooked"),
        ]
        indexes = [models.Index(fields=["service", "date"])]

    def __str__(self):
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def remaining(self):
        return 0 if self.is_closed else max(self.capacity - self.booked, 0)


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", _("已预约")
        CHECKED_IN = "checked_in", _("已签到")
        NO_SHOW = "no_show", _("爽约")
        CANCELLED = "cancelled", _("已取消")
        CALLED_OFF = "called_off", _("因停办取消")

    # States that hold a place: one per person, service and day.
    ACTIVE_STATES = (State.BOOKED, State.CHECKED_IN)

    code = models.CharField(_("预约码"), max_length=12, unique=True)
    service = models.ForeignKey(Service, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="bookings")
    slot = models.ForeignKey(Slot, verbose_name=_("时段"), on_delete=models.PROTECT, related_name="bookings")
    # The slot's date, kept here for the one-booking-per-day constraint.
    date = models.DateField(_("日期"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("预约人账号"), on_delete=models.PROTECT, related_name="bookings"
    )
    name = models.CharField(_("预约人姓名"), max_length=50)
    # Kept in clear because reminders are texted to it; shown only masked.
    phone = models.CharField(_("手机号码"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    matter = models.TextField(_("反映事项"), blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.BOOKED)
    # One key per rendered form: a second submission of the same form finds this booking.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("登记爽约时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "created_at"]
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "service", "date"],
                condition=Q(state__in=["booked", "checked_in"]),
                name="appointments_one_active_booking_per_day",
            )
        ]
        indexes = [models.Index(fields=["user", "state"]), models.Index(fields=["date", "service"])]
        permissions = [
            ("run_desk", _("使用预约工作台（签到、登记爽约、停办、导出）")),
            ("follow_up", _("办理预约差评整改")),
            ("decide_appeal", _("处理爽约暂停申诉")),
            ("handle_reception", _("办理领导接访预约（信访）")),
        ]

    def __str__(self):
        return f"{self.code} {self.service}"

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def is_active(self):
        return self.state in self.ACTIVE_STATES


class BookingEvent(models.Model):
    """Append-only history of a booking: who did what, when, with which comment."""

    class Action(models.TextChoices):
        BOOKED = "booked", _("预约")
        RESCHEDULED = "rescheduled", _("改约")
        CANCELLED = "cancelled", _("取消预约")
        CALLED_OFF = "called_off", _("停办取消")
        CHECKED_IN = "checked_in", _("签到")
        NO_SHOW = "no_show", _("登记爽约")
        REMINDED = "reminded", _("发送提醒")
        RATED = "rated", _("评价")
        FOLLOW_UP_OPENED = "follow_up_opened", _("差评转整改")
        FOLLOW_UP_CLOSED = "follow_up_closed", _("整改完成并反馈")
        ANONYMISED = "anonymised", _("账号注销，去除个人信息")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["booking", "at", "pk"]
        verbose_name = _("预约记录")
        verbose_name_plural = _("预约记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class Rating(models.Model):
    """好差评 of one booking (国办发〔2019〕51号: five levels, one rating per service act)."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("非常满意")
        SATISFIED = 4, _("满意")
        BASIC = 3, _("基本满意")
        DISSATISFIED = 2, _("不满意")
        VERY_DISSATISFIED = 1, _("非常不满意")

    # 差评: the two lowest levels open a follow-up.
    POOR_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)

    booking = models.OneToOneField(Booking, verbose_name=_("预约"), on_delete=models.CASCADE, related_name="rating")
    level = models.PositiveSmallIntegerField(_("评价"), choices=Level.choices)
    comment = models.TextField(_("评价内容"), blank=True)
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("服务评价")
        verbose_name_plural = _("服务评价")

    def __str__(self):
        return f"{self.booking.code} {self.get_level_display()}"

    @property
    def is_poor(self):
        return self.level in self.POOR_LEVELS


class FollowUp(models.Model):
    """差评整改: the department looks into a poor rating and tells the person the outcome."""

    class State(models.TextChoices):
        OPEN = "open", _("整改中")
        CLOSED = "closed", _("已反馈")

    rating = models.OneToOneField(Rating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="follow_up")
    department = models.ForeignKey(
        "portal.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("整改期限"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.TextField(_("整改情况"), blank=True)
    closed_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")

    def __str__(self):
        return f"{self.rating.booking.code} {self.get_state_display()}"


class Suspension(models.Model):
    """Online booking suspended after repeated no-shows (爽约), from `starts_on` to `ends_on`
    inclusive, unless lifted on appeal."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="booking_suspensions"
    )
    starts_on = models.DateField(_("暂停开始日期"))
    ends_on = models.DateField(_("暂停截止日期"))
    reason = models.TextField(_("暂停原因"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    lifted_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("预约暂停")
        verbose_name_plural = _("预约暂停")

    def __str__(self):
        return f"{self.user} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class Appeal(models.Model):
    """The person's appeal (申诉) against a suspension, decided by service-centre staff."""

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        GRANTED = "granted", _("申诉成立，已解除暂停")
        REJECTED = "rejected", _("申诉不成立")

    suspension = models.ForeignKey(
        Suspension, verbose_name=_("预约暂停"), on_delete=models.CASCADE, related_name="appeals"
    )
    reason = models.TextField(_("申诉理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decision = models.TextField(_("处理意见"), blank=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("爽约申诉")
        verbose_name_plural = _("爽约申诉")
        constraints = [
            models.UniqueConstraint(
                fields=["suspension"], condition=Q(state="pending"), name="appointments_one_pending_appeal"
            )
        ]

    def __str__(self):
        return f"{self.suspension} {self.get_state_display()}"


class SuspensionEvent(models.Model):
    """Append-only history of a suspension and its appeals."""

    class Action(models.TextChoices):
        SUSPENDED = "suspended", _("暂停在线预约")
        APPEALED = "appealed", _("提交申诉")
        APPEAL_GRANTED = "appeal_granted", _("申诉成立，解除暂停")
        APPEAL_REJECTED = "appeal_rejected", _("申诉不成立")

    suspension = models.ForeignKey(Suspension, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["suspension", "at", "pk"]
        verbose_name = _("预约暂停记录")
        verbose_name_plural = _("预约暂停记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
