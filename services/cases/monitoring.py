"""Time-limit monitoring (案件期限监测): the open cases whose deadline is near or past.

The rules, in one place:

- **Concluded** cases are never listed: a case is concluded when its current stage is one of
  `CONCLUDED_STAGES` or it has a `结案` event.
- **Deadline.** The time limit the case-management system sends (`Case.time_limit_on`) is
  used as it is: that system counts its own extensions and restarts, so the portal does not
  second-guess it. Without one, the deadline is computed from the `StageTimeLimit` of the
  case's current stage: stage start + limit months + limit days + (number of `延长审查期限`
  events dated on or after the stage start) × extension days. The stage starts on the
  acceptance date, or on the latest event among the stage's restart events (e.g. the case
  coming back after 退回补充侦查) when that is later. Limits are calendar days and calendar
  months as in criminal procedure (刑事诉讼法第一百零五条): the start day does not count, a
  month ends on the same day of the next month (or that month's last day when it is shorter).
  No holiday shift is applied, so the screen never warns later than the law requires. Nothing
  here counts working days, so a year missing from the holiday calendar (`portal.workdays`)
  never makes a case deadline provisional.
- **Listed** are open cases with a deadline (sent or computed) that is past or within the
  warning days of their stage (`StageTimeLimit.warning_days`, or `DEFAULT_WARNING_DAYS` for a
  case whose stage has no setting but whose source sent a time limit). Cases in a stage with no
  setting and no time limit from the source are not monitored.
- **Days left** = deadline − today; negative means overdue by that many days.

Everything is computed in one SQL query (deadlines annotated in the database) so the list
stays fast with a million cases; the partial indexes of migration 0003 serve its filters.
"""

import datetime
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import NotSupportedError, connection, transaction
from django.db.models import Case as Switch
from django.db.models import Count, DateField, Exists, F, Func, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from portal.exports import xlsx_bytes

from .models import Case, CaseEvent, StageTimeLimit
from .records import normalise_case_number

MONITOR_TIME_LIMITS = "cases.monitor_time_limits"
# Stage names the source uses for a finished case. The partial index of migration 0003 repeats
# this list: change both together.
CONCLUDED_STAGES = ("结案", "已结案", "办结", "已办结", "终结", "已终结")
CONCLUDING_EVENT = "结案"
EXTENSION_EVENT = "延长审查期限"
DEFAULT_WARNING_DAYS = 3
# The shortest a calendar month can be: lets the query skip, through an index, the cases whose
# deadline cannot be near yet.
SHORTEST_MONTH_DAYS = 28

# The stage settings a new installation starts with (migration 0003 seeds a frozen copy of
# this list); staff change them in the admin (阶段期限设置).
DEFAULT_STAGE_LIMITS = (
    {
        "stage": "审查逮捕",
        "limit_days": 7,
        "warning_days": 2,
        "basis": (
            "刑事诉讼法第九十一条：犯罪嫌疑人被拘留的，人民检察院应当自接到提请批准逮捕书后"
            "七日以内作出批准逮捕或者不批准逮捕的决定。"
        ),
    },
    {
        "stage": "审查起诉",
        "limit_months": 1,
        "extension_days": 15,
        "warning_days": 5,
        "restart_events": "重新移送审查起诉",
        "basis": (
            "刑事诉讼法第一百七十二条：一个月以内作出决定，重大、复杂的案件可以延长十五日；"
            "第一百七十五条：补充侦查完毕移送后重新计算审查起诉期限。"
        ),
    },
    {
        "stage": "退回补充侦查",
        "limit_months": 1,
        "warning_days": 5,
        "restart_events": "退回补充侦查",
        "basis": "刑事诉讼法第一百七十五条：补充侦查应当在一个月以内补充侦查完毕，以二次为限。",
    },
    {
        "stage": "刑事申诉审查",
        "limit_months": 3,
        "warning_days": 10,
        "basis": "人民检察院办理刑事申诉案件规定：受理后三个月以内作出审查结论；重大、疑难、复杂案件经批准可以延长。",
    },
)

DUE_SOON, OVERDUE = "due_soon", "overdue"
STATES = {DUE_SOON: _("即将到期"), OVERDUE: _("已超期")}


class AddPeriod(Func):
    """date + N calendar months + M days, as a date. PostgreSQL clamps month ends
    (1月31日 + 1个月 = 2月28日); the embedded SQLite of local development rolls over instead."""

    output_field = DateField()
    arity = 3

    def as_sql(self, compiler, connection, **extra_context):
        (start, params_start), (months, params_months), (days, params_days) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        params = (*params_start, *params_months, *params_days)
        if connection.vendor == "postgresql":
            return f"(({start}) + make_interval(months => ({months})::int, days => ({days})::int))::date", params
        if connection.vendor == "sqlite":
            return f"date({start}, '+' || ({months}) || ' months', '+' || ({days}) || ' days')", params
        raise NotSupportedError(f"AddPeriod is not implemented for {connection.vendor}")


def _stage_start(limit, *, from_subquery=False):
    """The day the stage's period starts: acceptance, or the latest restart event if later.
    `from_subquery`: the expression is used inside a subquery on the case's events."""
    accepted = OuterRef("accepted_on") if from_subquery else F("accepted_on")
    if not limit.restart_kinds:
        return accepted
    case = OuterRef(OuterRef("pk")) if from_subquery else OuterRef("pk")
    latest_restart = Subquery(
        CaseEvent.objects.filter(case=case, kind__in=limit.restart_kinds)
        .order_by("-occurred_on")
        .values("occurred_on")[:1],
        output_field=DateField(),
    )
    return Greatest(accepted, Coalesce(latest_restart, accepted))


def _extensions_since_start(limit):
    return Coalesce(
        Subquery(
            CaseEvent.objects.filter(
                case=OuterRef("pk"), kind=EXTENSION_EVENT, occurred_on__gte=_stage_start(limit, from_subquery=True)
            )
            .order_by()
            .values("case")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def _computed_deadline(limit):
    days = Value(limit.limit_days)
    if limit.extension_days:
        days = days + _extensions_since_start(limit) * limit.extension_days
    return AddPeriod(_stage_start(limit), Value(limit.limit_months), days)


def _could_be_listed(limit, horizon):
    """An index-friendly necessary condition for a computed deadline on or before `horizon`: the
    stage starts no earlier than acceptance and extensions only add time."""
    shortest = datetime.timedelta(days=limit.limit_months * SHORTEST_MONTH_DAYS + limit.limit_days)
    return Q(time_limit_on__isnull=True, current_stage=limit.stage, accepted_on__lte=horizon - shortest)


def monitored_cases(today, *, office="", state="", case_number=""):
    """Open cases whose deadline is past or within their stage's warning days, most overdue
    first, annotated with `deadline`; `office`, `state` (DUE_SOON or OVERDUE) and `case_number`
    (all or part of it, spelt as the public case query accepts it) narrow it."""
    limits = list(StageTimeLimit.objects.all())

    def horizon(warning_days):
        # The last deadline still listed: yesterday for overdue only, else today + warning days.
        return today - datetime.timedelta(days=1) if state == OVERDUE else today + datetime.timedelta(days=warning_days)

    widest = max([DEFAULT_WARNING_DAYS, *(limit.warning_days for limit in limits)])
    candidates = Q(time_limit_on__lte=horizon(widest))
    for limit in limits:
        candidates |= _could_be_listed(limit, horizon(limit.warning_days))
    cases = (
        Case.objects.filter(candidates)
        .exclude(current_stage__in=CONCLUDED_STAGES)
        .exclude(Exists(CaseEvent.objects.filter(case=OuterRef("pk"), kind=CONCLUDING_EVENT)))
    )
    if office:
        cases = cases.filter(handling_office=office)
    number = normalise_case_number(case_number)
    if number:
        cases = cases.filter(case_number__contains=number)
    if limits:
        computed = Switch(
            *(When(current_stage=limit.stage, then=_computed_deadline(limit)) for limit in limits),
            output_field=DateField(),
        )
        last_listed = Switch(
            *(When(current_stage=limit.stage, then=Value(horizon(limit.warning_days))) for limit in limits),
            default=Value(horizon(DEFAULT_WARNING_DAYS)),
            output_field=DateField(),
        )
    else:
        computed = Value(None, output_field=DateField())
        last_listed = Value(horizon(DEFAULT_WARNING_DAYS))
    cases = cases.annotate(deadline=Coalesce("time_limit_on", computed, output_field=DateField())).filter(
        deadline__lte=last_listed
    )
    if state == DUE_SOON:
        cases = cases.filter(deadline__gte=today)
    return cases.only(
        "pk",
        "case_number",
        "name",
        "handling_office",
        "current_stage",
        "accepted_on",
        "time_limit_on",
        "is_juvenile",
        "is_secret",
    ).order_by("deadline", "case_number")


def ensure_default_stage_limits():
    """Create the default setting of each stage that has none (settings staff changed stay)."""
    created = 0
    for values in DEFAULT_STAGE_LIMITS:
        values = dict(values)
        created += StageTimeLimit.objects.get_or_create(stage=values.pop("stage"), defaults=values)[1]
    return created


@contextmanager
def fast_planning():
    """Run the monitoring queries inside this. Their correlated subqueries make PostgreSQL's cost
    estimate large enough to trigger JIT compilation, which takes ten times longer than the
    query itself (measured: 0.5 s of compiling for 50 ms of work), so JIT is off for the block."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


@dataclass(frozen=True)
class Standing:
    """Where one case stands against its deadline, in the words the screen and export use."""

    days_left: int

    @property
    def state(self):
        return OVERDUE if self.days_left < 0 else DUE_SOON

    @property
    def label(self):
        if self.days_left < 0:
            return _("已超期 %(days)s 天") % {"days": -self.days_left}
        if self.days_left == 0:
            return _("今日到期")
        return _("剩余 %(days)s 天") % {"days": self.days_left}


def standing(case, today):
    return Standing(days_left=(case.deadline - today).days)


def offices_with_monitored_cases(today, *, state=""):
    """The handling offices that have at least one listed case (the office filter's choices)."""
    return list(
        monitored_cases(today, state=state)
        .order_by()
        .values_list("handling_office", flat=True)
        .distinct()
        .order_by("handling_office")
    )


EXPORT_COLUMNS = (
    _("案件编号"),
    _("案件名称"),
    _("承办部门"),
    _("当前阶段"),
    _("受理日期"),
    _("办理期限"),
    _("期限来源"),
    _("剩余天数"),
    _("期限状态"),
    _("办理期限情况"),
)


def export_workbook(cases, today):
    """The listed cases as an .xlsx file (bytes): case facts only, no party personal data."""

    def rows():
        for case in cases.iterator(chunk_size=2000):
            standing_ = standing(case, today)
            yield (
                case.case_number,
                case.name,
                case.handling_office,
                case.current_stage,
                case.accepted_on,
                case.deadline,
                _("案件管理系统") if case.time_limit_on else _("按阶段期限设置计算"),
                standing_.days_left,
                STATES[standing_.state],
                standing_.label,
            )

    return xlsx_bytes(_("案件期限监测"), EXPORT_COLUMNS, rows(), widths=(26, 24, 14, 12, 12, 12, 18, 10, 10, 14))
