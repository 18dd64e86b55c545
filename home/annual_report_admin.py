"""The admin screen of the 政府网站工作年度报表 (registered in home.wagtail_hooks): pick a year,
see the figures the portal computes from its own data, download them as .xlsx, and generate the
report article, which goes live only through the usual review."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Min
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from portal.exports import xlsx_response

from .annual_report import annual_rows, draft_report_article, report_refusal, report_xlsx
from .models import ColumnPage
from .review import ReviewRefused


def report_years():
    """From the year of the site's first publication (or first letter) to this year, newest first."""
    from services.letters.models import Letter

    this_year = timezone.localdate().year
    firsts = [
        Page.objects.filter(live=True).aggregate(first=Min("first_published_at"))["first"],
        Letter.objects.aggregate(first=Min("submitted_at"))["first"],
    ]
    first_year = min([moment.year for moment in firsts if moment] or [this_year])
    return list(range(this_year, max(first_year, this_year - 20) - 1, -1))


def publishable_columns(user):
    """The live columns in which `user` may create an article."""
    return [
        column
        for column in ColumnPage.objects.live().order_by("path")
        if column.permissions_for_user(user).can_add_subpage()
    ]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, _("%(year)s 年") % {"year": year}) for year in years]
        self.fields["year"].error_messages["invalid_choice"] = _("请选择列表中的年度。")


class GenerateForm(YearForm):
    column = forms.TypedChoiceField(label=_("发布栏目"), coerce=int)

    def __init__(self, *args, columns, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.columns = {column.pk: column for column in columns}
        self.fields["column"].choices = [(column.pk, column.title) for column in columns]
        self.fields["column"].error_messages["invalid_choice"] = _("请选择您可以发布信息的栏目。")

    def clean(self):
        cleaned_data = super().clean()
        if "year" in cleaned_data and "column" in cleaned_data:
            cleaned_data["column"] = self.columns[cleaned_data["column"]]
            refusal = report_refusal(cleaned_data["year"], cleaned_data["column"], self.user)
            if refusal is not None:
                raise forms.ValidationError(refusal)
        return cleaned_data


def annual_report(request):
    columns = publishable_columns(request.user)
    if not columns:
        raise PermissionDenied
    years = report_years()
    default_year = years[1] if len(years) > 1 else years[0]  # last year's report is the one due
    chooser = YearForm(request.GET or {"year": default_year}, years=years)
    year = chooser.cleaned_data["year"] if chooser.is_valid() else default_year
    generate = GenerateForm(
        request.POST or None,
        initial={"year": year, "column": _default_column(columns).pk},
        years=years,
        columns=columns,
        user=request.user,
    )
    if request.method == "POST" and generate.is_valid():
        year, column = generate.cleaned_data["year"], generate.cleaned_data["column"]
        try:
            article = draft_report_article(year, column, request.user)
        except ReviewRefused as refusal:
            generate.add_error(None, str(refusal))
        else:
            messages.success(request, _("已生成“%(title)s”并提交审核，各级审核通过后发布。") % {"title": article.title})
            return redirect("wagtailadmin_pages:edit", article.pk)
    elif request.method == "POST":
        year = generate.cleaned_data.get("year", year)
    rows = annual_rows(year, Site.find_for_request(request).root_page)
    if request.GET.get("export") == "xlsx" and request.method == "GET":
        return xlsx_response(report_xlsx(year, rows), f"政府网站工作年度报表-{year}.xlsx")
    return render(
        request,
        "home/admin/annual_report.html",
        {"chooser": chooser, "generate": generate, "year": year, "rows": rows},
        status=400 if request.method == "POST" else 200,
    )


def _default_column(columns):
    """The 信息公开目录 column when the user may publish there, else the first."""
    return next((column for column in columns if column.kind == ColumnPage.Kind.CATALOGUE), columns[0])
