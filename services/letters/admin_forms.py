"""Forms of the officials' desk; each feeds one workflow function."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Department

from .models import LetterType, Status


class FilterForm(forms.Form):
    FLAGS = [("", _("全部")), ("due_soon", _("即将到期")), ("overdue", _("已超期")), ("red", _("超过三个月未答复"))]

    q = forms.CharField(label=_("搜索"), required=False)
    status = forms.ChoiceField(label=_("状态"), choices=[("", _("全部"))] + Status.choices, required=False)
    letter_type = forms.ChoiceField(label=_("类型"), choices=[("", _("全部"))] + LetterType.choices, required=False)
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.all(), required=False)
    flag = forms.ChoiceField(label=_("期限"), choices=FLAGS, required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label=_("承办部门"), queryset=Department.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    instructions = forms.CharField(label=_("转办意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("承办期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if letter is not None and letter.is_report and letter.accused_department_id:
            field = self.fields["departments"]
            field.queryset = Department.objects.exclude(pk=letter.accused_department_id)
            field.error_messages["invalid_choice"] = _("举报信件不得转给被举报单位办理。")


class DraftForm(forms.Form):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}))


class ApproveForm(forms.Form):
    reply = forms.CharField(label=_("答复内容（可修改）"), required=False, widget=forms.Textarea(attrs={"rows": 8}))


class DecideExtensionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("审批"), choices=[("1", _("批准延期")), ("0", _("不批准"))], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label=_("意见"), required=False)


class SuperviseForm(forms.Form):
    department = forms.ModelChoiceField(label=_("督办部门"), queryset=Department.objects.none())
    content = forms.CharField(label=_("督办意见"), widget=forms.Textarea(attrs={"rows": 3}))
    due_on = forms.DateField(label=_("督办期限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, letter=None, **kwargs):
        super().__init__(*args, **kwargs)
        if letter is not None:
            self.fields["department"].queryset = Department.objects.filter(
                pk__in=letter.assignments.filter(current=True).values("department")
            )


class PublicVersionForm(forms.Form):
    title = forms.CharField(label=_("公开标题"), max_length=100)
    content = forms.CharField(label=_("公开内容"), widget=forms.Textarea(attrs={"rows": 6}))
    reply = forms.CharField(label=_("公开答复"), widget=forms.Textarea(attrs={"rows": 6}))


class ExportForm(forms.Form):
    period = forms.ChoiceField(label=_("统计周期"), choices=[("month", _("月度")), ("quarter", _("季度"))])
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("月份或季度"), min_value=1, max_value=12)

    def clean(self):
        data = super().clean()
        if data.get("period") == "quarter" and data.get("number", 0) > 4:
            self.add_error("number", _("季度应为1到4。"))
        return data
