from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.captcha import CaptchaField, CaptchaFormMixin
from portal.forms import ReasonForm
from portal.pii import validate_id_number

from . import lockout
from .models import LawyerProfile
from .uploads import validate_certificate_scan


class LoginForm(CaptchaFormMixin, allauth_forms.LoginForm):
    """Asks for a captcha once this address or this account has failed to sign in repeatedly."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("手机号码、电子邮箱或用户名")
        self.fields["login"].widget.attrs["placeholder"] = ""
        if self.request is not None and self.needs_captcha():
            self.fields["captcha"] = CaptchaField()

    def needs_captcha(self):
        login = self.data.get("login") if self.is_bound else None
        return lockout.failures(self.request, login) >= settings.ACCOUNTS_LOGIN_CAPTCHA_AFTER


class SignupForm(CaptchaFormMixin, allauth_forms.SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["phone"].label = _("手机号码")
        self.fields["phone"].help_text = _("用于登录和接收短信验证码。")
        self.fields["email"].label = _("电子邮箱（选填）")
        self.fields["captcha"] = CaptchaField()


class ResetPasswordForm(CaptchaFormMixin, allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("注册时填写的电子邮箱")
        self.fields["captcha"] = CaptchaField()


class RequestLoginCodeForm(CaptchaFormMixin, allauth_forms.RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("手机号码")
        self.fields["email"].label = _("电子邮箱")
        self.fields["email"].help_text = _("没有绑定手机号码的账号填写电子邮箱，二者填一项即可。")
        self.fields["captcha"] = CaptchaField()


class RealNameForm(forms.Form):
    real_name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=32,
        help_text=_("18位居民身份证号码。本网站只保存其加密摘要和脱敏显示形式，不保存完整号码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_real_name(self):
        name = self.cleaned_data["real_name"].strip()
        if len(name) < 2:
            raise ValidationError(_("请填写身份证上的姓名。"))
        return name

    def clean_id_number(self):
        return validate_id_number(self.cleaned_data["id_number"])


class LawyerApplicationForm(forms.ModelForm):
    class Meta:
        model = LawyerProfile
        fields = ["certificate_no", "law_firm", "certificate_scan"]
        help_texts = {
            "certificate_no": _("律师执业证上的17位执业证号。"),
            "certificate_scan": _("执业证扫描件或照片，PDF、JPG或PNG格式，不超过5MB。仅您本人和审核人员可以查看。"),
        }

    def clean_certificate_no(self):
        value = self.cleaned_data["certificate_no"].strip()
        if not (len(value) == 17 and value.isdigit()):
            raise ValidationError(_("执业证号应为17位数字。"))
        return value

    def clean_certificate_scan(self):
        scan = self.cleaned_data.get("certificate_scan")
        validate_certificate_scan(scan)
        return scan


class RejectLawyerForm(ReasonForm):
    reason_label = _("未通过原因")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("当前密码"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("密码不正确。"))
        return password
