"""The common abbreviations and everyday words citizens type, with the forms official texts use.
Editors extend the table in the admin (设置 → 搜索同义词)."""

from django.db import migrations

SEED = [
    ("低保", "最低生活保障", "城乡居民最低生活保障"),
    ("医保", "医疗保障、医疗保险", ""),
    ("社保", "社会保险", ""),
    ("社保卡", "社会保障卡", ""),
    ("公积金", "住房公积金", ""),
    ("非遗", "非物质文化遗产", ""),
    ("年报", "年度报告", "如政府信息公开工作年度报告"),
    ("电动车", "电动自行车", ""),
    ("一网通办", "全程网办、网上办理", "政务服务“一网通办”"),
    ("新农合", "新型农村合作医疗", "已并入城乡居民基本医疗保险"),
    ("五保", "特困人员救助供养、特困供养", "农村五保供养已并入特困人员救助供养"),
    ("残疾证", "残疾人证", ""),
    ("个税", "个人所得税", ""),
    ("户口", "户籍", ""),
    ("驾照", "驾驶证", "机动车驾驶证"),
    ("公租房", "公共租赁住房、廉租房", ""),
    ("棚改", "棚户区改造", ""),
    ("旧改", "老旧小区改造", ""),
    ("养老金", "基本养老金", ""),
    ("房产证", "不动产权证书、房屋所有权证", ""),
    ("生育险", "生育保险", ""),
    ("助学贷款", "生源地信用助学贷款", ""),
    ("12345", "12345热线、政务服务便民热线", ""),
    ("双随机", "双随机一公开", "市场监管抽查"),
]


def seed(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    for term, synonyms, note in SEED:
        Synonym.objects.get_or_create(term=term, defaults={"synonyms": synonyms, "note": note})


def unseed(apps, schema_editor):
    Synonym = apps.get_model("portal_search", "Synonym")
    Synonym.objects.filter(term__in=[term for term, _synonyms, _note in SEED]).delete()


class Migration(migrations.Migration):
    dependencies = [("portal_search", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
