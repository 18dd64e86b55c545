"""`manage.py letters_index`: keep the letters index in step with PostgreSQL.

--pending   queue an index update for every letter not yet indexed in its latest
            version (a repair: the index task retries by itself while Elasticsearch
            is down, and gives up after search.connection.MAX_ATTEMPTS)
--rebuild   drop and rebuild the index from the database, synchronously
"""

from django.core.management.base import BaseCommand, CommandError

from services.letters.search import rebuild_index, sweep_pending_letters


class Command(BaseCommand):
    help = "Queue pending letters for indexing (--pending) or rebuild the letters index (--rebuild)."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--pending", action="store_true")
        group.add_argument("--rebuild", action="store_true")

    def handle(self, *args, pending=False, rebuild=False, **options):
        if pending:
            count = sweep_pending_letters()
            self.stdout.write(f"已排队待索引信件 {count} 件。")
            return
        try:
            count = rebuild_index()
        except Exception as exc:
            raise CommandError(f"Elasticsearch 不可用，重建失败：{exc.__class__.__name__}") from exc
        self.stdout.write(f"已重建信件索引，共 {count} 件。")
