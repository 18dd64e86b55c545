from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_service_pages_name_their_service"),
    ]

    operations = [
        migrations.RemoveField(model_name="servicepage", name="service_url"),
    ]
