"""View guards other apps use: case binding and lawyer bookings are for verified lawyers only."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .workflow import is_verified_lawyer


def verified_lawyer_required(view):
    """Signed-in lawyers whose verification has been approved; others are sent to 律师认证."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_verified_lawyer(request.user):
            messages.info(request, _("该功能仅向已通过认证的律师开放，请先完成律师认证。"))
            return redirect("accounts:lawyer")
        return view(request, *args, **kwargs)

    return wrapper
