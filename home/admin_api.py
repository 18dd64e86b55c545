"""Wagtail's admin API for pages (/admin/api/main/pages/<id>/action/<name>/) with the review rules
of home.publishing asked before each action, so the API refuses what the admin screens refuse and
says why in Chinese. Wagtail's own checks (which for a revert only ask can_edit()) run after."""

from rest_framework import fields, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from wagtail.admin.api.views import PagesAdminAPIViewSet

from . import publishing


def action_refusal(page, action, data, user):
    """The rule for one API action on `page`, or None. Every action the viewset offers is listed."""
    rules = {
        "publish": lambda: publishing.NOT_BY_REVIEW if publishing.is_article(page) else None,
        "revert_to_page_revision": lambda: publishing.change_refusal(page),
        "unpublish": lambda: publishing.withdrawal_refusal(page, user),
        "delete": lambda: publishing.deletion_refusal(page),
        "move": lambda: publishing.move_refusal(page),
        "copy": lambda: (
            publishing.structure_copy_refusal(user, page) or publishing.copy_refusal(page, keep_live=_keep_live(data))
        ),
        "create_alias": lambda: publishing.alias_refusal(page),
        "convert_alias": lambda: publishing.alias_refusal(page),
        "copy_for_translation": lambda: publishing.ONE_LANGUAGE,
    }
    rule = rules.get(action)
    return rule() if rule else None


def _keep_live(data):
    # The same reading as Wagtail's copy serializer, whose default is to keep the copy live.
    try:
        return fields.BooleanField().to_internal_value(data.get("keep_live", True))
    except ValidationError:
        return True


class ReviewedPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def action_view(self, request, pk, action_name):
        page = self.get_object().specific
        refusal = action_refusal(page, action_name, request.data, request.user)
        if refusal is not None:
            return Response({"message": str(refusal)}, status=status.HTTP_403_FORBIDDEN)
        if action_name == "unpublish" and publishing.is_article(page):
            return self.withdraw(request, page)
        return super().action_view(request, pk, action_name)

    def withdraw(self, request, page):
        """An article is withdrawn with its reason ({"reason": "…"}), as on the admin screens."""
        reason = request.data.get("reason")
        refusal = publishing.withdraw(page, request.user, reason if isinstance(reason, str) else "")
        if refusal is not None:
            return Response({"message": str(refusal)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(page).data, status=status.HTTP_200_OK)
