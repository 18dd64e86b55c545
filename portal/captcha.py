"""The one captcha every public form uses (图形验证码), built on django-simple-captcha.

The challenge is a small sum or difference written with the same symbol table that computes
its answer, so what is drawn and what is expected cannot disagree. The image is drawn
clean and large for older eyes; the same challenge is spoken in Mandarin for people who
cannot see it (WCAG 1.1.1); 「换一张」 works with and without JavaScript, keeps what was
typed and voids the picture it replaces; an expired challenge is told apart from a wrong
answer and replaced.
"""

import io
import operator
import random
import secrets
import subprocess
import tempfile

from captcha import fields as captcha_fields
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from PIL import Image, ImageDraw, ImageFont

# symbol drawn → (operation, word spoken). The only place either is defined.
OPERATIONS = {
    "+": (operator.add, "加"),
    "-": (operator.sub, "减"),
}
REFRESH_FIELD = "captcha_refresh"
_random = secrets.SystemRandom()


def arithmetic_challenge():
    """(challenge drawn, answer expected): a sum of two numbers below 10, or a difference
    whose result is between 1 and 18; never negative, never more than two digits."""
    symbol = _random.choice(list(OPERATIONS))
    if symbol == "+":
        left, right = _random.randint(1, 9), _random.randint(1, 9)
    else:
        left = _random.randint(10, 19)
        right = _random.randint(1, 9)
    compute, _word = OPERATIONS[symbol]
    return f"{left}{symbol}{right}=?", str(compute(left, right))


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(value):
    """0–99 as spoken in Mandarin: 7 → 七, 12 → 十二, 20 → 二十."""
    tens, units = divmod(value, 10)
    if tens == 0:
        return CHINESE_DIGITS[units]
    spoken = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    return spoken + (CHINESE_DIGITS[units] if units else "")


def spoken_challenge(challenge):
    """The words for a drawn challenge: "12-5=?" → 十二减五等于几."""
    expression = challenge.rstrip("=?")
    for symbol, (_compute, word) in OPERATIONS.items():
        left, found, right = expression.partition(symbol)
        if found:
            return f"{chinese_number(int(left))}{word}{chinese_number(int(right))}等于几"
    raise ValueError(f"not an arithmetic challenge: {challenge!r}")


def draw_challenge(challenge, seed):
    """PNG of the challenge: dark glyphs on white, each slightly tilted, on one baseline give
    or take a pixel, over a few faint lines; the same picture for the same key. (With glyphs
    jumping by 3 px and drawn larger, tesseract read "3+" as "34+" in one picture in ten.)"""
    width, height = settings.CAPTCHA_IMAGE_SIZE
    rng = random.Random(seed)  # noqa: S311 - jitter for the picture, not a secret
    font = ImageFont.truetype(captcha_settings.CAPTCHA_FONT_PATH, settings.CAPTCHA_FONT_SIZE)
    ascent, descent = font.getmetrics()
    glyphs = []
    for char in challenge:
        cell = Image.new("L", (int(font.getlength(char)) + 8, ascent + descent + 8), 0)
        ImageDraw.Draw(cell).text((4, 4), char, font=font, fill=255, stroke_width=1, stroke_fill=255)
        tilted = cell.rotate(rng.uniform(-6, 6), resample=Image.Resampling.BICUBIC, expand=True)
        left, _top, right, _bottom = tilted.getbbox()
        glyphs.append(tilted.crop((left, 0, right, tilted.height)))  # keep the common baseline
    gap = 10
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    for _line in range(3):
        draw.line(
            [
                (rng.randint(0, width // 3), rng.randint(0, height)),
                (rng.randint(width * 2 // 3, width), rng.randint(0, height)),
            ],
            fill="#c9d3dd",
            width=1,
        )
    x = (width - sum(glyph.width for glyph in glyphs) - gap * (len(glyphs) - 1)) // 2
    for glyph in glyphs:
        y = (height - glyph.height) // 2 + rng.randint(-1, 1)
        image.paste(settings.CAPTCHA_FOREGROUND_COLOR, (x, y, x + glyph.width, y + glyph.height), glyph)
        x += glyph.width + gap
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def audio_available():
    return bool(settings.CAPTCHA_ESPEAK_PATH)


class CaptchaWidget(captcha_fields.CaptchaTextInput):
    """The picture with a Chinese alternative that states the task, a Mandarin audio version,
    and 「换一张」, a submit button that re-renders the form with a new picture (a script
    swaps the picture in place when JavaScript runs). A hidden plain submit button comes
    first, so that Enter in a field still submits the form rather than asking for a new
    picture. Form widgets render with the app templates only, hence a template in this app."""

    template_name = "portal/widgets/captcha.html"
    # One label (for the answer box), not a fieldset: Django then points the answer box at the
    # field's help text and error (aria-describedby).
    use_fieldset = False

    def __init__(self, attrs=None):
        super().__init__(attrs)
        answer = self.widgets[1]
        answer.attrs.update({"inputmode": "numeric", "maxlength": "3", "size": "4", "class": "captcha-answer"})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["refresh_name"] = REFRESH_FIELD
        context["refresh_url"] = reverse("captcha-refresh")
        context["width"], context["height"] = settings.CAPTCHA_IMAGE_SIZE
        return context

    def audio_url(self):
        return reverse("captcha-audio", kwargs={"key": self._key}) if audio_available() else None


class CaptchaField(captcha_fields.CaptchaField):
    """One attempt per challenge; an expired challenge gets its own message (the form is
    shown again with a new one and everything else that was typed). A key that is no longer
    stored was used, replaced by 「换一张」 or expired and swept: the message says so."""

    default_error_messages = {
        "required": _("请填写图形验证码的计算结果。"),
        "invalid": _("图形验证码的计算结果不正确，已换一张新的，请重新计算填写。"),
        "expired": _("图形验证码已过期（超过%(minutes)s分钟未提交），已换一张新的，请按新图片重新计算填写。"),
        "gone": _("图形验证码已失效（已使用或超过%(minutes)s分钟未提交），已换一张新的，请按新图片重新计算填写。"),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("图形验证码"))
        kwargs.setdefault("help_text", _("请计算图片中算式的结果，填写数字。看不清可点「换一张」，也可以收听语音。"))
        kwargs.setdefault("widget", CaptchaWidget)
        kwargs["error_messages"] = {**self.default_error_messages, **kwargs.get("error_messages", {})}
        super().__init__(**kwargs)

    def clean(self, value):
        forms.MultiValueField.clean(self, value)
        hashkey, answer = value[0], (value[1] or "").strip()
        value[1] = ""
        store = CaptchaStore.objects.filter(hashkey=hashkey).first()
        CaptchaStore.remove_expired()
        if store is not None:
            store.delete()  # one attempt per challenge, right or wrong
        minutes = {"minutes": settings.CAPTCHA_TIMEOUT}
        if store is None:
            raise ValidationError(self.error_messages["gone"], code="gone", params=minutes)
        if store.expiration <= timezone.now():
            raise ValidationError(self.error_messages["expired"], code="expired", params=minutes)
        if store.response != answer.lower():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class CaptchaFormMixin:
    """For forms with a `captcha` field. 「换一张」 without JavaScript submits the form with
    `captcha_refresh`: the picture the form carried is voided, the form is then not valid,
    shows no errors, and its captcha renders a new picture. On any answer that comes back,
    everything typed is kept, passwords too unless a password (or the form as a whole, as a
    failed login) is what was refused."""

    @property
    def captcha_refresh_requested(self):
        return self.is_bound and REFRESH_FIELD in self.data and "captcha" in self.fields

    def full_clean(self):
        if self.captcha_refresh_requested:
            name = self.add_prefix("captcha")
            hashkey = self.fields["captcha"].widget.value_from_datadict(self.data, self.files, name)[0]
            CaptchaStore.objects.filter(hashkey=hashkey or "").delete()
            self._errors = ErrorDict()
            self.cleaned_data = {}
        else:
            super().full_clean()
        passwords = [field for field in self.fields.values() if isinstance(field.widget, forms.PasswordInput)]
        refused = {NON_FIELD_ERRORS, *(name for name, field in self.fields.items() if field in passwords)}
        if self.is_bound and not refused & set(self._errors):
            for field in passwords:
                field.widget.render_value = True

    def is_valid(self):
        return not self.captcha_refresh_requested and super().is_valid()


@never_cache
def image(request, key):
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)  # gone: crawlers forget it, the page offers a new one
    return HttpResponse(draw_challenge(store.challenge, key), content_type="image/png")


@never_cache
def audio(request, key):
    """The challenge spoken in Mandarin, twice, as a WAV file (Debian's espeak-ng)."""
    if not audio_available():
        raise Http404
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        return HttpResponse(status=410)
    question = spoken_challenge(store.challenge)
    text = gettext("图形验证码。请计算：%(q)s？请填写得数。再听一遍：%(q)s？") % {"q": question}
    # cmn-latn-pinyin: Debian's "cmn" voice reads its own pinyin with English letter sounds.
    # A file rather than stdout: only then does espeak-ng write the WAV header's real length.
    with tempfile.NamedTemporaryFile(suffix=".wav") as sound:
        subprocess.run(
            [settings.CAPTCHA_ESPEAK_PATH, "-v", "cmn-latn-pinyin", "-s", "130", "-g", "6", "-w", sound.name, text],
            capture_output=True,
            timeout=10,
            check=True,
        )
        return HttpResponse(sound.read(), content_type="audio/wav")


@never_cache
def refresh(request):
    """A new challenge for the script behind 「换一张」, as the library's refresh view answers
    (without its X-Requested-With check, and with our audio address); the challenge it
    `replaces` is voided, as the refresh without JavaScript does."""
    CaptchaStore.objects.filter(hashkey=request.GET.get("replaces", "")).delete()
    key = CaptchaStore.pick()
    return JsonResponse(
        {
            "key": key,
            "image_url": reverse("captcha-image", kwargs={"key": key}),
            "audio_url": reverse("captcha-audio", kwargs={"key": key}) if audio_available() else None,
        }
    )
