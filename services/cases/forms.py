from django import forms
from django.utils.translation import gettext_lazy as _

from portal.captcha import CaptchaField, CaptchaFormMixin
from portal.forms import ReasonForm
from portal.pii import validate_id_number

from .models import LawyerBinding


class CaseQueryForm(CaptchaFormMixin, forms.Form):
    case_number = forms.CharField(
        label=_("案件编号"), max_length=100, help_text=_("例如：青山检刑受〔2026〕12号，以受理通知或告知书为准。")
    )
    party_name = forms.CharField(label=_("当事人姓名"), max_length=100)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        validators=[validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    captcha = CaptchaField()


class BindingRequestForm(forms.Form):
    case_number = forms.CharField(label=_("案件编号"), max_length=100, help_text=_("例如：青山检刑受〔2026〕12号"))
    role = forms.ChoiceField(label=_("诉讼身份"), choices=LawyerBinding.Role.choices)
    letter_kind = forms.ChoiceField(label=_("授权文书类型"), choices=LawyerBinding.LetterKind.choices)
    letter = forms.FileField(
        label=_("委托书或法律援助公函"), help_text=_("PDF、JPG或PNG格式，不超过5 MB。"), required=False
    )
    firm_letter = forms.FileField(
        label=_("律师事务所函"), help_text=_("PDF、JPG或PNG格式，不超过5 MB。"), required=False
    )


class RejectBindingForm(ReasonForm):
    reason_label = _("未通过原因")


class RevokeBindingForm(ReasonForm):
    reason_label = _("撤销原因")


class ApproveDocumentForm(forms.Form):
    public_text = forms.CharField(
        label=_("公开版本"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("可直接修改。提交前系统会再次检查姓名、身份证号、电话、银行账号、住址和健康信息。"),
        error_messages={"required": _("公开版本不能为空。")},
    )
    basis = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kept_names = forms.MultipleChoiceField(
        label=_("确认不是需要隐名的姓名"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "规则根据诉讼身份词识别出的词语中，如有律师姓名或误识别的普通词语，请在公开版本中恢复原文，"
            "并在此勾选确认；当事人名单中的姓名不能保留。"
        ),
    )

    def __init__(self, *args, flagged=(), **kwargs):
        super().__init__(*args, **kwargs)
        originals = dict.fromkeys(change.original for change in flagged)
        self.fields["kept_names"].choices = [(original, original) for original in originals]
        if not originals:
            del self.fields["kept_names"]


class ReturnDocumentForm(ReasonForm):
    reason_label = _("退回原因")


class WithdrawDocumentForm(ReasonForm):
    reason_label = _("撤回原因")
