"""Settings fail loudly on bad values, and `serve` runs periodic jobs in-process without a broker."""

import threading

import pytest
from django.core.exceptions import ImproperlyConfigured

from attribution.management.commands import serve
from config.celery import app
from config.env import env_bool, env_choice, env_int, env_list


def test_env_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("CW_FLAG", "Yes")
    monkeypatch.setenv("CW_NUMBER", " 42 ")
    monkeypatch.setenv("CW_LIST", "a, b,,c ")
    monkeypatch.setenv("CW_MODE", " Always ")
    assert env_bool("CW_FLAG") is True
    assert env_choice("CW_MODE", "auto", ("auto", "always", "never")) == "always"
    assert env_choice("CW_UNSET", "auto", ("auto", "always")) == "auto"
    assert env_int("CW_NUMBER", 1) == 42
    assert env_list("CW_LIST") == ["a", "b", "c"]
    assert env_int("CW_UNSET", 7) == 7


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("CW_BAD"), "maybe", "CW_BAD='maybe': expected one of true/false"),
        (lambda: env_int("CW_BAD", 1), "three", "CW_BAD='three': expected a whole number"),
        (lambda: env_int("CW_BAD", 1, minimum=1), "0", "CW_BAD=0: must be at least 1"),
        (lambda: env_choice("CW_BAD", "auto", ("auto", "never")), "true", "CW_BAD='true': expected one of auto, never"),
    ],
)
def test_env_readers_name_the_variable_on_bad_values(monkeypatch, reader, value, message):
    monkeypatch.setenv("CW_BAD", value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(")):
        reader()


calls = []


@app.task(name="tests.record_tick")
def record_tick(label):
    calls.append(label)


def test_serve_runs_due_periodic_jobs_in_process(settings, monkeypatch):
    settings.CELERY_BEAT_SCHEDULE = {
        "often": {"task": "tests.record_tick", "schedule": 0.01, "args": ("often",)},
        "daily": {"task": "tests.record_tick", "schedule": 86400.0, "args": ("daily",)},
    }
    monkeypatch.setattr(serve, "TICK_SECONDS", 0.01)
    stop = threading.Event()
    runner = threading.Thread(target=serve.run_periodic_jobs_forever, args=(stop,))
    runner.start()
    try:
        for _ in range(500):
            if calls.count("often") >= 2:
                break
            stop.wait(0.01)
    finally:
        stop.set()
        runner.join(timeout=5)
    assert calls.count("often") >= 2
    assert "daily" not in calls
