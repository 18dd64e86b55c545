"""Appointment rules that are the county's choice, not national law (DOMAIN.md, "Appointments"):
defaults here, each overridable in settings. Per-service rules (how far ahead, cut-off, capacity)
are edited by staff on the service itself."""

import datetime

from django.conf import settings

DEFAULTS = {
    # Defaults of a new service: booking opens this many working days ahead, and booking,
    # cancelling and rescheduling close this many minutes before the slot starts.
    "APPOINTMENTS_BOOK_AHEAD_WORKDAYS": 5,
    "APPOINTMENTS_CUTOFF_MINUTES": 120,
    # Active (not yet attended) bookings one person may hold at once, across all services.
    "APPOINTMENTS_MAX_ACTIVE_BOOKINGS": 3,
    # No-shows within the window that suspend online booking, and for how long.
    "APPOINTMENTS_NO_SHOW_LIMIT": 2,
    "APPOINTMENTS_NO_SHOW_WINDOW_DAYS": 90,
    "APPOINTMENTS_SUSPENSION_MONTHS": 3,
    # Reminders go out on the working day before the appointment, at this local time.
    "APPOINTMENTS_REMINDER_TIME": "16:00",
    # A poor rating (不满意, 非常不满意) is followed up by the department within these working days.
    "APPOINTMENTS_FOLLOW_UP_WORKDAYS": 5,
    # Telephone number given with suspensions and closures for questions and appeals.
    "APPOINTMENTS_HELP_PHONE": "0123-8821345",
}


def setting(name):
    return getattr(settings, name, DEFAULTS[name])


def reminder_time():
    hours, minutes = setting("APPOINTMENTS_REMINDER_TIME").split(":")
    return datetime.time(int(hours), int(minutes))
