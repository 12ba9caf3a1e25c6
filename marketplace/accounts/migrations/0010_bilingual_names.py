"""Regions and interests get a name in Traditional Chinese (marketplace.kernel.languages), and the reference rows
of migration 0002 their Chinese names (Taiwan usage)."""

from django.db import migrations, models

REGIONS_ZH = {
    "north": "北部", "north-east": "東北部", "north-west": "西北部", "midlands": "中部", "east": "東部",
    "london": "倫敦", "south-east": "東南部", "south-west": "西南部", "wales": "威爾斯", "scotland": "蘇格蘭",
    "northern-ireland": "北愛爾蘭",
}  # fmt: skip
INTERESTS_ZH = {
    "cooking": "烹飪", "cycling": "單車", "gardening": "園藝", "gaming": "電玩", "fashion": "時尚", "fitness": "健身",
    "books": "閱讀", "music": "音樂", "travel": "旅行", "diy": "DIY 手作", "pets": "寵物", "photography": "攝影",
}  # fmt: skip


def add_chinese_names(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Interest = apps.get_model("accounts", "Interest")
    for code, name in REGIONS_ZH.items():
        Region.objects.filter(code=code, name_zh_hant="").update(name_zh_hant=name)
    for slug, name in INTERESTS_ZH.items():
        Interest.objects.filter(slug=slug, name_zh_hant="").update(name_zh_hant=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0009_user_language")]

    operations = [
        migrations.AddField(
            model_name="interest",
            name="name_zh_hant",
            field=models.CharField(blank=True, max_length=60, verbose_name="name in Traditional Chinese"),
        ),
        migrations.AddField(
            model_name="region",
            name="name_zh_hant",
            field=models.CharField(blank=True, max_length=60, verbose_name="name in Traditional Chinese"),
        ),
        migrations.RunPython(add_chinese_names, migrations.RunPython.noop),
    ]
