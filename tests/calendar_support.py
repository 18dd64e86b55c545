"""Enter holiday notices the way staff do, through 设置 → 节假日安排 in the admin."""

from portal.models import HolidayNotice
from portal.workdays import package_knows

NOTICES = "/admin/snippets/portal/holidaynotice/"


def require_unknown_year(year):
    """These tests are about a year the calendar package does not know; a newer chinesecalendar
    release that knows it needs a later year here."""
    assert not package_knows(year), f"chinesecalendar now knows {year}: move these tests to a later year"


def notice_form(year, holidays=(), adjusted=(), document_no="", notice=None, action="action-publish"):
    """The POST of the notice form: `holidays` as (name, first, last), `adjusted` as (date, name).
    For an existing `notice` its rows are replaced (deleted and the given ones added)."""
    data = {"year": str(year), "document_no": document_no, "issued_on": "", "note": ""}
    if action:
        data[action] = action
    for prefix, rows, fields in (
        ("holidays", holidays, ("name", "first_day", "last_day")),
        ("adjusted_workdays", adjusted, ("date", "name")),
    ):
        existing = list(getattr(notice, prefix).all()) if notice is not None else []
        forms = []
        for child in existing:
            forms.append({"id": str(child.pk), "DELETE": "1", **{f: str(getattr(child, f)) for f in fields}})
        for row in rows:
            forms.append({"id": "", "DELETE": "", **{f: str(value) for f, value in zip(fields, row, strict=True)}})
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(forms)),
                f"{prefix}-INITIAL_FORMS": str(len(existing)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, form in enumerate(forms):
            form["ORDER"] = str(index + 1)
            data.update({f"{prefix}-{index}-{key}": value for key, value in form.items()})
    return data


def enter_notice(client, year, holidays=(), adjusted=(), *, action="action-publish", document_no=""):
    """Create (or correct) the year's notice through the admin; `action` is "action-publish" to
    confirm it or None to save a draft. Returns the response."""
    notice = HolidayNotice.objects.filter(year=year).first()
    url = f"{NOTICES}add/" if notice is None else f"{NOTICES}edit/{notice.pk}/"
    return client.post(url, notice_form(year, holidays, adjusted, document_no, notice, action))
