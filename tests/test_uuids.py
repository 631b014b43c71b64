"""Time-ordered product UUIDs: valid version 7 UUIDs, each after the one before."""

from __future__ import annotations

import threading
import time
import uuid

from pim.uuids import uuid7, uuid7s


def test_they_are_version_7_uuids_carrying_the_time_in_milliseconds():
    before = time.time_ns() // 1_000_000
    texts = uuid7s(5000)
    after = time.time_ns() // 1_000_000
    found = [uuid.UUID(text) for text in texts]
    assert {(u.version, u.variant) for u in found} == {(7, uuid.RFC_4122)}
    assert [str(u) for u in found] == texts  # the usual lower-case, hyphenated text
    assert texts == sorted(texts)
    # 5000 in one call run past one millisecond's 4096 counter values: the time moves on
    stamps = [u.int >> 80 for u in found]
    assert before <= stamps[0] <= after and stamps[-1] <= after + 2


def test_each_comes_after_the_one_before_across_calls_and_threads():
    given: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(50):
            batch = uuid7s(40)
            assert batch == sorted(batch)
            with lock:
                given.extend(batch)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(given)) == len(given) == 8000
    first, second = uuid7(), uuid7()
    assert max(given) < first < second


def test_the_random_part_differs_from_one_to_the_next():
    found = [uuid.UUID(text).int & (1 << 62) - 1 for text in uuid7s(1000)]
    assert len(set(found)) == 1000


def test_a_new_product_gets_one(session):
    from tests.builders import product, small_catalog

    small_catalog(session)
    first, second = product(session, "shoe-1"), product(session, "shoe-2")
    assert uuid.UUID(first.uuid).version == uuid.UUID(second.uuid).version == 7
    assert first.uuid < second.uuid
