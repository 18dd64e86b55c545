"""Admin form of articles: drafts may be incomplete, but nothing is submitted for review (or
approved) until the editorial record the county rules ask for is complete."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


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
