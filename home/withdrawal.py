"""The admin doors through which the 网站总编 withdraws (撤下) a published article: Wagtail's
unpublish screen and its bulk unpublish action. Both ask for the reason and go through
home.publishing.withdraw, as the admin API does (home.admin_api); wired in home.wagtail_hooks."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import DefaultPageForm
from wagtail.admin.views.pages.bulk_actions.unpublish import UnpublishBulkAction

from portal.forms import ReasonForm

from . import publishing


class WithdrawalForm(ReasonForm):
    reason_label = _("撤下理由")


def withdraw_on_unpublish_screen(request, page):
    """Wagtail's unpublish screen, for an article: the reason is required and the withdrawal goes
    through home.publishing.withdraw; without a reason the screen comes back with the error."""
    if not publishing.is_article(page):
        return None
    form = WithdrawalForm(request.POST)
    refusal = None
    if form.is_valid():
        refusal = publishing.withdraw(page.specific, request.user, form.cleaned_data["reason"])
        if refusal is None:
            messages.success(request, _("《%(title)s》已撤下。") % {"title": page.get_admin_display_title()})
            column = reverse("wagtailadmin_explore", args=(page.get_parent().pk,))
            return redirect(get_valid_next_url_from_request(request) or column)
    for message in [refusal] if refusal else form.errors["reason"]:
        messages.error(request, message)
    back = reverse("wagtailadmin_pages:unpublish", args=(page.pk,))
    next_url = get_valid_next_url_from_request(request)
    return redirect(f"{back}?{urlencode({'next': next_url})}" if next_url else back)


class WithdrawalBulkForm(DefaultPageForm):
    include_descendants = forms.BooleanField(label=_("同时撤下下级页面"), required=False)
    reason = forms.CharField(
        label=_("撤下理由"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("撤下已发布的信息须写明理由，理由记入审核记录和审签单。"),
    )


class WithdrawalBulkAction(UnpublishBulkAction):
    """Wagtail's bulk unpublish with the reason the withdrawal of an article needs; articles are
    withdrawn through home.publishing.withdraw, other pages as Wagtail does."""

    display_name = _("撤下")
    aria_label = _("撤下所选页面")
    form_class = WithdrawalBulkForm
    template_name = "home/admin/confirm_bulk_withdrawal.html"

    def form_valid(self, form):
        objects, _without_access = self.get_actionable_objects()
        if not form.cleaned_data["reason"].strip() and any(publishing.is_article(page) for page in objects):
            form.add_error("reason", publishing.WITHDRAWAL_NEEDS_REASON)
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_execution_context(self):
        return {**super().get_execution_context(), "reason": self.cleaned_form.cleaned_data["reason"]}

    @classmethod
    def execute_action(cls, objects, reason="", user=None, **kwargs):
        others = []
        withdrawn = 0
        for page in objects:
            if not publishing.is_article(page):
                others.append(page)
            elif publishing.withdraw(page.specific, user, reason) is None:
                withdrawn += 1
        parents, children = super().execute_action(others, user=user, **kwargs)
        return parents + withdrawn, children

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_child_objects:
            return super().get_success_message(num_parent_objects, num_child_objects)
        return ngettext("已撤下 %(count)d 个页面。", "已撤下 %(count)d 个页面。", num_parent_objects) % {
            "count": num_parent_objects
        }
