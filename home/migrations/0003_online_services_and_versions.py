import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_editorial_review"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="servicepage",
            options={"verbose_name": "在线服务办理说明", "verbose_name_plural": "在线服务办理说明"},
        ),
        migrations.AddField(
            model_name="columnpage",
            name="services_section",
            field=models.CharField(
                blank=True,
                choices=[("interaction", "互动交流"), ("online_services", "在线办事"), ("case_information", "案件信息公开")],
                help_text="本栏目列出该分组中已上线的在线服务（由各服务应用登记，未上线的服务不会出现）。",
                max_length=30,
                verbose_name="在线服务分组",
            ),
        ),
        migrations.AddField(
            model_name="servicepage",
            name="service",
            field=models.CharField(
                default="",
                help_text="本页介绍的在线服务。只能选择已上线的服务（由各服务应用登记）。",
                max_length=100,
                verbose_name="在线服务",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="articlepage",
            name="superseded_by",
            field=models.ForeignKey(
                blank=True,
                help_text="已修订或已废止的文件：选择修订后或替代它的文件，原文页面和公开目录将链接到现行版本。",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="superseded_versions",
                to="home.articlepage",
                verbose_name="现行版本",
            ),
        ),
    ]
