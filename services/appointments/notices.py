"""What bookers are told, by SMS and e-mail (`portal.notifications`, queued after commit).
Texts carry the confirmation code and the signed link to manage the booking; they never
carry an ID number, and the queue forgets them once sent."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.notifications import notify

from .conf import setting
from .links import absolute, manage_token, manage_url
from .schedule import when_label


def place_of(booking):
    reception = booking.slot.reception_day
    if reception is not None:
        return reception.place
    location = booking.service.location
    return f"{location.name}（{location.address}）"


def _send(booking, subject, sms, extra_mail=""):
    """The short text by SMS; by e-mail the same with `extra_mail` (materials, calendar file)."""
    notify(phone=booking.phone, subject=subject, body=sms)
    if booking.email:
        notify(email=booking.email, subject=subject, body="\n\n".join(part for part in (sms, extra_mail) if part))


def _materials(booking):
    lines = booking.service.material_lines()
    if not lines:
        return ""
    return _("请携带：") + "\n" + "\n".join(f"{number}. {line}" for number, line in enumerate(lines, start=1))


def booking_confirmed(booking):
    link = manage_url(booking)
    sms = _(
        "您已预约“%(service)s”，时间%(when)s，地点%(place)s，预约码%(code)s。请凭预约码签到；取消或改约：%(link)s"
    ) % {
        "service": booking.service.name,
        "when": when_label(booking.slot),
        "place": place_of(booking),
        "code": booking.code,
        "link": link,
    }
    calendar = absolute(reverse("appointments:manage_calendar", args=[manage_token(booking)]))
    extra = "\n\n".join(
        part
        for part in (
            _materials(booking),
            _("加入日历（.ics文件）：%(url)s") % {"url": calendar},
            _("须在预约时段开始前%(minutes)s分钟之前取消或改约。咨询电话：%(phone)s")
            % {"minutes": booking.service.cutoff_minutes, "phone": setting("APPOINTMENTS_HELP_PHONE")},
        )
        if part
    )
    _send(booking, _("预约成功：%(service)s") % {"service": booking.service.name}, sms, extra)


def booking_cancelled(booking):
    sms = _("您预约的“%(service)s”（%(when)s，预约码%(code)s）已取消。") % {
        "service": booking.service.name,
        "when": when_label(booking.slot),
        "code": booking.code,
    }
    _send(booking, _("预约已取消：%(service)s") % {"service": booking.service.name}, sms)


def booking_rescheduled(booking, old_slot):
    sms = _("您预约的“%(service)s”已由%(old)s改为%(new)s，地点%(place)s，预约码%(code)s不变。管理预约：%(link)s") % {
        "service": booking.service.name,
        "old": when_label(old_slot),
        "new": when_label(booking.slot),
        "place": place_of(booking),
        "code": booking.code,
        "link": manage_url(booking),
    }
    _send(booking, _("预约已改期：%(service)s") % {"service": booking.service.name}, sms, _materials(booking))


def booking_called_off(booking, reason):
    sms = _(
        "很抱歉，“%(service)s”%(when)s因%(reason)s停办，您的预约（预约码%(code)s）已取消，请重新预约其他时段。咨询电话：%(phone)s"
    ) % {
        "service": booking.service.name,
        "when": when_label(booking.slot),
        "reason": reason,
        "code": booking.code,
        "phone": setting("APPOINTMENTS_HELP_PHONE"),
    }
    _send(booking, _("预约时段停办：%(service)s") % {"service": booking.service.name}, sms)


def withdrawn(bookings, cause):
    """The sentence that tells a lawyer which bookings ended with `cause` (Chinese), or ""."""
    if not bookings:
        return ""
    listed = "；".join(
        _("“%(service)s”%(when)s（预约码%(code)s）")
        % {"service": booking.service.name, "when": when_label(booking.slot), "code": booking.code}
        for booking in bookings
    )
    return _("%(cause)s，您的以下预约已同时取消：%(listed)s。") % {"cause": cause, "listed": listed}


def reminder(booking):
    sms = _(
        "温馨提示：您预约了“%(service)s”，时间%(when)s，地点%(place)s，预约码%(code)s。如不能前往，请提前取消：%(link)s"
    ) % {
        "service": booking.service.name,
        "when": when_label(booking.slot),
        "place": place_of(booking),
        "code": booking.code,
        "link": manage_url(booking),
    }
    _send(booking, _("预约提醒：%(service)s") % {"service": booking.service.name}, sms, _materials(booking))


def suspended(suspension):
    user = suspension.user
    text = _(
        "因%(reason)s，您的网上预约自%(start)s起暂停至%(end)s。如有异议，可登录后在“我的预约”中提出申诉，或致电%(phone)s。"
    ) % {
        "reason": suspension.reason,
        "start": date_format(suspension.starts_on, "Y年n月j日"),
        "end": date_format(suspension.ends_on, "Y年n月j日"),
        "phone": setting("APPOINTMENTS_HELP_PHONE"),
    }
    notify(phone=user.phone or "", email=user.email, subject=_("网上预约暂停通知"), body=text)


def appeal_decided(appeal):
    user = appeal.suspension.user
    if appeal.state == appeal.State.GRANTED:
        text = _("您对网上预约暂停的申诉经核查成立，暂停已解除。处理意见：%(decision)s") % {"decision": appeal.decision}
    else:
        text = _("您对网上预约暂停的申诉经核查不成立，暂停至%(end)s。处理意见：%(decision)s") % {
            "end": date_format(appeal.suspension.ends_on, "Y年n月j日"),
            "decision": appeal.decision,
        }
    notify(phone=user.phone or "", email=user.email, subject=_("预约暂停申诉处理结果"), body=text)


def follow_up_closed(follow_up):
    booking = follow_up.rating.booking
    sms = _("您对“%(service)s”（预约码%(code)s）的评价已由%(department)s核实整改：%(outcome)s") % {
        "service": booking.service.name,
        "code": booking.code,
        "department": follow_up.department.name,
        "outcome": follow_up.outcome,
    }
    _send(booking, _("差评整改反馈：%(service)s") % {"service": booking.service.name}, sms)
