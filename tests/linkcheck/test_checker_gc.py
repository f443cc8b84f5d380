"""check_urls raises the cyclic GC's young threshold while it runs (CPU per request) and puts it back after."""

import gc
import threading

import pytest

from attribution.lib.gc_threshold import YOUNG_THRESHOLD, FewerCollections
from attribution.linkcheck.checker import check_urls


def test_the_threshold_is_raised_during_a_run_and_restored_after(server, loopback_config, default_threshold):
    seen = []
    url = server.url("/story")
    results = check_urls([url], config=loopback_config, on_done=lambda _url, _result: seen.append(gc.get_threshold()))
    assert results[url].outcome == "ok"
    assert seen == [(YOUNG_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)


def test_it_is_restored_when_a_run_fails(loopback_config, default_threshold):
    def explode(_url, _result):
        raise RuntimeError("progress bar broke")

    with pytest.raises(RuntimeError):
        check_urls(["http://no-such-host.invalid/"], config=loopback_config, on_done=explode)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_set_by_the_process_is_kept(loopback_config, default_threshold):
    gc.set_threshold(50_000, 20, 20)
    seen = []
    check_urls(
        ["http://no-such-host.invalid/"], config=loopback_config, on_done=lambda *_: seen.append(gc.get_threshold())
    )
    assert seen == [(50_000, 20, 20)]
    assert gc.get_threshold() == (50_000, 20, 20)


def test_overlapping_runs_restore_only_when_the_last_one_ends(default_threshold):
    first, second = FewerCollections(), FewerCollections()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert gc.get_threshold()[0] == YOUNG_THRESHOLD  # the second run is still under way
    second.__exit__(None, None, None)
    assert gc.get_threshold() == (700, 10, 10)


def test_runs_in_threads_leave_the_threshold_as_it_was(loopback_config, default_threshold):
    threads = [
        threading.Thread(
            target=check_urls, args=(["http://no-such-host.invalid/"],), kwargs={"config": loopback_config}
        )
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.get_threshold() == (700, 10, 10)
