"""`manage.py generate_scale_data`: load a seeded portal with scale data for benchmarks (issue 15)."""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from home.scale_data import generate_pages
from portal.models import Sequence
from services.cases import scale_data as case_data
from services.letters.scale_data import generate_letters

# Set once scale data is in the database: a second run would only duplicate it.
MARKER = "scale-data:seed"


class Command(BaseCommand):
    help = (
        "为已初始化（seed_demo）的门户批量生成规模测试数据：各栏目下经审核发布的信息、领导信箱来信、案件信息。"
        "同一种子生成相同的数据；每个数据库只能生成一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=10_000, help="信息（文章）数量")
        parser.add_argument("--letters", type=int, default=100_000, help="来信数量")
        parser.add_argument("--cases", type=int, default=0, help="案件数量")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--document-every", type=int, default=10, help="每 N 件已结案件公开一份法律文书")

    def handle(self, *args, pages, letters, cases, seed, document_every, **options):
        if min(pages, letters, cases) < 0 or document_every < 1:
            raise CommandError("数量不能为负数，--document-every 至少为 1。")
        existing = Sequence.objects.filter(name=MARKER).first()
        if existing is not None:
            raise CommandError(
                f"本数据库已经生成过规模测试数据（种子 {existing.value}），再次生成会重复。"
                "如需重新生成，请使用新的数据库（先 seed_demo）。"
            )
        log = self.stdout.write if options["verbosity"] > 1 else (lambda message: None)
        rng = random.Random(seed)
        # Dates count back from the start of today, so that a seed gives the same data all day.
        now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
        started = time.monotonic()
        try:
            with transaction.atomic():
                Sequence.objects.create(name=MARKER, value=seed)
                per_column = generate_pages(pages, random.Random(rng.random()), timezone.localdate(), log)
                by_status = generate_letters(letters, random.Random(rng.random()), now, log)
                if cases:
                    case_data.generate(cases, document_every, start=case_data.next_case_number(), seed=seed, log=log)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"规模测试数据已生成（{elapsed:.1f} 秒）：信息 {pages} 条，来信 {letters} 封，案件 {cases} 件。"
            )
        )
        self.stdout.write("信息分布：" + "，".join(f"{title} {count}" for title, count in per_column.items()))
        self.stdout.write("来信状态：" + "，".join(f"{label} {count}" for label, count in by_status.items()))
        self.stdout.write("站内搜索索引需要重建：manage.py update_index --site-only")
