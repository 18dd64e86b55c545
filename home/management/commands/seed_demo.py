"""`manage.py seed_demo`: load the fictional 青山县 demo site. Safe to run again."""

import contextlib
import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from home.demo import builders
from portal.roles import ROLES_BY_CODE


@contextlib.contextmanager
def logger_level(name, level):
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


class Command(BaseCommand):
    help = "Load the demo county portal (青山县人民政府): departments, columns, articles, media, one account per role."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless something goes wrong.")

    def handle(self, *args, quiet=False, **options):
        started = time.monotonic()
        verbose = not quiet and options["verbosity"] > 1
        seeder = builders.Seeder(log=self.stdout.write if verbose else None)
        # Wagtail logs every page created/edited/published at INFO: show that only with -v 2. The
        # demo's history (every archive article approved at each level) e-mails nobody.
        with (
            logger_level("wagtail", logging.INFO if verbose else logging.WARNING),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            created = seeder.run()
        if quiet:
            return

        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"演示数据就绪（{elapsed:.1f} 秒）。本次新建：") + self._pairs(created))
        self.stdout.write("当前数量：" + self._pairs(builders.counts()))
        if settings.DEBUG:
            self.stdout.write("演示账号（仅供本地演示；DEBUG=True 时才显示密码）：")
            for username, _display_name, _department, role_code in builders.ACCOUNTS:
                role = ROLES_BY_CODE[role_code]
                self.stdout.write(f"  {role.name}\t{username}\t{builders.demo_password(username)}")
        else:
            self.stdout.write("演示账号已创建（每个角色一个），密码见 README 的演示说明；正式上线前请删除或修改。")

    @staticmethod
    def _pairs(numbers):
        return "，".join(f"{name} {value}" for name, value in numbers.items())
