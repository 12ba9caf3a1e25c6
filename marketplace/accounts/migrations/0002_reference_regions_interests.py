from django.db import migrations

REGIONS = [
    ("north", "North"), ("north-east", "North East"), ("north-west", "North West"), ("midlands", "Midlands"),
    ("east", "East"), ("london", "London"), ("south-east", "South East"), ("south-west", "South West"),
    ("wales", "Wales"), ("scotland", "Scotland"), ("northern-ireland", "Northern Ireland"),
]
INTERESTS = [
    ("cooking", "Cooking"), ("cycling", "Cycling"), ("gardening", "Gardening"), ("gaming", "Gaming"),
    ("fashion", "Fashion"), ("fitness", "Fitness"), ("books", "Books"), ("music", "Music"),
    ("travel", "Travel"), ("diy", "DIY"), ("pets", "Pets"), ("photography", "Photography"),
]


def add_reference_data(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Interest = apps.get_model("accounts", "Interest")
    for code, name in REGIONS:
        Region.objects.get_or_create(code=code, defaults={"name": name})
    for slug, name in INTERESTS:
        Interest.objects.get_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_reference_data, migrations.RunPython.noop)]
