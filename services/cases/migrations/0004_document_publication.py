import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_stage_time_limits"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="legaldocument",
            options={
                "ordering": ["-issued_on", "number"],
                "permissions": [("publish_document", "核对并公开法律文书")],
                "verbose_name": "法律文书",
                "verbose_name_plural": "法律文书",
            },
        ),
        migrations.RenameField(
            model_name="legaldocument",
            old_name="is_published",
            new_name="source_publishable",
        ),
        migrations.AlterField(
            model_name="legaldocument",
            name="source_publishable",
            field=models.BooleanField(default=False, verbose_name="来源系统标记公开"),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="judgment_effective_on",
            field=models.DateField(blank=True, null=True, verbose_name="判决生效日期"),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="reviewed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="核对时间"),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="reviewed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="核对人",
            ),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="rule_text",
            field=models.TextField(blank=True, verbose_name="规则隐名处理结果"),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="source_public_text",
            field=models.TextField(blank=True, verbose_name="来源系统提供的公开版本"),
        ),
        migrations.AddField(
            model_name="legaldocument",
            name="state",
            field=models.CharField(
                choices=[("withheld", "不公开"), ("pending", "待核对"), ("approved", "已公开"), ("returned", "已退回")],
                db_index=True,
                default="withheld",
                max_length=16,
                verbose_name="公开状态",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="is_minor",
            field=models.BooleanField(default=False, verbose_name="未成年人"),
        ),
        migrations.CreateModel(
            name="DocumentEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "action",
                    models.CharField(
                        choices=[
                            ("queued", "进入待核对"),
                            ("withheld", "不予公开"),
                            ("approved", "核对通过并公开"),
                            ("returned", "退回"),
                        ],
                        max_length=16,
                        verbose_name="操作",
                    ),
                ),
                ("at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                ("comment", models.TextField(blank=True, verbose_name="说明")),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="操作人",
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="events", to="cases.legaldocument"
                    ),
                ),
            ],
            options={
                "verbose_name": "文书公开记录",
                "verbose_name_plural": "文书公开记录",
                "ordering": ["document", "at", "pk"],
            },
        ),
    ]
