"""The per-process caches are shared by gunicorn's threads: safe under threads, bounded."""

import datetime
import sys
import threading
import types

import pytest

from assessments.interviews import forms as interview_forms
from assessments.questionsets import compiled as compiled_module
from tests.engine.engine_support import cadi

THREADS = 8
ROUNDS = 400


@pytest.fixture
def busy_switching():
    # Switch threads as often as possible, so a check-then-act race shows up at once.
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


def _versions(n: int) -> list:
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    return [
        types.SimpleNamespace(pk=i % 3, updated_at=start + datetime.timedelta(minutes=i), definition={"n": i})
        for i in range(n)
    ]


def _hammer(work) -> list:
    errors, barrier = [], threading.Barrier(THREADS)

    def run(offset):
        barrier.wait(timeout=10)
        try:
            for i in range(ROUNDS):
                work(offset + i)
        except Exception as exc:  # collected: a thread's exception must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n * 7,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_compiled_version_cache_is_thread_safe_and_bounded(monkeypatch, busy_switching):
    # A cheap stand-in for compiling, so threads interleave on the cache itself.
    monkeypatch.setattr(compiled_module, "load_definition", lambda definition: object())
    compiled_module.compiled_cache_clear()
    versions = _versions(compiled_module.COMPILED_CACHE_SIZE * 3)
    errors = _hammer(lambda i: compiled_module.compiled_for(versions[i % len(versions)]))
    assert errors == []
    assert compiled_module.compiled_cache_size() <= compiled_module.COMPILED_CACHE_SIZE
    # One version, one compiled object, while it stays cached.
    assert compiled_module.compiled_for(versions[0]) is compiled_module.compiled_for(versions[0])


def test_the_interview_form_cache_is_thread_safe_and_bounded(busy_switching):
    compiled = cadi()
    interview_forms.form_cache_clear()
    versions = _versions(interview_forms.FORM_CACHE_SIZE * 3)

    def build(i):
        version = versions[i % len(versions)]
        form_class, helper = interview_forms.interview_form_class(
            version=version, compiled=compiled, language="en"
        )
        assert form_class.item_types and helper is not None

    errors = _hammer(build)
    assert errors == []
    assert interview_forms.form_cache_size() <= interview_forms.FORM_CACHE_SIZE
