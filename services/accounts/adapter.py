"""django-allauth adapter: mobile numbers on the user model, codes sent through portal.sms."""

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from portal.sms import send_sms

from .phone import MobileField, normalise_mobile


class AccountAdapter(DefaultAccountAdapter):
    def phone_form_field(self, **kwargs):
        return MobileField(**kwargs)

    def clean_phone(self, phone):
        return phone

    def _sign(self, text):
        return f"【{settings.SMS_SIGN_NAME}】{text}"

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        minutes = account_settings.PHONE_VERIFICATION_TIMEOUT // 60
        text = _("您的验证码是%(code)s，%(minutes)s分钟内有效。工作人员不会向您索取验证码，请勿告诉他人。") % {
            "code": code,
            "minutes": minutes,
        }
        send_sms(phone, self._sign(text))

    def send_unknown_account_sms(self, phone, **kwargs):
        send_sms(
            phone, self._sign(_("有人使用本手机号码申请验证码，但该号码尚未注册本网站账号。如非本人操作，请忽略。"))
        )

    def send_account_already_exists_sms(self, phone):
        send_sms(phone, self._sign(_("有人尝试用本手机号码注册账号，但该号码已注册。如忘记密码，请使用“找回密码”。")))

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone(self, user, phone, verified):
        user.phone = phone
        user.phone_verified = verified
        if user.pk:
            user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user, phone):
        self.set_phone(user, phone, True)

    def get_user_by_phone(self, phone):
        number = normalise_mobile(phone)
        if not number:
            return None
        return get_user_model().objects.filter(phone=number, is_active=True).first()
