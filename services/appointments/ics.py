"""The booking as an iCalendar file (RFC 5545) for the person's own calendar: start and end
in the Asia/Shanghai time zone (with its VTIMEZONE), the place, the code, what to bring, and
an alarm. A cancelled booking gives the same event with STATUS:CANCELLED, so importing it
removes the appointment from the calendar."""

import datetime
import zoneinfo

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .models import Booking, BookingEvent
from .notices import place_of

ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")


def booking_calendar(booking, manage_link):
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.WAGTAIL_SITE_NAME}//在线预约//ZH")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.code}@appointments.{settings.WAGTAIL_SITE_NAME}")
    starts_at = booking.slot.starts_at.astimezone(ZONE)
    event.add("dtstart", starts_at)
    event.add("dtend", booking.slot.ends_at.astimezone(ZONE))  # the booked time, as the page and the SMS give it
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("sequence", booking.events.filter(action=BookingEvent.Action.RESCHEDULED).count())
    event.add("summary", _("预约办理：%(service)s") % {"service": booking.service.name})
    event.add("location", place_of(booking))
    lines = [_("预约码：%(code)s") % {"code": booking.code}]
    lines.append(_("办理约需%(minutes)d分钟。") % {"minutes": booking.service.duration_minutes})
    materials = booking.service.material_lines()
    if materials:
        lines.append(_("请携带：") + "；".join(materials))
    lines.append(_("取消或改约：%(link)s") % {"link": manage_link})
    event.add("description", "\n".join(lines))
    event.add("url", manage_link)
    if booking.state in Booking.ACTIVE_STATES:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("预约提醒：%(service)s") % {"service": booking.service.name})
        alarm.add("trigger", datetime.timedelta(hours=-1))
        event.add_component(alarm)
    else:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def calendar_response(booking, manage_link):
    response = HttpResponse(booking_calendar(booking, manage_link), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{booking.code}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
