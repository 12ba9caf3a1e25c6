"""Stored search vectors and per-vendor active-product counts, so no page computes either per request.

On PostgreSQL, triggers keep them: each product's and vendor's tsvector is written on insert and on every
change of the text it is made of (a product's vendor renamed, a vendor's category renamed included); the
GIN indexes serve full-text search, the trigram indexes the fuzzy fallback on names. A vendor's active
product count is recomputed from vendors_product (never counted up) in the transaction that writes the
products, whichever code writes them. SQLite (the embedded mode) gets the columns only: it searches with
icontains and counts per request.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

FORWARD_SQL = r"""
CREATE FUNCTION vendors_product_search_vector(name text, vendor_name text, description text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('english', coalesce(name, '')), 'A')
        || setweight(to_tsvector('english', coalesce(vendor_name, '')), 'B')
        || setweight(to_tsvector('english', coalesce(description, '')), 'C')
$$;

CREATE FUNCTION vendors_product_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        NEW.name, (SELECT v.name FROM vendors_vendor v WHERE v.id = NEW.vendor_id), NEW.description);
    RETURN NEW;
END $$;

CREATE TRIGGER vendors_product_search_insert BEFORE INSERT ON vendors_product
    FOR EACH ROW EXECUTE FUNCTION vendors_product_search_fill();
CREATE TRIGGER vendors_product_search_update BEFORE UPDATE OF name, description, vendor_id, search
    ON vendors_product FOR EACH ROW EXECUTE FUNCTION vendors_product_search_fill();

CREATE FUNCTION vendors_vendor_search_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search := vendors_product_search_vector(
        NEW.name, (SELECT c.name FROM vendors_category c WHERE c.id = NEW.category_id), NEW.description);
    RETURN NEW;
END $$;

CREATE TRIGGER vendors_vendor_search_insert BEFORE INSERT ON vendors_vendor
    FOR EACH ROW EXECUTE FUNCTION vendors_vendor_search_fill();
CREATE TRIGGER vendors_vendor_search_update BEFORE UPDATE OF name, description, category_id, search
    ON vendors_vendor FOR EACH ROW EXECUTE FUNCTION vendors_vendor_search_fill();

-- A renamed vendor: its products' vectors carry its name (weight B). Touching `search` runs their trigger.
CREATE FUNCTION vendors_vendor_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE vendors_product SET search = NULL WHERE vendor_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER vendors_vendor_renamed AFTER UPDATE OF name ON vendors_vendor
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION vendors_vendor_renamed();

-- A renamed category: its vendors' vectors carry its name (weight B).
CREATE FUNCTION vendors_category_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE vendors_vendor SET search = NULL WHERE category_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER vendors_category_renamed AFTER UPDATE OF name ON vendors_category
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION vendors_category_renamed();

-- Active-product counts, recomputed for the vendors a statement touched. The vendor rows are locked first
-- (in id order, FOR NO KEY UPDATE, which a product insert's foreign-key check does not conflict with); the
-- count is a later statement, so under READ COMMITTED it sees every product committed by a concurrent writer
-- that held the lock before: two transactions adding products to one vendor cannot both write a stale count.
-- `upsert` is false for deletes, so a vendor being deleted (its stats row first) is not given a row again.
CREATE FUNCTION vendors_catalogue_stats_refresh(vendor_ids bigint[], upsert boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF vendor_ids IS NULL OR cardinality(vendor_ids) = 0 THEN
        RETURN;
    END IF;
    PERFORM 1 FROM vendors_vendor WHERE id = ANY(vendor_ids) ORDER BY id FOR NO KEY UPDATE;
    IF upsert THEN
        INSERT INTO vendors_vendorcataloguestats (vendor_id, active_products)
        SELECT v.id, (SELECT count(*) FROM vendors_product p WHERE p.vendor_id = v.id AND p.active)
        FROM vendors_vendor v WHERE v.id = ANY(vendor_ids)
        ON CONFLICT (vendor_id) DO UPDATE SET active_products = EXCLUDED.active_products;
    ELSE
        UPDATE vendors_vendorcataloguestats s
        SET active_products = (SELECT count(*) FROM vendors_product p WHERE p.vendor_id = s.vendor_id AND p.active)
        WHERE s.vendor_id = ANY(vendor_ids);
    END IF;
END $$;

CREATE FUNCTION vendors_product_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM vendors_catalogue_stats_refresh(ARRAY(SELECT DISTINCT vendor_id FROM new_rows), true);
    RETURN NULL;
END $$;

CREATE FUNCTION vendors_product_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM vendors_catalogue_stats_refresh(ARRAY(SELECT DISTINCT vendor_id FROM old_rows WHERE active), false);
    RETURN NULL;
END $$;

CREATE FUNCTION vendors_product_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM vendors_catalogue_stats_refresh(ARRAY[OLD.vendor_id, NEW.vendor_id], true);
    RETURN NULL;
END $$;

-- Inserts and deletes per statement (a bulk insert of 200k rows recounts each vendor once); updates per row,
-- and only when `active` or `vendor` really changed, so stock and price updates cost nothing here.
CREATE TRIGGER vendors_product_count_insert AFTER INSERT ON vendors_product
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vendors_product_inserted();
CREATE TRIGGER vendors_product_count_delete AFTER DELETE ON vendors_product
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vendors_product_deleted();
CREATE TRIGGER vendors_product_count_update AFTER UPDATE OF active, vendor_id ON vendors_product
    FOR EACH ROW WHEN (OLD.active IS DISTINCT FROM NEW.active OR OLD.vendor_id IS DISTINCT FROM NEW.vendor_id)
    EXECUTE FUNCTION vendors_product_moved();

-- Backfill, set-based: vectors of existing rows, then every vendor's count.
UPDATE vendors_vendor v SET search = vendors_product_search_vector(v.name, c.name, v.description)
FROM vendors_category c WHERE c.id = v.category_id;
UPDATE vendors_product p SET search = NULL;
INSERT INTO vendors_vendorcataloguestats (vendor_id, active_products)
SELECT v.id, count(p.id) FILTER (WHERE p.active) FROM vendors_vendor v
LEFT JOIN vendors_product p ON p.vendor_id = v.id GROUP BY v.id
ON CONFLICT (vendor_id) DO UPDATE SET active_products = EXCLUDED.active_products;

CREATE INDEX vendors_product_search_gin ON vendors_product USING gin (search);
CREATE INDEX vendors_product_name_trgm ON vendors_product USING gin (name gin_trgm_ops);
CREATE INDEX vendors_vendor_search_gin ON vendors_vendor USING gin (search);
CREATE INDEX vendors_vendor_name_trgm ON vendors_vendor USING gin (name gin_trgm_ops);
-- The directory's "newest" order (SQLite cannot index NULLS LAST, so it is not in the model's Meta).
CREATE INDEX vendors_vendor_approved_newest ON vendors_vendor (approved_at DESC NULLS LAST, id DESC)
    WHERE status = 'approved';
"""

REVERSE_SQL = r"""
DROP INDEX IF EXISTS vendors_product_search_gin;
DROP INDEX IF EXISTS vendors_product_name_trgm;
DROP INDEX IF EXISTS vendors_vendor_search_gin;
DROP INDEX IF EXISTS vendors_vendor_name_trgm;
DROP INDEX IF EXISTS vendors_vendor_approved_newest;
DROP TRIGGER IF EXISTS vendors_product_count_insert ON vendors_product;
DROP TRIGGER IF EXISTS vendors_product_count_delete ON vendors_product;
DROP TRIGGER IF EXISTS vendors_product_count_update ON vendors_product;
DROP TRIGGER IF EXISTS vendors_product_search_insert ON vendors_product;
DROP TRIGGER IF EXISTS vendors_product_search_update ON vendors_product;
DROP TRIGGER IF EXISTS vendors_vendor_search_insert ON vendors_vendor;
DROP TRIGGER IF EXISTS vendors_vendor_search_update ON vendors_vendor;
DROP TRIGGER IF EXISTS vendors_vendor_renamed ON vendors_vendor;
DROP TRIGGER IF EXISTS vendors_category_renamed ON vendors_category;
DROP FUNCTION IF EXISTS vendors_product_inserted();
DROP FUNCTION IF EXISTS vendors_product_deleted();
DROP FUNCTION IF EXISTS vendors_product_moved();
DROP FUNCTION IF EXISTS vendors_catalogue_stats_refresh(bigint[], boolean);
DROP FUNCTION IF EXISTS vendors_category_renamed();
DROP FUNCTION IF EXISTS vendors_vendor_renamed();
DROP FUNCTION IF EXISTS vendors_vendor_search_fill();
DROP FUNCTION IF EXISTS vendors_product_search_fill();
DROP FUNCTION IF EXISTS vendors_product_search_vector(text, text, text);
"""


def _postgres_only(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("vendors", "0002_alter_moderationaction_kind")]

    operations = [
        TrigramExtension(),  # already made by shop 0003 where it ran; IF NOT EXISTS, and skipped on SQLite
        migrations.CreateModel(
            name="VendorCatalogueStats",
            fields=[
                (
                    "vendor",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="catalogue_stats",
                        serialize=False,
                        to="vendors.vendor",
                    ),
                ),
                ("active_products", models.PositiveIntegerField(default=0)),
            ],
            options={"verbose_name_plural": "vendor catalogue stats"},
        ),
        migrations.AddField(
            model_name="product",
            name="search",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="vendor",
            name="search",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("active", True)), fields=["name", "id"], name="product_active_name_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="vendor",
            index=models.Index(
                condition=models.Q(("status", "approved")), fields=["name", "id"], name="vendor_approved_name_idx"
            ),
        ),
        migrations.RunPython(_postgres_only(FORWARD_SQL), _postgres_only(REVERSE_SQL), elidable=False),
    ]
