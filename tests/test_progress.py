"""megler.progress: the domain's long steps, shown to whoever watches."""

from megler.progress import WATCHER, steps


def test_with_nobody_watching_the_steps_are_the_items_themselves():
    items = [1, 2, 3]
    assert steps(items, "Counting") is items


def test_a_watcher_sees_each_step_with_what_it_is_and_how_many():
    seen = []

    def watcher(items, what, total):
        seen.append((what, total))
        for item in items:
            seen.append(item)
            yield item

    token = WATCHER.set(watcher)
    try:
        assert list(steps(iter("æøå"), "Reading", 3)) == ["æ", "ø", "å"]
    finally:
        WATCHER.reset(token)
    assert seen == [("Reading", 3), "æ", "ø", "å"]


def test_the_matchers_index_build_is_a_step(session):
    from megler.matching import Entry, Matcher

    seen = []

    def watcher(items, what, total):
        seen.append((what, total))
        return items

    token = WATCHER.set(watcher)
    try:
        Matcher([Entry(id=1, kind="offering", name="Sveisekurs"),
                 Entry(id=2, kind="offering", name="Truckførerkurs")])
    finally:
        WATCHER.reset(token)
    assert ("Building the match index", 2) in seen
