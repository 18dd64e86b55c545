"""Public pages of 领导信箱: write, track with number and password, rate, read published letters."""

import datetime
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from home.page_types import department_pages
from portal.http import client_address, request_body_limit
from portal.pii import pii_hash
from search.connection import elasticsearch_enabled

from . import conf, limits, workflow
from .deadlines import DeadlineClock
from .forms import LetterForm, LookupForm, RatingForm, ReissuePasswordForm, ReopenForm
from .models import Letter, PublicVersion, Rating, Status
from .statistics import figures, recent_months

SESSION_ACCESS = "letters_access"
SESSION_RECEIPT = "letters_receipt"


def writer_details(user):
    """What the portal already knows about a signed-in writer, to fill the form in for them."""
    if not user.is_authenticated:
        return {}
    profile = getattr(user, "profile", None)
    return {
        "writer_name": profile.real_name if profile else user.get_full_name(),
        "phone": user.phone if user.phone_verified else "",
        "email": user.email,
    }


def search_terms(value):
    """A search query as typed, without the NUL characters PostgreSQL refuses, at most 50 characters."""
    return (value or "").replace("\x00", "").strip()[:50]


@never_cache
@request_body_limit(
    lambda: conf.setting("LETTERS_ATTACHMENT_MAX_COUNT") * conf.setting("LETTERS_ATTACHMENT_MAX_BYTES") + 2**20
)
def write(request):
    form = LetterForm(request.POST or None, request.FILES or None, initial=writer_details(request.user))
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        phone = workflow.verified_phone(request.user, data["phone"])
        refusal = limits.writing_refused(client_address(request), phone)
        if refusal:
            form.add_error(None, refusal)
            status = 429
        else:
            letter, password = workflow.submit_letter(
                mailbox=data["mailbox"], data=data, files=data["attachments"], user=request.user
            )
            _grant(request, letter)
            request.session[SESSION_RECEIPT] = {"tracking_no": letter.tracking_no, "password": password}
            return redirect("letters:submitted")
    return render(request, "letters/write.html", {"form": form}, status=status)


@never_cache
def submitted(request):
    """Shows the query password exactly once."""
    receipt = request.session.pop(SESSION_RECEIPT, None)
    if receipt is None:
        return redirect("letters:track")
    letter = get_object_or_404(Letter, tracking_no=receipt["tracking_no"])
    context = {"receipt": receipt, "letter": letter, "notified": any(workflow.writer_contacts(letter))}
    return render(request, "letters/submitted.html", context)


def _grants(request):
    """{letter pk (str): end of access (epoch seconds)} of this browser session, lapsed ones dropped."""
    grants = request.session.get(SESSION_ACCESS)
    if not isinstance(grants, dict):
        return {}
    now = time.time()
    return {pk: until for pk, until in grants.items() if until > now}


def _grant(request, letter):
    """Open `letter` to this browser session for LETTERS_ACCESS_IDLE_MINUTES after the last
    page viewed; the session cookie then lasts only until the browser is closed (kiosks)."""
    grants = _grants(request)
    grants[str(letter.pk)] = time.time() + conf.setting("LETTERS_ACCESS_IDLE_MINUTES") * 60
    request.session[SESSION_ACCESS] = grants
    request.session.set_expiry(0)


@never_cache
def track(request):
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        tracking_no = form.cleaned_data["tracking_no"].strip()
        address = client_address(request)
        if limits.lookup_blocked(address, tracking_no):
            form.add_error(
                None, _("查询失败次数过多，请%(n)s分钟后再试。") % {"n": conf.setting("LETTERS_LOOKUP_WINDOW_MINUTES")}
            )
            status = 429
        else:
            letter = Letter.objects.filter(tracking_no=tracking_no).first()
            if workflow.check_query_password(letter, form.cleaned_data["password"]):
                _grant(request, letter)
                return redirect("letters:tracked", tracking_no=letter.tracking_no)
            limits.lookup_failed(address, tracking_no)
            form.add_error(None, _("信件编号或查询密码不正确。"))
    return render(request, "letters/track.html", {"form": form}, status=status)


@never_cache
def reissue_password(request):
    """找回查询密码: the same answer whether or not the number and phone match a letter and
    whether or not a password was texted (only to a verified number), so the page tells nobody
    which letters exist or who wrote them; requests are limited per letter and per address
    (limits.reissue_refused)."""
    form = ReissuePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        tracking_no = form.cleaned_data["tracking_no"].strip()
        refusal = limits.reissue_refused(client_address(request), tracking_no)
        if refusal:
            form.add_error(None, refusal)
            return render(request, "letters/reissue_password.html", {"form": form}, status=429)
        phone_hash = pii_hash(form.cleaned_data["phone"], purpose="phone")
        letter = Letter.objects.filter(tracking_no=tracking_no, phone_hash=phone_hash).first()
        workflow.reissue_query_password(letter)
        return render(request, "letters/reissue_password.html", {"sent": True})
    return render(request, "letters/reissue_password.html", {"form": form})


@require_POST
def end_access(request):
    """Close every letter this browser session opened (a shared computer, the next visitor)."""
    request.session.pop(SESSION_ACCESS, None)
    messages.success(request, _("已退出查看。在公共电脑上查询后，请关闭浏览器。"))
    return redirect("letters:track")


def _tracked_letter(request, tracking_no):
    """The letter if this browser may see it (its signed-in writer, or a lookup with its
    password this session), else None; an unknown number looks the same as someone else's."""
    letter = Letter.objects.select_related("reply_department").filter(tracking_no=tracking_no).first()
    if letter is None:
        return None
    if request.user.is_authenticated and letter.user_id == request.user.pk:
        return letter
    if str(letter.pk) not in _grants(request):
        return None
    _grant(request, letter)
    return letter


def _ask_for_password(request):
    messages.info(request, _("请输入信件编号和查询密码查看办理情况。"))
    return redirect("letters:track")


@never_cache
def tracked(request, tracking_no):
    letter = _tracked_letter(request, tracking_no)
    if letter is None:
        return _ask_for_password(request)
    reopen_open = (
        letter.status == Status.REPLIED
        and letter.rating == Rating.DISSATISFIED
        and letter.reopen_count == 0
        and letter.replied_on + datetime.timedelta(days=conf.setting("LETTERS_REOPEN_WINDOW_DAYS"))
        >= timezone.localdate()
    )
    DeadlineClock().annotate([letter])
    return render(
        request,
        "letters/tracked.html",
        {
            "letter": letter,
            "events": letter.events.all(),
            "reply_attachments": workflow.reply_attachments(letter),
            "rating_form": RatingForm() if letter.status == Status.REPLIED and not letter.rating else None,
            "reopen_form": ReopenForm() if reopen_open else None,
            "by_password": not (request.user.is_authenticated and letter.user_id == request.user.pk),
        },
    )


@never_cache
def reply_attachment(request, tracking_no, pk):
    """A file of the reply, for the writer only (as the letter's page: signed in, or the lookup)."""
    letter = _tracked_letter(request, tracking_no)
    if letter is None:
        raise Http404
    item = get_object_or_404(workflow.reply_attachments(letter), pk=pk)
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )


@never_cache
@require_POST
def rate(request, tracking_no):
    letter = _tracked_letter(request, tracking_no)
    if letter is None:
        return _ask_for_password(request)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            workflow.rate_letter(letter, form.cleaned_data["rating"], form.cleaned_data["comment"])
            messages.success(request, _("感谢您的评价。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("请选择评价结果。"))
    return redirect("letters:tracked", tracking_no=tracking_no)


@never_cache
@require_POST
def withdraw_consent(request, tracking_no):
    letter = _tracked_letter(request, tracking_no)
    if letter is None:
        return _ask_for_password(request)
    try:
        workflow.withdraw_publication_consent(letter, by=request.user if request.user.is_authenticated else None)
        messages.success(request, _("已撤回公开同意，该信件不再在网站上公开。"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("letters:tracked", tracking_no=tracking_no)


@never_cache
@require_POST
def reopen(request, tracking_no):
    letter = _tracked_letter(request, tracking_no)
    if letter is None:
        return _ask_for_password(request)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            workflow.request_reopen(letter, form.cleaned_data["reason"])
            messages.success(request, _("重办申请已提交，将在30个工作日内答复。"))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("请说明申请重办的理由。"))
    return redirect("letters:tracked", tracking_no=tracking_no)


@never_cache
@login_required
def mine(request):
    letters = Paginator(Letter.objects.filter(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "letters/mine.html", {"page_obj": letters})


def published():
    return PublicVersion.objects.filter(state=PublicVersion.State.PUBLISHED).select_related(
        "letter", "letter__reply_department"
    )


def search_published(query):
    """Published letters matching `query`: Elasticsearch on the public versions, or the
    database when it is unreachable (then `degraded` is True and the page says so)."""
    from .search import search_letters

    versions = published()
    matches = Q(title__icontains=query) | Q(content__icontains=query) | Q(reply__icontains=query)
    if not elasticsearch_enabled():  # the embedded default: the database is the search engine
        return versions.filter(matches).order_by("-published_at"), False
    try:
        ids = search_letters(query, public_only=True)
    except Exception:
        return versions.filter(matches).order_by("-published_at"), True
    rank = {pk: position for position, pk in enumerate(ids)}
    found = sorted(versions.filter(letter_id__in=ids), key=lambda version: rank[version.letter_id])
    return found, False


def public_list(request):
    query = search_terms(request.GET.get("q"))
    degraded = False
    if query:
        versions, degraded = search_published(query)
    else:
        versions = published().order_by("-published_at")
    page = Paginator(versions, 20).get_page(request.GET.get("page"))
    stats = [figures(Letter.objects.all(), period) for period in recent_months(timezone.localdate(), 3)]
    departments = department_pages(version.letter.reply_department_id for version in page.object_list)
    return render(
        request,
        "letters/public_list.html",
        {"page_obj": page, "stats": stats, "query": query, "degraded": degraded, "department_pages": departments},
    )


def public_detail(request, pk):
    version = published().filter(pk=pk).first()
    if version is None:
        raise Http404
    context = {
        "version": version,
        "letter": version.letter,
        "department_pages": department_pages([version.letter.reply_department_id]),
    }
    return render(request, "letters/public_detail.html", context)
