"""Admin form of articles: drafts may be incomplete, but nothing is submitted for review (or
approved) until the editorial record the county rules ask for is complete."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.service_registry import service_choices


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        from .review import column_of, metadata_errors

        cleaned_data = super().clean()
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

    def _keep_sensitive_flag(self, cleaned_data):
        """Only a site administrator may clear the sensitive flag once it has been saved."""
        if not self.instance.pk or cleaned_data.get("is_sensitive", True):
            return
        # At clean() time the instance still holds the latest saved version (draft or live).
        saved = self.instance.is_sensitive or (
            type(self.instance).objects.filter(pk=self.instance.pk).values_list("is_sensitive", flat=True).first()
        )
        user = self.for_user
        if saved and not (user and user.is_superuser):
            self.add_error("is_sensitive", _("已标记为敏感信息，编辑和审核人员不能取消该标记。"))


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
