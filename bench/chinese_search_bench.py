"""Chinese search: trigram matching (pg_trgm) against overlapping character pairs in the stored search vector
(vendors migration 0008), timed on the same rows. Results go in docs/i18n.md by hand.

    BENCH_CHINESE_URL=postgres://postgres@127.0.0.1:5432/chinese_search_bench .venv/bin/python \
        bench/chinese_search_bench.py [rows]

It makes (or reuses) a database of its own, named by BENCH_CHINESE_URL, created with the server's default
locale, and in it a table of `rows` products (300,000 by default) whose names and descriptions are drawn from
Chinese and English words, about half of them Chinese. Then, for each query, it times (median of five runs,
warm cache) the first page of 24 matches as each approach asks for it:
- trigram: `name ILIKE '%q%' OR description ILIKE '%q%'` on GIN trigram indexes of both columns; the way to
  find a word inside a run of Chinese characters with pg_trgm (similarity needs the word boundaries Chinese
  does not write); first unranked (any 24 matches, by id), then ranked by trigram similarity;
- pairs: the vector `@@` the query's pairs as a phrase, on its GIN index, ranked as the site ranks (ts_rank).
Common words (thousands of matches) and rare ones (RARE rows) are both asked for.
It also counts each approach's matches (both must find the same rows for a query of two characters or more)
and says whether pg_trgm makes any trigram of Chinese text at all under the database's locale.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from urllib.parse import urlparse

import psycopg2

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from marketplace.kernel.languages import han_grams_query  # noqa: E402
from vendors.migrations import __path__ as migrations_path  # noqa: E402

URL = os.environ.get("BENCH_CHINESE_URL", "postgres://postgres@127.0.0.1:5432/chinese_search_bench")
ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
QUERIES = ["烏龍", "檜木", "鳳梨酥", "龍井", "西湖龍井", "茶", "skillet"]
# A few rows with words found nowhere else: a rare match is where an index must find the rows, not a scan.
RARE = 25
CHINESE = (
    "阿里山 高山 烏龍茶 凍頂 東方美人 紅玉 紅茶 綠茶 茉莉 花香 焙火 手作 陶瓷 茶壺 品茗杯 白瓷 麵包 天然酵母 鄉村 "
    "蔥花 鳳梨酥 芋頭酥 蜂蜜蛋糕 鑄鐵 平底鍋 檜木 砧板 湯鍋 不鏽鋼 馬克杯 茶巾 保鮮罐 單車 安全帽 尾燈 補胎 "
    "工具組 潤滑油 書籍 筆記本 鋼筆 墨水 盆栽 種子 園藝 手套 毛衣 圍巾 帽子 襪子 皮夾 皮帶 玩具 積木 拼圖 "
    "寵物 飼料 項圈 洗髮精 乳液 蠟燭 香氛 台南 宜蘭 鶯歌 大甲 日月潭 小批次 新鮮 限量 經典 傳統 職人"
).split()
ENGLISH = (
    "organic coffee beans tea loose leaf teapot cup bread sourdough pastry cake skillet knife board stockpot mug "
    "towel jar bicycle helmet light lock pannier tyre novel notebook pen ink seeds gloves jumper scarf socks"
).split()


def _admin_url() -> str:
    parsed = urlparse(URL)
    return parsed._replace(path="/postgres").geturl()


def _han_grams_sql() -> str:
    """The pairs function exactly as the migration creates it."""
    source = open(os.path.join(migrations_path[0], "0008_bilingual_names.py"), encoding="utf-8").read()
    start = source.index("CREATE FUNCTION vendors_han_grams")
    return source[start : source.index("$$;", start) + 3]


def _setup(cur) -> None:  # type: ignore[no-untyped-def]
    cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cur.execute("SELECT to_regclass('bench_items') IS NOT NULL")
    if cur.fetchone()[0]:
        cur.execute("SELECT count(*) FROM bench_items")
        if cur.fetchone()[0] == ROWS + 2 * RARE:
            return
        cur.execute("DROP TABLE bench_items")
    cur.execute("DROP FUNCTION IF EXISTS vendors_han_grams(text)")
    cur.execute(_han_grams_sql())
    cur.execute("CREATE TABLE bench_items (id bigserial PRIMARY KEY, name text, description text, search tsvector)")
    words = "ARRAY[" + ",".join(f"'{w}'" for w in CHINESE) + "]"
    english = "ARRAY[" + ",".join(f"'{w}'" for w in ENGLISH) + "]"
    # Half the rows in Chinese (words run together, as Chinese is written), half in English.
    cur.execute(
        f"""
        INSERT INTO bench_items (name, description)
        SELECT CASE WHEN i % 2 = 0
                    THEN w[1 + (i * 7) % cardinality(w)] || w[1 + (i * 13) % cardinality(w)]
                         || w[1 + (i / 3 * 17) % cardinality(w)]
                    ELSE e[1 + (i * 7) % cardinality(e)] || ' ' || e[1 + (i * 13) % cardinality(e)] END,
               CASE WHEN i % 2 = 0
                    THEN w[1 + (i * 19) % cardinality(w)] || w[1 + (i * 23) % cardinality(w)] || '，'
                         || w[1 + (i * 29) % cardinality(w)] || w[1 + (i / 7 * 31) % cardinality(w)] || '。'
                    ELSE e[1 + (i * 19) % cardinality(e)] || ' ' || e[1 + (i * 23) % cardinality(e)] END
        FROM generate_series(1, {ROWS}) AS i, (SELECT {words} AS w, {english} AS e) AS lists
        """
    )
    cur.execute(
        "INSERT INTO bench_items (name, description) SELECT '西湖龍井春茶', '杭州的綠茶。' FROM generate_series(1, %s)"
        " UNION ALL SELECT 'Cast iron skillet', 'Seasoned.' FROM generate_series(1, %s)",
        (RARE, RARE),
    )
    cur.execute(
        """UPDATE bench_items SET search =
             setweight(to_tsvector('english', name), 'A')
             || setweight(to_tsvector('simple', vendors_han_grams(name)), 'A')
             || setweight(to_tsvector('english', description), 'C')
             || setweight(to_tsvector('simple', vendors_han_grams(description)), 'C')"""
    )
    cur.execute("CREATE INDEX bench_items_search ON bench_items USING gin (search)")
    cur.execute("CREATE INDEX bench_items_name_trgm ON bench_items USING gin (name gin_trgm_ops)")
    cur.execute("CREATE INDEX bench_items_description_trgm ON bench_items USING gin (description gin_trgm_ops)")
    cur.execute("VACUUM ANALYZE bench_items")


def _timed(cur, sql: str, params: tuple) -> float:  # type: ignore[no-untyped-def,type-arg]
    times = []
    for _ in range(6):
        start = time.perf_counter()
        cur.execute(sql, params)
        cur.fetchall()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times[1:])


def main() -> None:
    admin = psycopg2.connect(_admin_url())
    admin.autocommit = True
    name = urlparse(URL).path.lstrip("/")
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{name}"')
    connection = psycopg2.connect(URL)
    connection.autocommit = True
    with connection.cursor() as cur:
        _setup(cur)
        cur.execute("SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()")
        collate, ctype = cur.fetchone()
        cur.execute("SELECT cardinality(show_trgm('高山烏龍茶'))")
        trigrams = cur.fetchone()[0]
        print(f"{ROWS:,} rows; locale {collate}/{ctype}; pg_trgm makes {trigrams} trigrams of 高山烏龍茶")
        print(f"{'query':<12}{'trigram ms':>12}{'ranked ms':>11}{'pairs ms':>10}{'trigram n':>11}{'pairs n':>9}")
        for query in QUERIES:
            han = han_grams_query(query)
            tsquery = "to_tsquery('simple', %s)" if han else "websearch_to_tsquery('english', %s)"
            pairs_sql = (
                f"SELECT id FROM bench_items WHERE search @@ {tsquery} "
                f"ORDER BY ts_rank(search, {tsquery}) DESC, id LIMIT 24"
            )
            trigram_sql = "SELECT id FROM bench_items WHERE name ILIKE %s OR description ILIKE %s ORDER BY id LIMIT 24"
            ranked_sql = (
                "SELECT id FROM bench_items WHERE name ILIKE %s OR description ILIKE %s "
                "ORDER BY greatest(similarity(name, %s), similarity(description, %s)) DESC, id LIMIT 24"
            )
            like = f"%{query}%"
            pairs_ms = _timed(cur, pairs_sql, (han or query, han or query))
            trigram_ms = _timed(cur, trigram_sql, (like, like))
            ranked_ms = _timed(cur, ranked_sql, (like, like, query, query))
            cur.execute(f"SELECT count(*) FROM bench_items WHERE search @@ {tsquery}", (han or query,))
            pairs_n = cur.fetchone()[0]
            cur.execute("SELECT count(*) FROM bench_items WHERE name ILIKE %s OR description ILIKE %s", (like, like))
            trigram_n = cur.fetchone()[0]
            print(f"{query:<12}{trigram_ms:>12.1f}{ranked_ms:>11.1f}{pairs_ms:>10.1f}{trigram_n:>11,}{pairs_n:>9,}")


if __name__ == "__main__":
    main()
