"""Forms of the officials' desk; each feeds one workflow function."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Department
from portal.pii import validate_mobile
from portal.validators import validate_visible_text

from .forms import LetterForm, MultipleFileField, attachment_help, check_attachments
from .models import Channel, LetterType, Mailbox, Status
from .worklist import TODOS


class DateInput(forms.DateInput):
    """A browser date picker; its value must be ISO (yyyy-mm-dd) or the browser drops it."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FilterForm(forms.Form):
    OPEN, ALL = "", "all"
    FLAGS = [
        ("", _("全部")),
        ("due_soon", _("即将到期")),
        ("overdue", _("已超期")),
        ("red", _("超过三个月未答复")),
        ("supervised", _("督办中")),
        ("supervision_overdue", _("督办超期")),
    ]
    DUE = [("", _("不限")), ("week", _("本周到期")), ("seven", _("7日内到期"))]

    q = forms.CharField(label=_("搜索"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=[(OPEN, _("未办结")), (ALL, _("全部"))] + Status.choices, required=False
    )
    letter_type = forms.ChoiceField(label=_("类型"), choices=[("", _("全部"))] + LetterType.choices, required=False)
    department = forms.ModelChoiceField(
        label=_("承办部门"), queryset=Department.objects.all(), required=False, empty_label=_("全部")
    )
    due = forms.ChoiceField(label=_("到期"), choices=DUE, required=False)
    due_after = forms.DateField(label=_("期限自"), required=False, widget=DateInput())
    due_before = forms.DateField(label=_("期限至"), required=False, widget=DateInput())
    flag = forms.ChoiceField(label=_("提醒"), choices=FLAGS, required=False)
    todo = forms.ChoiceField(label=_("待办"), choices=[("", _("全部"))] + list(TODOS.items()), required=False)
    writer = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("due_after") and data.get("due_before") and data["due_after"] > data["due_before"]:
            self.add_error("due_before", _("结束日期不能早于开始日期。"))
        return data


class PhoneSearchForm(forms.Form):
    phone = forms.CharField(label=_("来信人手机号码"), max_length=11)

    def clean_phone(self):
        return validate_mobile(self.cleaned_data["phone"])


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("承办部门"), queryset=Department.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    instructions = forms.CharField(label=_("转办意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("承办期限"), required=False, widget=DateInput())

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if letter is not None and letter.is_report and letter.accused_department_id:
            field = self.fields["departments"]
            field.queryset = Department.objects.exclude(pk=letter.accused_department_id)
            field.error_messages["invalid_choice"] = _("举报信件不得转给被举报单位办理。")


class DraftForm(forms.Form):
    """The handling department's reply: the text, and attachments under the letters' rules."""

    text = forms.CharField(
        label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}), validators=[validate_visible_text]
    )
    attachments = MultipleFileField(label=_("答复附件"), required=False)
    remove = forms.ModelMultipleChoiceField(
        label=_("删除已上传的附件"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.fields["text"].error_messages["required"] = _("请填写答复内容。")
        self.fields["attachments"].help_text = attachment_help()
        self.fields["remove"].queryset = assignment.reply_attachments.all()
        if not self.fields["remove"].queryset.exists():
            del self.fields["remove"]

    def clean(self):
        data = super().clean()
        if "attachments" in data:
            removed = [item.pk for item in data.get("remove") or []]
            kept = self.assignment.reply_attachments.exclude(pk__in=removed).count()
            try:
                data["attachments"] = check_attachments(data["attachments"], kept=kept)
            except ValidationError as error:
                self.add_error("attachments", error)
        return data


class ApproveForm(forms.Form):
    reply = forms.CharField(
        label=_("答复内容（可修改）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        validators=[validate_visible_text],
    )


class DecideExtensionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"), choices=[("1", _("批准延期")), ("0", _("不批准"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label=_("意见"), required=False)


class SuperviseForm(forms.Form):
    department = forms.ModelChoiceField(label=_("督办部门"), queryset=Department.objects.none())
    content = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("督办期限"), widget=DateInput())

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if letter is not None:
            self.fields["department"].queryset = Department.objects.filter(
                pk__in=letter.assignments.filter(current=True).values("department")
            )


class PublicVersionForm(forms.Form):
    # What these say reaches the public letters list: no invisible characters that change how it reads.
    title = forms.CharField(label=_("公开标题"), max_length=100, validators=[validate_visible_text])
    content = forms.CharField(
        label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}), validators=[validate_visible_text]
    )
    reply = forms.CharField(
        label=_("公开答复"), widget=forms.Textarea(attrs={"rows": 6}), validators=[validate_visible_text]
    )


class ExportForm(forms.Form):
    period = forms.ChoiceField(label=_("统计周期"), choices=[("month", _("月度")), ("quarter", _("季度"))])
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("月份或季度"), min_value=1, max_value=12)

    def clean(self):
        data = super().clean()
        if data.get("period") == "quarter" and data.get("number", 0) > 4:
            self.add_error("number", _("季度应为1到4。"))
        return data


class SupervisionAnswerForm(forms.Form):
    answer = forms.CharField(label=_("督办回复"), widget=forms.Textarea(attrs={"rows": 3}))


class EntryForm(LetterForm):
    """A letter received by post, telephone or visit, typed in by a mailbox official."""

    channel = forms.ChoiceField(
        label=_("来信渠道"), choices=[c for c in Channel.choices if c[0] != Channel.WEB], initial=Channel.POST
    )
    received_on = forms.DateField(label=_("收到日期"), widget=DateInput(), help_text=_("办理期限从收到之日起计算。"))
    field_order = ["channel", "received_on", "mailbox"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["captcha"]
        if not user.is_superuser:
            self.fields["mailbox"].queryset = Mailbox.objects.filter(is_active=True, officials=user)
        self.fields["phone"].help_text = _("来信人的联系电话，工作人员回复时使用。")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("收到日期不能晚于今天。"))
        return day
