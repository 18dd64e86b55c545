"""Admin form of articles: drafts may be incomplete, but nothing is submitted for review (or
approved) until the editorial record the county rules ask for is complete; an article under review
is not changed through the form by anyone; the 敏感信息 mark, once given, stays."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.forms import TaskStateCommentForm

from portal.service_registry import service_choices

SENSITIVE_COLUMN = _("所在栏目为敏感栏目，栏目内的信息一律按敏感信息审核（含县政府办公室、县政府领导审核）。")


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .review import columns_above, was_ever_sensitive

        self._mark_required_for_submission()
        if "is_sensitive" not in self.fields:
            return
        # A revert shows the old revision; the mark it may lack is shown as it stays.
        if was_ever_sensitive(self.instance):
            self.initial["is_sensitive"] = True
        # In a sensitive column every item is reviewed as sensitive: the box shows it, fixed.
        where = self.parent_page if self.parent_page is not None else self.instance
        if any(column.is_sensitive for column in columns_above(where)):
            field = self.fields["is_sensitive"]
            field.disabled = True
            field.help_text = SENSITIVE_COLUMN
            self.initial["is_sensitive"] = True

    def clean(self):
        from .review import column_of, metadata_errors

        cleaned_data = super().clean()
        self._refuse_changes_under_review()
        self._keep_sensitive_flag(cleaned_data)
        if self.is_deferred_validation:
            # "Save draft": required fields are deferred, so is the editorial record.
            return cleaned_data
        column = column_of(self.parent_page) if self.parent_page else None
        is_disclosure = bool(column and column.is_disclosure)
        for field, message in metadata_errors(cleaned_data, is_disclosure=is_disclosure).items():
            if field not in self.errors:
                self.add_error(field, message)
        if cleaned_data.get("validity") == "amended" and not cleaned_data.get("superseded_by"):
            if "superseded_by" not in self.errors:
                self.add_error("superseded_by", _("已修订的文件须选择现行版本（修订后的文件）。"))
        return cleaned_data

    def _mark_required_for_submission(self):
        """The editorial record every submission needs is marked required on the form. Wagtail
        defers required fields when a draft is saved, so a draft may still be incomplete."""
        from .review import REQUIRED_ALWAYS, REQUIRED_FOR_DISCLOSURE, column_of

        column = column_of(self.parent_page) if self.parent_page else None
        required = REQUIRED_ALWAYS + (REQUIRED_FOR_DISCLOSURE if column and column.is_disclosure else ())
        for name, message in required:
            if name in self.fields:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = message

    def _refuse_changes_under_review(self):
        """A reviewer approving or sending back from the edit screen may not change the item on the
        way (withdrawing the review is the submitter's way to change it)."""
        from .review import UNDER_REVIEW, review_in_progress

        if self.data.get("action-cancel-workflow") or not self.instance.pk:
            return
        if review_in_progress(self.instance) is not None and self.has_changed():
            raise ValidationError(UNDER_REVIEW)

    def has_changed(self):
        """Compared with the saved values themselves (Wagtail decides with this whether an action
        saves a new revision): Django's own test would trust the hidden "initial-" inputs a client
        posts for fields with callable defaults, such as the date."""
        for _name, bound in self._bound_items():
            if bound.field.has_changed(bound.initial, bound.data):
                return True
        return any(formset.has_changed() for formset in self.formsets.values())

    def _keep_sensitive_flag(self, cleaned_data):
        """Nobody clears the sensitive flag once any version or review of the item was sensitive."""
        from .review import was_ever_sensitive

        if not self.instance.pk or cleaned_data.get("is_sensitive", True):
            return
        if was_ever_sensitive(self.instance):
            self.add_error("is_sensitive", _("已标记为敏感信息，任何人都不能取消该标记。"))


class ServicePageForm(WagtailAdminPageForm):
    """The service is chosen from the registry: only services whose app is installed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "service" in self.fields:
            field = self.fields["service"]
            self.fields["service"] = forms.ChoiceField(
                label=field.label,
                help_text=field.help_text,
                choices=[("", "---------"), *service_choices()],
            )


class InterpretationPageForm(ArticlePageForm):
    """A 解读 names the policy it interprets; a 图解 carries its picture, a 问答 its questions."""

    def clean(self):
        cleaned_data = super().clean()
        if self.is_deferred_validation:
            return cleaned_data
        if not cleaned_data.get("policy") and "policy" not in self.errors:
            self.add_error("policy", _("提交审核前请选择所解读的政策文件。"))
        form = cleaned_data.get("form")
        if form == "graphic":
            if not cleaned_data.get("graphic"):
                self.add_error("graphic", _("图解形式须上传图解图片。"))
            if not (cleaned_data.get("graphic_text") or "").strip():
                self.add_error("graphic_text", _("图解形式须填写图中文字的说明，供读屏软件朗读。"))
        if form == "qa" and not self._has_questions():
            self.add_error("form", _("问答形式须至少填写一组问答。"))
        return cleaned_data

    def _has_questions(self):
        formset = self.formsets.get("questions")
        if formset is None or not formset.is_valid():
            return False
        return any(form.cleaned_data.get("question") and not form.cleaned_data.get("DELETE") for form in formset.forms)


SEND_BACK_NEEDS_REASON = _("退回修改须写明理由：哪里要改、为什么改。编辑会在修改页面顶部看到这条意见。")


class SendBackForm(TaskStateCommentForm):
    """The opinion of a reviewer who sends an item back: required, at every level, so the editor
    knows what to change (the dialog of the dashboard and of the edit screen use this form)."""

    comment = forms.CharField(
        label=_("退回理由"),
        widget=forms.Textarea({"rows": 3}),
        max_length=1000,
        error_messages={"required": SEND_BACK_NEEDS_REASON},
    )


def send_back_reason(data):
    """The reason of a send-back posted by any door, or None when it is missing or blank."""
    form = SendBackForm(data)
    return form.cleaned_data["comment"] if form.is_valid() else None
