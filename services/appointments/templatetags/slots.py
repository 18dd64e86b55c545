"""The slot grid of a service page, rendered in Python: a week of slots is some seventy
options, and the template language spent a third of the booking page's time on them."""

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _times(slot):
    return f"{timezone.localtime(slot.starts_at):%H:%M}—{timezone.localtime(slot.ends_at):%H:%M}"


def _option(slot, name, selected):
    """One slot: a radio button in a label when `name` is given (the booking form), else text."""
    unavailable = "" if slot.is_bookable else " is-unavailable"
    if not name:
        return format_html(
            '<li class="slot-option{}"><span class="slot-time">{}</span> <span class="slot-status">{}</span></li>',
            unavailable,
            _times(slot),
            slot.status,
        )
    leader = ""
    if slot.reception_day:
        day = slot.reception_day
        leader = format_html('<span class="slot-leader">{}{}</span>', day.leader_title, day.leader_name)
    return format_html(
        '<li><label class="slot-option{}"><input type="radio" name="{}" value="{}"{}{}> '
        '<span class="slot-time">{}</span> <span class="slot-status">{}</span>{}</label></li>',
        unavailable,
        name,
        slot.key,
        mark_safe(" checked") if slot.key == selected else "",
        mark_safe(" disabled") if not slot.is_bookable else "",
        _times(slot),
        slot.status,
        leader,
    )


@register.simple_tag
def slot_days(days, name="", selected=""):
    """The days of `days` (schedule.PlannedDay), each with its title and its slots; a closed day
    says why instead. With `name`, each open slot is a radio button of that form field."""
    if not days:
        return format_html('<p class="empty-state">{}</p>', _("可预约的日期内没有开放的时段。"))
    blocks = []
    for day in days:
        title = date_format(day.date, "n月j日 l")
        if day.closed_reason:
            closed = format_html(' <span class="tag tag-danger">{}：{}</span>', _("停办"), day.closed_reason)
            day_html = format_html('<div class="slot-day"><h3 class="slot-day-title">{}{}</h3></div>', title, closed)
            blocks.append(day_html)
            continue
        options = format_html_join("", "{}", ((_option(slot, name, selected),) for slot in day.slots))
        blocks.append(
            format_html(
                '<div class="slot-day"><h3 class="slot-day-title">{}</h3><ul class="slot-options">{}</ul></div>',
                title,
                options,
            )
        )
    return format_html_join("\n", "{}", ((block,) for block in blocks))
