"""ordered_map: input order, and where each chunk runs."""

import os

from cleantext.parallel import ordered_map


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def test_results_keep_input_order_across_workers():
    results = list(ordered_map(_pid_and_square, range(200), jobs=2, chunk_size=7))
    assert [square for _, square in results] == [n * n for n in range(200)]


def test_first_chunk_runs_here_and_the_rest_in_workers():
    # Forked workers inherit what the first chunk built (compiled rules, tables).
    results = list(ordered_map(_pid_and_square, range(40), jobs=2, chunk_size=5))
    pids = [pid for pid, _ in results]
    assert pids[:5] == [os.getpid()] * 5
    assert os.getpid() not in pids[5:]


def test_one_chunk_starts_no_worker():
    results = list(ordered_map(_pid_and_square, range(5), jobs=2, chunk_size=5))
    assert {pid for pid, _ in results} == {os.getpid()}
