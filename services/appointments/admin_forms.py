from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from portal.forms import ReasonForm

from .models import Booking, Slot


class DaySheetFilter(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    service = forms.ModelChoiceField(label=_("事项"), queryset=None, required=False, empty_label=_("全部事项"))

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("预约码"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
        error_messages={"required": _("请输入预约码。")},
    )


class CloseForm(ReasonForm):
    reason_label = _("停办原因")

    slot = forms.ChoiceField(label=_("停办范围"), required=False)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("全天"))] + [
            (slot.key, f"{timezone.localtime(slot.starts_at):%H:%M}—{timezone.localtime(slot.ends_at):%H:%M}")
            for slot in slots
        ]


class FollowUpForm(forms.Form):
    outcome = forms.CharField(
        label=_("核实和整改情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("该内容将通过短信或邮件反馈给评价人。"),
    )


class AppealDecisionForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("1", _("申诉成立，解除暂停")), ("0", _("申诉不成立，维持暂停"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class ReceptionDayForm(WagtailAdminModelForm):
    """A reception day that people have booked keeps its date and hours: moving it would
    leave their bookings at a time the leader is not there. Staff close the day instead
    (预约工作台 → 停办), which tells everyone booked."""

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and any(name in self.changed_data for name in ("date", "starts_at", "ends_at", "service")):
            booked = Booking.objects.filter(
                slot__in=Slot.objects.filter(reception_day=instance), state__in=Booking.ACTIVE_STATES
            ).count()
            if booked:
                raise ValidationError(
                    _(
                        "已有%(count)s人预约该接访日，不能修改日期、时间或事项。如需取消，请在预约工作台停办该日，系统会通知预约人。"
                    )
                    % {"count": booked}
                )
        return cleaned
