import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.captcha import CaptchaField, CaptchaFormMixin
from portal.validators import validate_one_line

from .models import Rating
from .schedule import parse_slot_key


class SlotField(forms.CharField):
    """A slot key (rendered as radio buttons per day by the template); its time or None."""

    default_error_messages = {"required": _("请选择预约时段。")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        starts_at = parse_slot_key(value)
        if starts_at is None:
            raise ValidationError(_("所选时段无效，请重新选择。"), code="invalid")
        return starts_at


class BookingForm(CaptchaFormMixin, forms.Form):
    """Booking a slot: who comes, on which case (阅卷、会见) or about what (领导接访), and a
    captcha. The hidden key makes a second submission of the same form find the first booking."""

    slot = SlotField(label=_("预约时段"))
    name = forms.CharField(
        label=_("预约人姓名"),
        max_length=50,
        help_text=_("请填写到场办理人的真实姓名。"),
        validators=[validate_one_line],
    )
    binding = forms.ChoiceField(label=_("案件"), required=False)
    matter = forms.CharField(
        label=_("反映事项（简要）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请简要写明要向领导反映的问题和诉求，500字以内。"),
    )
    idempotency_key = forms.CharField(
        label=_("页面信息"),
        widget=forms.HiddenInput,
        max_length=64,
        error_messages=dict.fromkeys(["required", "max_length"], _("页面信息已失效，请刷新本页后重新选择时段并提交。")),
    )

    def __init__(self, *args, service, bindings=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)
        self.service = service
        if service.needs_case:
            self.fields["binding"].required = True
            self.fields["binding"].choices = [("", _("请选择已获准绑定的案件"))] + [
                (str(binding.pk), f"{binding.case.case_number} {binding.case.name}") for binding in bindings
            ]
            self.fields["binding"].error_messages.update(
                required=_("请选择您已获准绑定的案件。"), invalid_choice=_("请选择您已获准绑定的案件。")
            )
        else:
            del self.fields["binding"]
        if service.is_reception:
            self.fields["matter"].required = True
            self.fields["matter"].error_messages["required"] = _("请简要填写要反映的事项。")
        else:
            del self.fields["matter"]
        self.fields["captcha"] = CaptchaField()


class RescheduleForm(forms.Form):
    slot = SlotField(label=_("新的预约时段"))


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("本次服务评价"),
        choices=Rating.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择评价等级。")},
    )
    comment = forms.CharField(
        label=_("评价内容（选择不满意或非常不满意时必填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("申诉理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("请写明未能到场的原因，如有证明材料请在到窗口办理时出示。"),
        error_messages={"required": _("请写明申诉理由。")},
    )
