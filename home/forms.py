"""Admin form of articles: drafts may be incomplete, but nothing is submitted for review (or
approved) until the editorial record the county rules ask for is complete; an article under review
is not changed through the form by anyone; the 敏感信息 mark, once given, stays."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .review import was_ever_sensitive

        # A revert shows the old revision; the mark it may lack is shown as it stays.
        if "is_sensitive" in self.fields and was_ever_sensitive(self.instance):
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
        return cleaned_data

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
