"""Steps several browser journeys share."""

from ..builders import totp_code


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
