"""`manage.py annual_report YEAR --column SLUG --user USERNAME`: generate the 政府网站工作年度报表
for YEAR, attach it as .xlsx to a new article in the column and submit it for review."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from home.annual_report import draft_report_article
from home.models import ColumnPage
from home.review import ReviewRefused


class Command(BaseCommand):
    help = "Generate the website's annual report for a year and submit it for review as an article."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--column", required=True, help="Slug of the column that publishes it.")
        parser.add_argument("--user", required=True, help="Username of the editor who submits it.")

    def handle(self, *args, year, column, user, **options):
        target = ColumnPage.objects.live().filter(slug=column).first()
        if target is None:
            raise CommandError(f"栏目 {column} 不存在或未发布。")
        editor = get_user_model().objects.filter(username=user, is_active=True).first()
        if editor is None:
            raise CommandError(f"用户 {user} 不存在。")
        try:
            article = draft_report_article(year, target, editor)
        except ReviewRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write(f"已生成并提交审核：{article.title}")
