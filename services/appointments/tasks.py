"""Background work of appointments: the reminder sent the working day before (through the
task queue, with `run_after`), which looks at the booking again when it runs, so a cancelled,
called-off or rescheduled booking is never reminded of the old time."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from portal import workdays

from . import notices
from .conf import reminder_time
from .models import Booking, BookingEvent


def reminder_at(day, calendar=None):
    """The reminder time for a booking on `day`: the working day before it, at the set time."""
    one_day = datetime.timedelta(days=1)
    before = (calendar or workdays.Calendar()).workdays_in(day - 31 * one_day, day - one_day)
    previous = before[-1] if before else day - datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(previous, reminder_time()))


def schedule_reminder(booking, now, calendar=None):
    """Queue the reminder (after the booking commits). A booking made after its reminder time
    has just been confirmed and gets none; a backend that cannot defer work (the embedded
    default's immediate backend) sends no reminders."""
    remind_at = reminder_at(booking.date, calendar)
    if remind_at <= now or not send_reminder.get_backend().supports_defer:
        return
    send_reminder.using(run_after=remind_at).enqueue(booking.pk, booking.slot.starts_at.isoformat())


@task()
def send_reminder(booking_id, starts_at):
    """Remind of the booking if it is still booked for `starts_at` and not yet reminded."""
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot__reception_day", "service__location")
            .filter(pk=booking_id)
            .first()
        )
        if (
            booking is None
            or booking.state != Booking.State.BOOKED
            or booking.reminded_at is not None
            or booking.slot.starts_at != datetime.datetime.fromisoformat(starts_at)
        ):
            return
        booking.reminded_at = timezone.now()
        booking.save(update_fields=["reminded_at"])
        BookingEvent.objects.create(booking=booking, action=BookingEvent.Action.REMINDED)
        notices.reminder(booking)
