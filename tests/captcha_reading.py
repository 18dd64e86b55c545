"""Reading the 图形验证码 picture as a person does, with Debian's tesseract-ocr: the page's
picture (or a screenshot of it) in, the answer out. Shared by the captcha tests and the
browser journeys (tests/browser/support.py); never looks at the stored answer."""

import io
import re
import subprocess

from PIL import Image

from .builders import captcha_answer

DRAWN_SUM = re.compile(r"(\d{1,2})([+-])(\d{1,2})=")
# Glyph height tesseract reads best: the picture (64 px high) at twice its size.
READING_HEIGHT = 128


def read_drawn_text(png):
    """What tesseract reads in the picture ("12-5=?"), after enlarging it to the reading
    height and making it black on white, as glasses and a steady look would."""
    image = Image.open(io.BytesIO(png)).convert("L")
    scale = READING_HEIGHT / image.height
    image = image.resize((round(image.width * scale), READING_HEIGHT), Image.Resampling.LANCZOS)
    picture = io.BytesIO()
    image.point(lambda value: 0 if value < 128 else 255).save(picture, "PNG")
    command = ["tesseract", "stdin", "stdout", "--psm", "7", "-c", "tessedit_char_whitelist=0123456789+-=?"]
    text = subprocess.run(command, input=picture.getvalue(), capture_output=True, check=True, timeout=60).stdout
    return text.decode().replace(" ", "").strip()


def plausible(left, symbol, right):
    """Whether a reading is a challenge the site draws (portal.captcha.arithmetic_challenge):
    a sum of two numbers from 1 to 9, or a number from 10 to 19 minus one from 1 to 9. Anything
    else is a misreading ("3+4" seen as "34+4"), and a person would ask for another picture."""
    if symbol == "+":
        return 1 <= left <= 9 and 1 <= right <= 9
    return 10 <= left <= 19 and 1 <= right <= 9


def read_challenge(png):
    """The answer to the sum the picture shows, or None when what was read is not a sum
    the site could have drawn."""
    match = DRAWN_SUM.search(read_drawn_text(png))
    if not match or not plausible(int(match[1]), match[2], int(match[3])):
        return None
    return captcha_answer(f"{match[1]}{match[2]}{match[3]}=?")
