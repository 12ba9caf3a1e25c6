"""Names and descriptions in Traditional Chinese beside the main ones (categories, vendors, products), the demo's
categories' Chinese names, and search vectors that find Chinese text.

PostgreSQL's text-search parser keeps a run of Chinese characters as one word ("有機烏龍茶"), so a search for
"烏龍" found nothing, and pg_trgm makes no trigram of them in a database of the C locale (the embedded one).
The stored vectors now also hold every run of Han characters of each text, in both languages, as its
overlapping pairs in order and its single characters ('有機' '機烏' '烏龍' '龍茶', then '有' '機' ...), with the
weights the texts had; a search asks for the pairs of its own Chinese words as a phrase (docs/i18n.md, where
this was measured against trigram matching). The triggers read both languages' columns and fire on them.
"""

from django.db import migrations, models

CATEGORIES_ZH = {
    "coffee-tea": "咖啡與茶", "bakery": "烘焙坊", "bicycles": "自行車", "books": "書籍", "garden": "園藝",
    "home-kitchen": "居家與廚房", "fashion": "服飾", "electronics": "電子產品", "sports": "運動用品",
    "toys-games": "玩具與遊戲", "pets": "寵物用品", "beauty": "美妝保養",
}  # fmt: skip


def add_chinese_names(apps, schema_editor):
    Category = apps.get_model("vendors", "Category")
    for slug, name in CATEGORIES_ZH.items():
        Category.objects.filter(slug=slug, name_zh_hant="").update(name_zh_hant=name)


FORWARD_SQL = r"""
-- Every run of Han characters in `body`: its overlapping pairs in order, then its single characters, as words
-- separated by spaces for to_tsvector('simple', ...) (a run of one character is its own pair).
CREATE FUNCTION vendors_han_grams(body text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(string_agg(gram, ' ' ORDER BY part, run_no, pos), '')
    FROM (
        SELECT 1 AS part, r.n AS run_no, p AS pos, substr(r.m[1], p, 2) AS gram
        FROM regexp_matches(coalesce(body, ''), '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g')
            WITH ORDINALITY AS r(m, n),
            generate_series(1, greatest(char_length(r.m[1]) - 1, 1)) AS p
        UNION ALL
        SELECT 2, r.n, p, substr(r.m[1], p, 1)
        FROM regexp_matches(coalesce(body, ''), '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g')
            WITH ORDINALITY AS r(m, n),
            generate_series(1, char_length(r.m[1])) AS p
    ) grams
$$;

CREATE OR REPLACE FUNCTION vendors_product_search_vector(name text, vendor_name text, description text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(name, '')), 'A')
        || setweight(to_tsvector('simple', vendors_han_grams(name)), 'A')
        || setweight(to_tsvector('english', coalesce(vendor_name, '')), 'B')
        || setweight(to_tsvector('simple', vendors_han_grams(vendor_name)), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
        || setweight(to_tsvector('simple', vendors_han_grams(description)), 'C')
$$;

CREATE OR REPLACE FUNCTION vendors_product_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        concat_ws(' ', NEW.name, NEW.name_zh_hant),
        (SELECT concat_ws(' ', v.name, v.name_zh_hant) FROM vendors_vendor v WHERE v.id = NEW.vendor_id),
        concat_ws(' ', NEW.description, NEW.description_zh_hant));
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vendors_vendor_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        concat_ws(' ', NEW.name, NEW.name_zh_hant),
        (SELECT concat_ws(' ', c.name, c.name_zh_hant) FROM vendors_category c WHERE c.id = NEW.category_id),
        concat_ws(' ', NEW.description, NEW.description_zh_hant));
    RETURN NEW;
END $$;

DROP TRIGGER vendors_product_search_update ON vendors_product;
CREATE TRIGGER vendors_product_search_update
    BEFORE UPDATE OF name, name_zh_hant, description, description_zh_hant, vendor_id, search
    ON vendors_product FOR EACH ROW EXECUTE FUNCTION vendors_product_search_fill();
DROP TRIGGER vendors_vendor_search_update ON vendors_vendor;
CREATE TRIGGER vendors_vendor_search_update
    BEFORE UPDATE OF name, name_zh_hant, description, description_zh_hant, category_id, search
    ON vendors_vendor FOR EACH ROW EXECUTE FUNCTION vendors_vendor_search_fill();

DROP TRIGGER vendors_vendor_renamed ON vendors_vendor;
CREATE TRIGGER vendors_vendor_renamed AFTER UPDATE OF name, name_zh_hant ON vendors_vendor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_zh_hant IS DISTINCT FROM NEW.name_zh_hant)
    EXECUTE FUNCTION vendors_vendor_renamed();
DROP TRIGGER vendors_category_renamed ON vendors_category;
CREATE TRIGGER vendors_category_renamed AFTER UPDATE OF name, name_zh_hant ON vendors_category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.name_zh_hant IS DISTINCT FROM NEW.name_zh_hant)
    EXECUTE FUNCTION vendors_category_renamed();

-- Backfill: touching `search` runs the fill triggers.
UPDATE vendors_vendor SET search = NULL;
UPDATE vendors_product SET search = NULL;
"""

REVERSE_SQL = r"""
CREATE OR REPLACE FUNCTION vendors_product_search_vector(name text, vendor_name text, description text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(vendor_name, '')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
$$;

CREATE OR REPLACE FUNCTION vendors_product_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        NEW.name, (SELECT v.name FROM vendors_vendor v WHERE v.id = NEW.vendor_id), NEW.description);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vendors_vendor_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        NEW.name, (SELECT c.name FROM vendors_category c WHERE c.id = NEW.category_id), NEW.description);
    RETURN NEW;
END $$;

DROP TRIGGER vendors_product_search_update ON vendors_product;
CREATE TRIGGER vendors_product_search_update BEFORE UPDATE OF name, description, vendor_id, search
    ON vendors_product FOR EACH ROW EXECUTE FUNCTION vendors_product_search_fill();
DROP TRIGGER vendors_vendor_search_update ON vendors_vendor;
CREATE TRIGGER vendors_vendor_search_update BEFORE UPDATE OF name, description, category_id, search
    ON vendors_vendor FOR EACH ROW EXECUTE FUNCTION vendors_vendor_search_fill();
DROP TRIGGER vendors_vendor_renamed ON vendors_vendor;
CREATE TRIGGER vendors_vendor_renamed AFTER UPDATE OF name ON vendors_vendor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION vendors_vendor_renamed();
DROP TRIGGER vendors_category_renamed ON vendors_category;
CREATE TRIGGER vendors_category_renamed AFTER UPDATE OF name ON vendors_category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION vendors_category_renamed();
DROP FUNCTION vendors_han_grams(text);
UPDATE vendors_vendor SET search = NULL;
UPDATE vendors_product SET search = NULL;
"""


def _postgres_only(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("vendors", "0007_moderation_review_hide")]

    operations = [
        migrations.AddField(
            model_name="category",
            name="name_zh_hant",
            field=models.CharField(blank=True, max_length=80, verbose_name="name in Traditional Chinese"),
        ),
        migrations.AddField(
            model_name="product",
            name="description_zh_hant",
            field=models.TextField(blank=True, verbose_name="description in Traditional Chinese"),
        ),
        migrations.AddField(
            model_name="product",
            name="name_zh_hant",
            field=models.CharField(blank=True, max_length=160, verbose_name="name in Traditional Chinese"),
        ),
        migrations.AddField(
            model_name="vendor",
            name="description_zh_hant",
            field=models.TextField(blank=True, verbose_name="description in Traditional Chinese"),
        ),
        migrations.AddField(
            model_name="vendor",
            name="name_zh_hant",
            field=models.CharField(blank=True, max_length=120, verbose_name="name in Traditional Chinese"),
        ),
        migrations.RunPython(add_chinese_names, migrations.RunPython.noop),
        migrations.RunPython(_postgres_only(FORWARD_SQL), _postgres_only(REVERSE_SQL), elidable=False),
    ]
