"""`manage.py reindex_cases`: rebuild the case and legal-document indices from PostgreSQL."""

import time

from django.core.management.base import BaseCommand

from services.cases.documents import rebuild_indices


class Command(BaseCommand):
    help = "Rebuild the case and public-document indices into new versions and swap the aliases atomically."

    def handle(self, *args, **options):
        started = time.monotonic()
        targets, count = rebuild_indices()
        elapsed = time.monotonic() - started
        names = "，".join(targets.values())
        self.stdout.write(f"已重建索引 {names}：写入 {count} 条，用时 {elapsed:.1f} 秒。")
