"""Issue 6: case-management staff find the cases past or near their time limit, narrow the list
to the overdue ones and take it away as a spreadsheet — in a real browser."""

from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command

from ..builders import build_portal, enable_totp
from ..cases.builders import jsonl
from ..cases.test_monitoring import days, open_case
from ..test_accounts import casemgr
from .support import sign_in_to_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

OVERDUE, DUE_SOON, LATER = "青山检刑受〔2026〕31号", "青山检刑受〔2026〕32号", "青山检刑受〔2026〕33号"


def test_staff_list_the_overdue_cases_and_export_them(live_server, page, tmp_path):
    build_portal()
    batch = tmp_path / "batch.jsonl"
    batch.write_text(
        jsonl(
            open_case(OVERDUE, accepted=days(-60), limit=days(-4)),
            open_case(DUE_SOON, accepted=days(-60), limit=days(2), office="第二检察部"),
            open_case(LATER, accepted=days(-60), limit=days(30)),
        ),
        encoding="utf-8",
    )
    call_command("import_cases", str(batch), stdout=StringIO())
    staff_user = casemgr()
    sign_in_to_admin(page, live_server, staff_user, enable_totp(staff_user))

    page.get_by_role("link", name="案件期限监测").first.click()
    page.wait_for_url("**/admin/cases/time-limits/")
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2  # the case with 30 days left is not listed yet
    assert OVERDUE in rows.nth(0).inner_text() and "已超期 4 天" in rows.nth(0).inner_text()
    assert DUE_SOON in rows.nth(1).inner_text() and "剩余 2 天" in rows.nth(1).inner_text()

    page.get_by_label("期限状态").select_option(label="已超期")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**state=overdue**")
    assert rows.count() == 1 and OVERDUE in rows.nth(0).inner_text()

    with page.expect_download() as download:
        page.get_by_role("link", name="导出Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert OVERDUE in cells and DUE_SOON not in cells and LATER not in cells
