"""How often the browser journeys' OCR (tests/browser/support.py `read_captcha`) reads the
图形验证码 right: N challenges from the site's own configuration, each drawn by the image view's
drawing function, shown in Debian's Chromium at the widget's size and frame, read from a
screenshot. Prints how many were read right, how many were not a plausible sum (the journey
asks for another picture) and how many were misread (the site refuses, the journey answers the
next picture).

    .venv/bin/python scripts/captcha_reading.py --pictures 200 [--width 260]   # 260: 长辈版
"""

import argparse
import base64
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from portal.captcha import draw_challenge  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.support import read_captcha  # noqa: E402
from tests.builders import captcha_answer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pictures", type=int, default=200)
    parser.add_argument("--width", type=int, help="displayed width in px (default: the picture's own)")
    args = parser.parse_args()
    challenge = import_string(settings.CAPTCHA_CHALLENGE_FUNCT)
    width = args.width or settings.CAPTCHA_IMAGE_SIZE[0]
    right = unreadable = misread = 0
    misreadings = []
    started = time.monotonic()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        for number in range(args.pictures):
            drawn, _answer = challenge()
            png = base64.b64encode(draw_challenge(drawn, f"reading-{number}")).decode()
            page.set_content(
                f'<img class="captcha-image" src="data:image/png;base64,{png}" '
                f'style="display:block;border:1px solid #767676;width:{width}px">'
            )
            read = read_captcha(page)
            if read is None:
                unreadable += 1
            elif read == captcha_answer(drawn):
                right += 1
            else:
                misread += 1
                misreadings.append(drawn)
        browser.close()
    total = args.pictures
    print(f"pictures: {total} at {width} px, {time.monotonic() - started:.0f} s")
    print(f"read right:            {right} ({right / total:.1%})")
    print(f"not a plausible sum:   {unreadable} ({unreadable / total:.1%}) -> 换一张")
    print(f"misread (site refuses): {misread} ({misread / total:.1%}) {misreadings[:10]}")


if __name__ == "__main__":
    main()
