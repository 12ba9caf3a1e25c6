"""Demo vendors whose catalogue is written in Traditional Chinese, so a reader of either language sees a real
two-language marketplace: three shops that write only in Chinese (their main fields hold it, so English readers
see the Chinese too) and one that writes in both. The categories' Chinese names are here as well."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from marketplace.accounts.models import Region, User
from vendors.models import Category, Product, Vendor

from .catalogue import CATALOGUE

if TYPE_CHECKING:
    from .seed import DemoResult
    from .shops import PictureShelf

# The demo categories' names in Traditional Chinese, by slug (vendors migration 0008 gives existing rows these).
CATEGORY_NAMES_ZH = {
    "coffee-tea": "咖啡與茶", "bakery": "烘焙坊", "bicycles": "自行車", "books": "書籍", "garden": "園藝",
    "home-kitchen": "居家與廚房", "fashion": "服飾", "electronics": "電子產品", "sports": "運動用品",
    "toys-games": "玩具與遊戲", "pets": "寵物用品", "beauty": "美妝保養",
}  # fmt: skip
# Their owners' accounts: not "owner…", which counts the generated vendors (seed._generated).
OWNER_EMAIL = "tw-shop-{n}@demo.example"
# Past the generated vendors' own logos: these draw from their category's pool (shops.PictureShelf.logo).
LOGO_NUMBER = 10_000


@dataclass(frozen=True)
class DemoProduct:
    name: str
    description: str
    price: str
    kind: str  # the picture's kind (catalogue.KIND_MOTIFS)
    name_zh_hant: str = ""
    description_zh_hant: str = ""


@dataclass(frozen=True)
class DemoShop:
    slug: str
    name: str
    category: str  # slug
    description: str
    owner_name: str
    regions: tuple[str, ...]
    products: tuple[DemoProduct, ...]
    name_zh_hant: str = ""
    description_zh_hant: str = ""


SHOPS = (
    DemoShop(
        slug="shancheng-tea",
        name="山城茶行",
        category="coffee-tea",
        description="阿里山下三代經營的茶行。每季向契作茶農收購高山烏龍，自家焙火，新鮮寄到夥伴手上。",
        owner_name="Chih-ming Lin",
        regions=("london", "south-east", "midlands"),
        products=(
            DemoProduct("阿里山高山烏龍茶", "海拔一千四百公尺的春茶，花香清雅，回甘持久。", "12.50", "loose tea"),
            DemoProduct("凍頂烏龍茶（傳統焙火）", "中焙火，帶熟果與焦糖香，適合冬天熱泡。", "11.00", "loose tea"),
            DemoProduct("東方美人茶", "小綠葉蟬叮咬後的蜜香，茶湯琥珀色。", "18.00", "tea tin"),
            DemoProduct("日月潭紅玉紅茶包", "台茶十八號，帶肉桂與薄荷香氣。二十入。", "14.00", "tea bags"),
            DemoProduct("手拉坯小茶壺", "鶯歌陶藝師手作，容量約 180 毫升。", "36.00", "teapot"),
            DemoProduct("白瓷品茗杯（兩入）", "薄胎白瓷，看得清茶湯顏色。", "9.50", "cup"),
        ),
    ),
    DemoShop(
        slug="chenguang-bakery",
        name="晨光麵包坊",
        category="bakery",
        description="每天清晨四點開爐的小麵包店，使用天然酵母與台灣小麥，當天出爐當天寄出。",
        owner_name="Ya-ting Chen",
        regions=("london", "east"),
        products=(
            DemoProduct("天然酵母鄉村麵包", "長時間低溫發酵，外皮酥脆、內裡濕潤。", "6.50", "bread"),
            DemoProduct("蔥花麵包", "滿滿宜蘭三星蔥，鹹香鬆軟。", "3.00", "pastry"),
            DemoProduct("土鳳梨酥（十入）", "土鳳梨內餡，酸甜不膩，送禮自用兩相宜。", "12.00", "pastry"),
            DemoProduct("古早味蜂蜜蛋糕", "使用龍眼蜂蜜，口感綿密。", "9.00", "cake"),
            DemoProduct("大甲芋頭酥", "芋頭內餡，層層酥皮。", "4.50", "pastry"),
            DemoProduct("天然酵母種", "附養法說明，在家也能做出鄉村麵包。", "5.00", "starter jar"),
        ),
    ),
    DemoShop(
        slug="tsai-kitchen",
        name="蔡家廚房雜貨",
        category="home-kitchen",
        description="台南老街上的廚房雜貨店，只賣我們自己每天在用的鍋具與器皿。",
        owner_name="Shu-fen Tsai",
        regions=("north", "north-west", "scotland"),
        products=(
            DemoProduct("鑄鐵平底鍋 26 公分", "厚實導熱，適合煎魚與烙餅。", "42.00", "skillet"),
            DemoProduct("檜木砧板", "天然木香，不易發霉，用久了更順手。", "28.00", "chopping board"),
            DemoProduct("不鏽鋼湯鍋 22 公分", "三層鍋底，燉湯滷肉都合適。", "35.00", "stockpot"),
            DemoProduct("手作陶瓷馬克杯", "每只釉色略有不同，容量 350 毫升。", "12.00", "mug"),
            DemoProduct("棉麻茶巾（三入）", "吸水快乾，洗久了更柔軟。", "8.00", "tea towel"),
            DemoProduct("玻璃保鮮罐（一公升）", "密封扣環，裝乾貨醃漬都好用。", "7.50", "storage jar"),
        ),
    ),
    DemoShop(
        slug="formosa-cycle-works",
        name="Formosa Cycle Works",
        name_zh_hant="福爾摩沙單車工坊",
        category="bicycles",
        description="A small workshop that services commuters' bikes and sells the parts we fit ourselves.",
        description_zh_hant="專門保養通勤單車的小工坊，只賣我們自己也在裝的零件。",
        owner_name="Chien-hung Huang",
        regions=("london", "south-west", "wales"),
        products=(
            DemoProduct("Commuter helmet", "Light, vented, with a rear light clip.", "45.00", "helmet",
                        "通勤安全帽", "輕量透氣，附尾燈扣座。"),
            DemoProduct("Rear bike light", "USB-charged, 40 hours on flash.", "18.00", "bike light",
                        "單車尾燈", "USB 充電，閃爍模式可用四十小時。"),
            DemoProduct("Puncture repair kit", "Patches, glue, levers and a tiny pump.", "12.00", "repair kit",
                        "補胎工具組", "補片、膠水、挖胎棒和迷你打氣筒。"),
            DemoProduct("Chain lube", "For wet roads; 100 ml.", "8.50", "lube"),  # no Chinese: shown in English
        ),
    ),
)  # fmt: skip


def categories_name_in_chinese() -> None:
    """Give the demo categories their Chinese names where they have none (an admin's own name stays)."""
    for slug, name in CATEGORY_NAMES_ZH.items():
        Category.objects.filter(slug=slug, name_zh_hant="").update(name_zh_hant=name)


def chinese_vendors_ensure(
    *, password_hash: str, shelf: PictureShelf, result: DemoResult, days_ago: int = 300
) -> list[Vendor]:
    """SHOPS, each with its owner, regions, logo and products; one already there is left as it is."""
    now = timezone.now()
    categories = {c.slug: c for c in Category.objects.filter(slug__in={s.category for s in SHOPS})}
    vendors = []
    for n, shop in enumerate(SHOPS):
        vendor = Vendor.objects.filter(slug=shop.slug).first()
        if vendor is not None:
            vendors.append(vendor)
            continue
        owner, _ = User.objects.get_or_create(
            email=OWNER_EMAIL.format(n=n + 1), defaults={"display_name": shop.owner_name, "password": password_hash}
        )
        category = categories[shop.category]
        vendor = Vendor.objects.create(
            owner=owner,
            name=shop.name,
            name_zh_hant=shop.name_zh_hant,
            slug=shop.slug,
            description=shop.description,
            description_zh_hant=shop.description_zh_hant,
            category=category,
            status=Vendor.Status.APPROVED,
            approved_at=now - timedelta(days=days_ago - 20 * n),
            contact_email=owner.email,
        )
        vendor.regions.set(Region.objects.filter(code__in=shop.regions))
        vendor.logo.name = shelf.logo(CATALOGUE[category.name], shop.slug, LOGO_NUMBER + n)
        vendor.save(update_fields=["logo"])
        Product.objects.bulk_create(
            Product(
                vendor=vendor,
                category=category,
                name=p.name,
                name_zh_hant=p.name_zh_hant,
                description=p.description,
                description_zh_hant=p.description_zh_hant,
                sku=f"TW{n + 1}-{i + 1:02d}",
                price=Decimal(p.price),
                stock=20 + 5 * i,
                image=shelf.product_picture(p.kind),
            )
            for i, p in enumerate(shop.products)
        )
        result.vendors_created += 1
        result.products_created += len(shop.products)
        vendors.append(vendor)
    return vendors
