"""Signed links to manage a booking without signing in (sent by SMS and e-mail): whoever holds
the link may see, cancel or reschedule that one booking, as its owner could. A link that was
cut or altered fails the signature check and opens nothing."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Booking

SALT = "appointments.manage"


def manage_token(booking):
    return signing.Signer(salt=SALT).sign(booking.code)


def booking_for_token(token):
    """The booking the token was made for; raises signing.BadSignature for any other token."""
    code = signing.Signer(salt=SALT).unsign(token)
    booking = Booking.objects.select_related("service__location", "slot").filter(code=code).first()
    if booking is None:
        raise signing.BadSignature("no such booking")
    return booking


def absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def manage_url(booking):
    return absolute(reverse("appointments:manage", args=[manage_token(booking)]))
