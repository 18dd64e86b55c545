"""Steps several browser journeys share."""

import io
import re
import subprocess

from PIL import Image
from playwright.sync_api import expect

from ..builders import captcha_answer, totp_code

DRAWN_SUM = re.compile(r"(\d{1,2})([+-])(\d{1,2})=")


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


def read_captcha(page):
    """The sum the 图形验证码 shows on screen, read from a screenshot of the picture with
    Debian's tesseract-ocr (enlarged and made black on white first, as glasses would);
    None when the reading is not a sum a person could work out."""
    shot = Image.open(io.BytesIO(page.locator(".captcha-image").screenshot())).convert("L")
    shot = shot.resize((shot.width * 2, shot.height * 2), Image.Resampling.LANCZOS)
    picture = io.BytesIO()
    shot.point(lambda value: 0 if value < 128 else 255).save(picture, "PNG")
    command = ["tesseract", "stdin", "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789+-=?"]
    text = subprocess.run(command, input=picture.getvalue(), capture_output=True, check=True, timeout=60).stdout
    match = DRAWN_SUM.search(text.decode().replace(" ", ""))
    if not match or (match[2] == "-" and int(match[1]) < int(match[3])):
        return None
    return captcha_answer(f"{match[1]}{match[2]}{match[3]}=?")


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
    """Answer the 图形验证码 and press `submit`; when the page comes back saying the answer
    was wrong (a misread picture), the form has kept everything else: read the new one."""
    for _ in range(attempts):
        solve_captcha(page)
        with page.expect_navigation():
            submit.click()
        if "图形验证码的计算结果不正确" not in page.locator("main").inner_text():
            return
    raise AssertionError(f"the 图形验证码 was refused {attempts} times")
