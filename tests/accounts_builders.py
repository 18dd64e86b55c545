"""Public accounts built through the real sign-up door: form, captcha, SMS code."""

import re

from django.contrib.auth import get_user_model

from portal import sms

from .builders import solve_captcha

PASSWORD = "Qingshan#2026"  # noqa: S105


def last_sms_code(phone):
    message = next(m for m in reversed(sms.outbox) if m.phone == phone)
    return re.search(r"验证码是(\d{6})，", message.text).group(1)


def sign_up(client, phone, email="", password=PASSWORD):
    """Sign up with a mobile number and confirm it with the texted code; returns the user."""
    page = client.get("/accounts/signup/")
    response = client.post(
        "/accounts/signup/",
        {"phone": phone, "email": email, "password1": password, "password2": password}
        | solve_captcha(page.content.decode()),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/accounts/phone/verify/"
    response = client.post("/accounts/phone/verify/", {"code": last_sms_code(phone)})
    assert response.status_code == 302
    user = get_user_model().objects.get(phone=phone)
    user.raw_password = password
    return user
