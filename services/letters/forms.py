"""Public forms: writing a letter, looking one up, rating and asking for re-handling."""

import filetype
from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from portal.captcha import CaptchaField, CaptchaFormMixin
from portal.models import Department
from portal.pii import validate_id_number, validate_mobile
from portal.validators import validate_visible_text

from . import conf
from .models import LetterType, Mailbox, Rating, Topic


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def attachment_help():
    return _("最多%(n)s个文件，每个不超过%(mb)sMB，支持JPG、PNG、PDF。") % {
        "n": conf.setting("LETTERS_ATTACHMENT_MAX_COUNT"),
        "mb": conf.setting("LETTERS_ATTACHMENT_MAX_BYTES") // (1024 * 1024),
    }


def check_attachments(files, kept=0):
    """The letter attachment rules, for the writer's letter and the department's reply alike: at
    most LETTERS_ATTACHMENT_MAX_COUNT files with the `kept` ones already attached, each within
    LETTERS_ATTACHMENT_MAX_BYTES and of an allowed type read from its content (the name is set to
    match). Returns [(upload, content type)]."""
    limit = conf.setting("LETTERS_ATTACHMENT_MAX_COUNT")
    if len(files) + kept > limit:
        raise ValidationError(_("附件最多%(n)s个。") % {"n": limit})
    allowed = conf.setting("LETTERS_ATTACHMENT_TYPES")
    checked = []
    for upload in files:
        if upload.size > conf.setting("LETTERS_ATTACHMENT_MAX_BYTES"):
            raise ValidationError(_("附件“%(name)s”超过大小限制。") % {"name": upload.name})
        head = upload.read(2048)
        upload.seek(0)
        kind = filetype.guess(head)
        if kind is None or kind.mime not in allowed:
            raise ValidationError(
                _("附件“%(name)s”的文件类型不受支持（按文件内容识别），请上传JPG、PNG或PDF文件。")
                % {"name": upload.name}
            )
        extension = allowed[kind.mime]
        stem = upload.name.rsplit(".", 1)[0][:80] or "attachment"
        upload.name = f"{stem}.{extension}"
        checked.append((upload, kind.mime))
    return checked


def plain_text(value, label):
    """Reject markup and invisible formatting instead of silently storing or stripping them."""
    validate_visible_text(value)
    if strip_tags(value) != value:
        raise ValidationError(_("%(f)s不能包含HTML标记或脚本代码。") % {"f": label})
    return value


class LetterForm(CaptchaFormMixin, forms.Form):
    mailbox = forms.ModelChoiceField(
        label=_("写信给"), queryset=Mailbox.objects.filter(is_active=True), empty_label=None
    )
    letter_type = forms.ChoiceField(label=_("信件类型"), choices=LetterType.choices)
    topic = forms.ChoiceField(label=_("主题分类"), choices=Topic.choices)
    title = forms.CharField(label=_("标题"))
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 10}))
    accused_department = forms.ModelChoiceField(
        label=_("被举报单位"),
        queryset=Department.objects.all(),
        required=False,
        help_text=_("仅举报信件填写；举报信件不会转给被举报单位，也不会公开。"),
    )
    is_anonymous = forms.BooleanField(
        label=_("匿名来信"), required=False, help_text=_("仅咨询、建议可匿名，凭信件编号和查询密码查询答复。")
    )
    writer_name = forms.CharField(label=_("姓名"), max_length=20, required=False)
    phone = forms.CharField(
        label=_("手机号码"),
        max_length=11,
        required=False,
        help_text=_("供工作人员联系您。登录并验证手机号码后写信，还可收到办理进度短信。"),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    address = forms.CharField(label=_("联系地址"), max_length=100, required=False)
    consent_publish = forms.BooleanField(
        label=_("同意公开"),
        required=False,
        help_text=_("同意后，去除个人信息的信件内容和答复可能在网站上公开。举报信件一律不公开。"),
    )
    attachments = MultipleFileField(label=_("附件"), required=False)
    captcha = CaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["maxlength"] = conf.setting("LETTERS_TITLE_MAX")
        self.fields["content"].widget.attrs["maxlength"] = conf.setting("LETTERS_CONTENT_MAX")
        self.fields["attachments"].help_text = attachment_help()
        for field in self.fields.values():
            field.error_messages.setdefault("required", _("此项为必填项。"))
            field.error_messages["required"] = _("请填写%(f)s。") % {"f": field.label}

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("请填写标题。"))
        limit = conf.setting("LETTERS_TITLE_MAX")
        if len(title) > limit:
            raise ValidationError(_("标题不能超过%(limit)s字（当前%(n)s字）。") % {"limit": limit, "n": len(title)})
        return plain_text(title, _("标题"))

    def clean_content(self):
        content = self.cleaned_data["content"].strip()
        limit = conf.setting("LETTERS_CONTENT_MAX")
        if len(content) < 10:
            raise ValidationError(_("内容太短，请至少写10个字，说清楚事由。"))
        if len(content) > limit:
            raise ValidationError(_("内容不能超过%(limit)s字（当前%(n)s字）。") % {"limit": limit, "n": len(content)})
        return plain_text(content, _("内容"))

    def clean_writer_name(self):
        return plain_text(self.cleaned_data["writer_name"].strip(), _("姓名"))

    def clean_address(self):
        return plain_text(self.cleaned_data["address"].strip(), _("联系地址"))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        return validate_mobile(phone) if phone else ""

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip()
        return validate_id_number(value) if value else ""

    def clean_attachments(self):
        return check_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self):
        data = super().clean()
        letter_type = data.get("letter_type")
        anonymous = data.get("is_anonymous")
        if anonymous and letter_type and letter_type not in conf.setting("LETTERS_ANONYMOUS_TYPES"):
            self.add_error(
                "is_anonymous", _("%(t)s信件需要实名，请填写姓名和手机号码。") % {"t": LetterType(letter_type).label}
            )
        if not anonymous or (letter_type and letter_type not in conf.setting("LETTERS_ANONYMOUS_TYPES")):
            if not data.get("writer_name") and "writer_name" not in self.errors:
                self.add_error("writer_name", _("请填写姓名。"))
            if not data.get("phone") and "phone" not in self.errors:
                self.add_error("phone", _("请填写手机号码。"))
        if anonymous and not self.errors:
            for name in ("writer_name", "phone", "email", "id_number", "address"):
                data[name] = ""
        if letter_type != LetterType.REPORT:
            data["accused_department"] = None
        return data


class LookupForm(forms.Form):
    tracking_no = forms.CharField(label=_("信件编号"), max_length=20)
    password = forms.CharField(label=_("查询密码"), max_length=20, widget=forms.PasswordInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_no"].error_messages["required"] = _("请填写信件编号。")
        self.fields["password"].error_messages["required"] = _("请填写查询密码。")


class ReissuePasswordForm(CaptchaFormMixin, forms.Form):
    tracking_no = forms.CharField(label=_("信件编号"), max_length=20)
    phone = forms.CharField(
        label=_("来信时填写的手机号码"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )
    captcha = CaptchaField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_no"].error_messages["required"] = _("请填写信件编号。")
        self.fields["phone"].error_messages["required"] = _("请填写来信时填写的手机号码。")

    def clean_phone(self):
        return validate_mobile(self.cleaned_data["phone"].strip())


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label=_("评价"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].error_messages["required"] = _("请选择评价结果。")


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("重办理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("请说明申请重办的理由。")
