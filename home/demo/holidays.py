"""The demo's 2027 holiday notice (节假日安排), entered as a draft to show the screen and its
preview. The dates are illustrative, not the State Council's notice: a draft never counts in
the working-day calendar, and nothing is entered for a year the calendar package knows."""

import datetime

from wagtail.actions.create import CreateAction

from portal.models import AdjustedWorkday, Holiday, HolidayNotice
from portal.workdays import package_knows

D = datetime.date
YEAR = 2027
HOLIDAYS = [
    ("元旦", D(2027, 1, 1), D(2027, 1, 3)),
    ("春节", D(2027, 2, 5), D(2027, 2, 13)),
    ("清明节", D(2027, 4, 3), D(2027, 4, 5)),
    ("劳动节", D(2027, 5, 1), D(2027, 5, 5)),
    ("端午节", D(2027, 6, 9), D(2027, 6, 9)),
    ("中秋节", D(2027, 9, 15), D(2027, 9, 15)),
    ("国庆节", D(2027, 10, 1), D(2027, 10, 7)),
]
ADJUSTED_WORKDAYS = [
    (D(2027, 2, 20), "春节调休上班"),
    (D(2027, 4, 25), "劳动节调休上班"),
    (D(2027, 9, 26), "国庆节调休上班"),
    (D(2027, 10, 9), "国庆节调休上班"),
]


def ensure_demo_holiday_notice(user):
    """Create the draft once; returns how many notices were created (0 or 1)."""
    if package_knows(YEAR) or HolidayNotice.objects.filter(year=YEAR).exists():
        return 0
    notice = HolidayNotice(year=YEAR, note="演示数据：示意草稿，并非国务院办公厅的正式通知，请勿确认生效。")
    notice.holidays = [Holiday(name=name, first_day=first, last_day=last) for name, first, last in HOLIDAYS]
    notice.adjusted_workdays = [AdjustedWorkday(date=day, name=name) for day, name in ADJUSTED_WORKDAYS]
    CreateAction(notice, user=user).execute(skip_permission_checks=True)
    return 1
