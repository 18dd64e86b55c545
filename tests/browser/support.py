"""Steps several browser journeys share."""

import contextlib
import io

from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from ..builders import login_staff, totp_code
from ..captcha_reading import read_challenge
from .conftest import ARTIFACTS


def sign_in_to_admin(page, live_server, user, secret):
    """Sign a staff member in as they do: /admin/ sends them to the login page, then the
    TOTP step, then back to the dashboard. `user.raw_password` holds their password."""
    page.goto(live_server.url + "/admin/")
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", user.raw_password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/accounts/2fa/authenticate/**")
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(live_server.url + "/admin/")


@contextlib.contextmanager
def signed_in(browser, live_server, user):
    """A browser session for `user`, signed in through the one staff sign-in helper."""
    client = login_staff(Client(), user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"journey-{user.username}.png"), full_page=True)
        raise
    finally:
        context.close()


def read_captcha(page):
    """The answer to the sum the 图形验证码 shows on screen, read from a screenshot of the
    picture inside its frame (tests.captcha_reading); None when what was read is not a sum
    the site draws."""
    shot = Image.open(io.BytesIO(page.locator(".captcha-image").screenshot()))
    shot = shot.crop((2, 2, shot.width - 2, shot.height - 2))  # the frame (1 px, blurred when scaled)
    picture = io.BytesIO()
    shot.save(picture, "PNG")
    return read_challenge(picture.getvalue())


def solve_captcha(page, pictures=8):
    """Fill in the answer to the 图形验证码 the page shows; a picture that cannot be read is
    swapped with 「换一张」 as a person would."""
    image = page.locator(".captcha-image")
    for _ in range(pictures):
        expect(image).to_have_js_property("complete", True)
        answer = read_captcha(page)
        if answer is not None:
            page.get_by_role("textbox", name="图形验证码").fill(answer)
            return answer
        before = image.get_attribute("src")
        page.get_by_role("button", name="换一张").click()
        expect(image).not_to_have_attribute("src", before)
    raise AssertionError(f"the 图形验证码 could not be read in {pictures} pictures")


def submit_with_captcha(page, submit, attempts=4):
    """Answer the 图形验证码 and send the form with `submit` (a button, clicked, or a callable
    that sends it another way, such as Enter in a field); when the page comes back saying the
    answer was wrong (a misread picture), the form has kept everything else: read the new one."""
    send = submit if callable(submit) else submit.click
    for _ in range(attempts):
        solve_captcha(page)
        with page.expect_navigation():
            send()
        if "图形验证码的计算结果不正确" not in page.locator("main").inner_text():
            return
    raise AssertionError(f"the 图形验证码 was refused {attempts} times")
