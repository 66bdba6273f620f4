"""The host reorders songs from the Rotation view with up/down per entry, at 320x568 and
390x844 (issue 13, point 5): in a fair rotation within the singer's own list (the rotation
decides whose turn it is), first come first served in the whole queue."""

from __future__ import annotations

import pytest

from appliance.core.actor import Actor
from tests.support.phones import (
    BROWSER_TESTS,
    SIZES,
    join,
    login,
    open_phone,
    queue_by_api,
    shot,
    size_name,
    tab,
)

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

pytestmark = BROWSER_TESTS


def order(served) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{i.singer.name}: {i.song.title}" for i in served.box.core.snapshot().upcoming]


@pytest.mark.parametrize("size", SIZES, ids=size_name)
def test_the_host_moves_songs_up_and_down(browser, served, size) -> None:  # type: ignore[no-untyped-def]
    ada = open_phone(browser, served.url, size)
    join(ada, "Ada")
    for title in ("Amazing Grace", "Oh! Susanna", "Auld Lang Syne"):
        queue_by_api(ada, title)
    bob = open_phone(browser, served.url, size)
    join(bob, "Bob")
    queue_by_api(bob, "Home on the Range")
    assert order(served) == [
        "Ada: Amazing Grace", "Bob: Home on the Range", "Ada: Oh! Susanna", "Ada: Auld Lang Syne",
    ]  # fmt: skip
    host = open_phone(browser, served.url, size)
    login(host)
    tab(host, "Rotation")
    rotation = host.get_by_role("list", name="Rotation")
    expect(rotation.get_by_role("button", name="Move Amazing Grace up")).to_be_disabled()
    expect(rotation.get_by_role("button", name="Move Home on the Range up")).to_be_disabled()
    rotation.get_by_role("button", name="Move Auld Lang Syne up").click()
    expect(rotation.get_by_role("listitem").nth(2)).to_contain_text("Auld Lang Syne")
    assert order(served)[2:] == ["Ada: Auld Lang Syne", "Ada: Oh! Susanna"]
    shot(host, f"host-reorder-{size_name(size)}")
    rotation.get_by_role("button", name="Move Amazing Grace down").click()
    expect(rotation.get_by_role("listitem").first).to_contain_text("Auld Lang Syne")
    # first come, first served: the host moves across singers
    served.box.core.update_settings(Actor.host(), {"mode": "fifo"})
    expect(rotation.get_by_role("button", name="Move Home on the Range up")).to_be_enabled()
    before = order(served)
    index = before.index("Bob: Home on the Range")
    rotation.get_by_role("button", name="Move Home on the Range up").click()
    expect(rotation.get_by_role("listitem").nth(index - 1)).to_contain_text("Home on the Range")
    assert order(served)[index - 1] == "Bob: Home on the Range"
