"""The project on a real primary and streaming replica (tests/replica/cluster.py), served by gunicorn.

The proof that a page reads the replica: pause the replica's replay, change a row on the primary, and the
page does not show the change, while the one who made it (pinned to the primary) does.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
import requests

from marketplace.kernel.db_router import PIN_COOKIE
from tests.helpers import wait_until
from tests.replica.cluster import (
    Cluster,
    Site,
    finish_seed,
    post,
    signed_in,
    start_seed,
    start_site,
    stop_site,
    wait_for_site,
)

# django_db: the cluster's schema is copied from this run's test database, which pytest-django creates only
# when a collected test asks for it.
pytestmark = [pytest.mark.production, pytest.mark.django_db]

# The tolerant site allows a lag far longer than any test takes; the strict one allows one second.
TOLERANT_LAG = "60"
STRICT_LAG = "1"
CHECK_SECONDS = "0.2"


@pytest.fixture(scope="module")
def sites(replica_cluster: Cluster) -> Iterator[tuple[Site, Site]]:
    """Two sites on the same primary and replica, started while the data loads (each start is a Django start)."""
    seeding = start_seed(replica_cluster)
    tolerant = start_site(
        replica_cluster,
        "tolerant",
        DATABASE_REPLICA_MAX_LAG_SECONDS=TOLERANT_LAG,
        DATABASE_REPLICA_CHECK_SECONDS=CHECK_SECONDS,
    )
    strict = start_site(
        replica_cluster,
        "strict",
        DATABASE_REPLICA_MAX_LAG_SECONDS=STRICT_LAG,
        DATABASE_REPLICA_CHECK_SECONDS=CHECK_SECONDS,
    )
    try:
        finish_seed(replica_cluster, seeding)
        wait_for_site(tolerant)
        wait_for_site(strict)
        yield tolerant, strict
    finally:
        if seeding.poll() is None:
            seeding.kill()
        stop_site(tolerant)
        stop_site(strict)


@pytest.fixture
def site(sites: tuple[Site, Site]) -> Site:
    return sites[0]


def page(site: Site, session: requests.Session, path: str) -> str:
    response = session.get(f"{site.url}{path}", timeout=30)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.text


def api(site: Site, session: requests.Session, path: str) -> dict:
    response = session.get(f"{site.url}{path}", headers={"Accept": "application/json"}, timeout=30)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response.json()


def forget_pin(session: requests.Session) -> None:
    """What the browser does when the pin cookie's few seconds are up: it stops sending it."""
    session.cookies.pop(PIN_COOKIE, None)


def approve(cluster: Cluster, slug: str) -> None:
    """A moderator's approval, written straight to the primary."""
    cluster.primary("UPDATE vendors_vendor SET status = 'approved', approved_at = now() WHERE slug = %s", (slug,))


def current_partners_on_primary(cluster: Cluster, vendor_id: int) -> int:
    return cluster.primary("SELECT current_partners FROM portfolios_vendorstats WHERE vendor_id = %s", (vendor_id,))[0][
        0
    ]


def test_browse_search_and_insights_read_the_replica_while_the_writer_reads_the_primary(replica_cluster, site):
    cluster = replica_cluster
    juniper = cluster.seed["juniper"]
    reader = signed_in(site, cluster, "reader@replica.example")
    owner = signed_in(site, cluster, "owner@replica.example")
    anonymous = requests.Session()
    assert api(site, owner, "/api/v1/sell/insights/")["current_partners"] is None  # none yet (shown as "fewer than K")

    cluster.caught_up()
    cluster.pause_replay()
    try:
        approve(cluster, "kestrel-coffee")
        added = post(site, reader, f"/portfolio/add/{juniper}/")
        assert added.status_code == 302
        assert PIN_COOKIE in reader.cookies
        assert current_partners_on_primary(cluster, juniper) == 1  # the statistics job ran on the primary

        # The reader has just changed something: their pages come from the primary.
        assert "One of your partners" in page(site, reader, "/vendors/juniper-teas/")
        assert "Kestrel Coffee" in page(site, reader, "/vendors/")
        assert "Juniper Teas" in page(site, reader, "/portfolio/")

        # Everyone else reads the replica, which has replayed neither change.
        assert "Kestrel Coffee" not in page(site, anonymous, "/vendors/")
        assert "Kestrel Espresso" not in page(site, anonymous, "/search/?q=espresso")
        assert "kestrel-coffee" not in [v["slug"] for v in api(site, anonymous, "/api/v1/vendors/")["results"]]
        assert api(site, anonymous, "/api/v1/products/?q=espresso")["results"] == []
        assert anonymous.get(f"{site.url}/vendors/kestrel-coffee/", timeout=30).status_code == 404
        assert api(site, owner, "/api/v1/sell/insights/")["current_partners"] is None
        assert "Current partners" in page(site, owner, "/sell/insights/")

        # Once the reader's pin has run out, they read the replica too, which does not have their change yet.
        forget_pin(reader)
        assert "One of your partners" not in page(site, reader, "/vendors/juniper-teas/")
    finally:
        cluster.resume_replay()

    cluster.caught_up()
    assert "Kestrel Coffee" in page(site, anonymous, "/vendors/")
    assert "Kestrel Espresso" in page(site, anonymous, "/search/?q=espresso")
    # The add also queued a statistics refresh, which may write the vendor's figures again after the marker
    # caught_up() waited for (seen: the primary's row a second newer than the replica's, the next read right): the
    # insights read the replica once it holds what the primary holds.
    stats = "SELECT current_partners, computed_at FROM portfolios_vendorstats WHERE vendor_id = %s"
    wait_until(
        lambda: cluster.replica(stats, (juniper,)) == cluster.primary(stats, (juniper,)),
        timeout=30,
        what="the replica replaying the statistics job's last write",
    )
    assert api(site, owner, "/api/v1/sell/insights/")["current_partners"] == 1
    assert "One of your partners" in page(site, reader, "/vendors/juniper-teas/")


def test_a_replica_further_behind_than_the_limit_is_skipped(replica_cluster, sites):
    cluster = replica_cluster
    tolerant, strict = sites
    anonymous = requests.Session()
    cluster.caught_up()
    cluster.pause_replay()
    try:
        approve(cluster, "heron-bakery")
        time.sleep(float(STRICT_LAG) + 4 * float(CHECK_SECONDS))
        # The same replica, the same moment: 1.8 s behind is too far for the strict site, not for the tolerant.
        assert "Heron Bakery" in page(strict, anonymous, "/vendors/")
        assert "Heron Bakery" not in page(tolerant, anonymous, "/vendors/")
    finally:
        cluster.resume_replay()
    assert re.search(r"Replica replica_0 is \d+\.\d s behind \(limit 1\.0 s\)", strict.log_text())


READ_PAGES = [
    "/",
    "/vendors/",
    "/vendors/juniper-teas/",
    "/search/?q=oolong",
    "/api/v1/vendors/",
    "/api/v1/vendors/juniper-teas/",
    "/api/v1/products/?q=oolong",
]


def test_a_stopped_replica_leaves_every_page_working_and_is_used_again_once_back(replica_cluster, site):
    cluster = replica_cluster
    anonymous = requests.Session()
    owner = signed_in(site, cluster, "owner@replica.example")
    writer = signed_in(site, cluster, "writer@replica.example")
    for path in READ_PAGES:  # connections to the replica are open (persistent) when it goes
        page(site, anonymous, path)

    cluster.stop_replica()
    try:
        for path in READ_PAGES:
            page(site, anonymous, path)
        assert "Current partners" in page(site, owner, "/sell/insights/")
        assert "current_partners" in api(site, owner, "/api/v1/sell/insights/")
        product = page(site, anonymous, "/search/?q=oolong").split('href="/products/')[1].split("/")[0]
        assert "Juniper Oolong" in page(site, anonymous, f"/products/{product}/")
        assert post(site, writer, f"/portfolio/add/{cluster.seed['juniper']}/").status_code == 302
        assert "Juniper Teas" in page(site, writer, "/portfolio/")
    finally:
        cluster.start_replica()
    assert "Replica replica_0 does not answer" in site.log_text()

    # Back: once re-checked, the replica serves the browse pages again (a change it has not replayed is unseen).
    cluster.caught_up()
    time.sleep(4 * float(CHECK_SECONDS))
    cluster.pause_replay()
    try:
        approve(cluster, "wren-books")
        assert "Wren Books" not in page(site, anonymous, "/vendors/")
    finally:
        cluster.resume_replay()


def test_writes_never_go_to_the_replica(replica_cluster, site):
    """A hot standby refuses every write, so one routed there would fail the request and leave an error in
    the replica's log. Writes made between reads of the pages the replica serves, from the site and the API,
    all land on the primary."""
    cluster = replica_cluster
    juniper = cluster.seed["juniper"]
    buyer = signed_in(site, cluster, "buyer@replica.example")
    product = page(site, buyer, "/search/?q=oolong").split('href="/products/')[1].split("/")[0]
    assert post(site, buyer, f"/cart/add/{product}/", quantity="2").status_code == 302
    forget_pin(buyer)
    page(site, buyer, "/vendors/juniper-teas/")
    response = buyer.post(
        f"{site.url}/api/v1/cart/items/",
        json={"product_id": int(product), "quantity": 1},
        headers={"X-CSRFToken": buyer.cookies["csrftoken"]},
        timeout=30,
    )
    assert response.status_code == 201, response.text[:300]
    forget_pin(buyer)
    page(site, buyer, f"/products/{product}/")
    assert post(site, buyer, f"/portfolio/add/{juniper}/").status_code == 302
    forget_pin(buyer)
    page(site, buyer, "/vendors/")
    assert post(site, buyer, f"/portfolio/end/{juniper}/", reason="price").status_code == 302

    ended = cluster.primary(
        "SELECT m.end_reason FROM portfolios_partnermembership m JOIN accounts_user u ON u.id = m.consumer_id"
        " WHERE u.email = 'buyer@replica.example' AND m.vendor_id = %s",
        (juniper,),
    )
    assert ended == [("price",)]
    cart = cluster.primary(
        "SELECT i.quantity FROM shop_cartitem i JOIN accounts_user u ON u.id = i.consumer_id"
        " WHERE u.email = 'buyer@replica.example' AND i.product_id = %s",
        (int(product),),
    )
    assert cart == [(3,)]
    assert "read-only transaction" not in cluster.replica_log.read_text(errors="replace")
