"""Admin wiring of the cross-cutting pieces: the working-day calendar overrides."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CalendarDay


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("工作日历")
    list_display = ["date", "is_workday", "name"]
    ordering = ["-date"]
    add_to_settings_menu = True


register_snippet(CalendarDayViewSet)
