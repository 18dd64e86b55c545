"""`manage.py setup_review`: create the role groups, review levels and review workflows once."""

from django.core.management.base import BaseCommand

from home.review import ensure_review_workflows


class Command(BaseCommand):
    help = "Create the editorial review workflows (三级审核, 敏感信息审核, 部门栏目审核…). Safe to run again."

    def handle(self, *args, **options):
        workflows = ensure_review_workflows()
        for workflow in workflows.values():
            levels = " → ".join(task.name for task in workflow.tasks)
            self.stdout.write(f"{workflow.name}：{levels}")
