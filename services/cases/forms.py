from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.pii import validate_id_number


class CaptchaInput(CaptchaTextInput):
    """The captcha with a Chinese text alternative for its image (the package's says "captcha")."""

    template_name = "cases/widgets/captcha.html"


class CaseQueryForm(forms.Form):
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
    captcha = CaptchaField(
        label=_("验证码"),
        widget=CaptchaInput,
        help_text=_("看不清可刷新页面更换一张。"),
        error_messages={"invalid": _("验证码不正确，请重新输入。")},
    )
