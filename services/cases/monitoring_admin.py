"""Staff screens for time-limit monitoring (案件期限监测): the list with its Excel export, and
the per-stage settings (阶段期限设置) it is computed from. Rules: `monitoring.py`."""

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from portal.exports import xlsx_response
from portal.http import require_permission

from .models import StageTimeLimit
from .monitoring import (
    MONITOR_TIME_LIMITS,
    STATES,
    export_workbook,
    fast_planning,
    monitored_cases,
    offices_with_monitored_cases,
    standing,
)

PAGE_SIZE = 50


class StageTimeLimitViewSet(ModelViewSet):
    model = StageTimeLimit
    icon = "time"
    menu_label = _("阶段期限设置")
    menu_order = 907
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    form_fields = ["stage", "limit_months", "limit_days", "extension_days", "warning_days", "restart_events", "basis"]
    list_display = ["stage", "limit_months", "limit_days", "extension_days", "warning_days", "restart_events"]


class MonitoringFilterForm(forms.Form):
    case_number = forms.CharField(label=_("案件编号"), required=False, max_length=100)
    office = forms.ChoiceField(label=_("承办部门"), required=False)
    state = forms.ChoiceField(
        label=_("期限状态"), required=False, choices=[("", _("全部")), *((k, v) for k, v in STATES.items())]
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].choices = [("", _("全部")), *((office, office) for office in offices)]


def _filters(request, today):
    """The filter form and the valid filters (an unknown office or state filters nothing)."""
    state = request.GET.get("state", "")
    offices = offices_with_monitored_cases(today, state=state if state in STATES else "")
    form = MonitoringFilterForm(request.GET or None, offices=offices)
    if form.is_bound and form.is_valid():
        return form, {key: form.cleaned_data[key] for key in ("office", "state", "case_number")}
    return form, {}


def time_limit_list(request):
    """Open cases near or past their deadline, most overdue first, with the days left."""
    require_permission(request, MONITOR_TIME_LIMITS)
    today = timezone.localdate()
    with fast_planning():
        form, filters = _filters(request, today)
        page = Paginator(monitored_cases(today, **filters), PAGE_SIZE).get_page(request.GET.get("p"))
        rows = [(case, standing(case, today)) for case in page]
    return TemplateResponse(
        request,
        "cases/admin/time_limit_list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rows,
            "today": today,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
        },
    )


def time_limit_export(request):
    """The same list, every page, as an Excel file."""
    require_permission(request, MONITOR_TIME_LIMITS)
    today = timezone.localdate()
    with fast_planning():
        _form, filters = _filters(request, today)
        content = export_workbook(monitored_cases(today, **filters), today)
    return xlsx_response(content, f"案件期限监测-{today:%Y%m%d}.xlsx")
