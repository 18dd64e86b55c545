"""Monthly and quarterly figures, computed from letters and their dates: received, replied,
on-time rate, average days to reply, satisfaction. Callers pass a scoped queryset."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import Rating, Status


@dataclass
class Period:
    label: str
    start: datetime.date
    end: datetime.date  # exclusive


@dataclass
class Figures:
    period: Period
    received: int
    replied: int
    on_time: int
    average_days: float | None
    rated: int
    satisfied: int

    @property
    def on_time_rate(self):
        return round(100 * self.on_time / self.replied, 1) if self.replied else None

    @property
    def satisfaction_rate(self):
        return round(100 * self.satisfied / self.rated, 1) if self.rated else None


def month(year, number):
    start = datetime.date(year, number, 1)
    end = datetime.date(year + (number == 12), number % 12 + 1, 1)
    return Period(f"{year}年{number}月", start, end)


def quarter(year, number):
    start = datetime.date(year, 3 * number - 2, 1)
    end = datetime.date(year + (number == 4), (3 * number) % 12 + 1, 1)
    return Period(f"{year}年第{number}季度", start, end)


def recent_months(today, count):
    periods = []
    year, number = today.year, today.month
    for _i in range(count):
        periods.append(month(year, number))
        year, number = (year - 1, 12) if number == 1 else (year, number - 1)
    return periods


def moments(period):
    """The period's bounds as moments in the portal's time zone: a range the indexes on the
    letters' timestamps answer (a `__date` filter converts every row's timestamp first)."""
    zone = timezone.get_default_timezone()
    return tuple(datetime.datetime.combine(day, datetime.time.min, tzinfo=zone) for day in (period.start, period.end))


def figures(letters, period):
    letters = letters.exclude(status=Status.REPEAT)
    start, end = moments(period)
    received = letters.filter(submitted_at__gte=start, submitted_at__lt=end).count()
    replied = list(
        letters.filter(replied_on__gte=period.start, replied_on__lt=period.end).values_list(
            "replied_on", "due_on", "submitted_at"
        )
    )
    on_time = sum(1 for replied_on, due_on, _s in replied if due_on is None or replied_on <= due_on)
    # Days between the two dates the writer sees (in the portal's time zone, not UTC's).
    days = [(replied_on - timezone.localdate(submitted_at)).days for replied_on, _d, submitted_at in replied]
    ratings = list(letters.filter(rated_at__gte=start, rated_at__lt=end).values_list("rating", flat=True))
    return Figures(
        period=period,
        received=received,
        replied=len(replied),
        on_time=on_time,
        average_days=round(sum(days) / len(days), 1) if days else None,
        rated=len(ratings),
        satisfied=sum(1 for r in ratings if r in (Rating.SATISFIED, Rating.BASICALLY)),
    )
