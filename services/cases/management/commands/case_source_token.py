"""`manage.py case_source_token CODE --name NAME`: register a source system or rotate its token."""

from django.core.management.base import BaseCommand

from services.cases.models import ImportSource


class Command(BaseCommand):
    help = "Create a case-import source system, or give an existing one a new token; prints the token once."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--name", default="", help="Display name (required when creating).")

    def handle(self, *args, code, name, **options):
        source = ImportSource.objects.filter(code=code).first() or ImportSource(code=code, name=name or code)
        if name:
            source.name = name
        token = source.set_new_token()
        source.is_active = True
        source.save()
        self.stdout.write(f"来源系统“{source.name}”的新令牌（只显示这一次，旧令牌已失效）：")
        self.stdout.write(token)
