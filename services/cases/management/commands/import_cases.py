"""`manage.py import_cases FILE.jsonl`: import a batch exported by the case-management system."""

from django.core.management.base import BaseCommand, CommandError

from services.cases.importing import import_lines
from services.cases.models import ImportBatch, ImportSource


class Command(BaseCommand):
    help = "Import a JSON Lines batch of cases (one case per line); prints the batch report."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the .jsonl file.")
        parser.add_argument("--source", help="Code of the source system the batch comes from.")

    def handle(self, *args, file, source=None, **options):
        source_obj = None
        if source:
            source_obj = ImportSource.objects.filter(code=source).first()
            if source_obj is None:
                raise CommandError(f"来源系统“{source}”不存在。")
        try:
            with open(file, "rb") as handle:
                batch = import_lines(handle, channel=ImportBatch.Channel.COMMAND, source=source_obj, filename=file)
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror}") from None
        self.stdout.write(
            f"批次 #{batch.pk}：共 {batch.total_lines} 行，新增 {batch.created_count}，更新 {batch.updated_count}，"
            f"无变化 {batch.unchanged_count}，拒收 {batch.rejected_count}。"
        )
        for rejection in batch.rejections.all():
            self.stdout.write(f"  第 {rejection.line_number} 行 {rejection.case_number}：{rejection.reason}")
