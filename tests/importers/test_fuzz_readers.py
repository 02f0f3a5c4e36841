"""The list readers fuzzed: random and mutated .xlsx, .xls and .csv files end in a preview (a
ReadResult) or a clear refusal (a ReadError with a code and a Vietnamese message), never another
exception, and never a hang. No app, no database: the readers are pure."""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings

from bdgtrain.importers.person_list import ReadError, ReadResult, read_person_list
from tests.importers.fuzzing import READ_SECONDS, SEEDS, TODAY, uploads, within

# FUZZ_EXAMPLES=2000 FUZZ_RANDOM=1 for a longer hunt with fresh inputs; the suite runs the same 150.
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
                derandomize=os.environ.get("FUZZ_RANDOM") != "1", database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _read(filename: str, data: bytes):
    status, value = within(READ_SECONDS, read_person_list, data, filename, today=TODAY)
    if status == "raised":
        if isinstance(value, ReadError):
            assert value.code and str(value.message).strip(), value
            return value
        raise AssertionError(f"{filename} ({len(data)} bytes) raised {value!r}") from value
    assert isinstance(value, ReadResult)
    for problem in value.problems:
        assert problem.row >= 0 and str(problem.message).strip()
    return value


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_the_seeds_read_as_lists(name):
    """The fuzzing starts from files the reader accepts, so mutations reach deep into it."""
    result = _read(name, SEEDS[name])
    assert isinstance(result, ReadResult) and len(result.rows) == 3


@FUZZ
@given(upload=uploads())
def test_any_upload_ends_in_a_preview_or_a_clear_refusal(upload):
    filename, data = upload
    _read(filename, data)


def test_a_hang_is_caught_by_the_guard():
    import time

    with pytest.raises(AssertionError, match="hang"):
        within(0.2, time.sleep, 2)
