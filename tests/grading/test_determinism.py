"""Grading is deterministic: the kernel's hash seed is fixed, and a grading can ask for another."""

import os
import subprocess
import sys

import pytest

from tic_academy.grading.limits import Limits
from tic_academy.grading.sandbox import kernel_env


def hash_under(seed: int, text: str = "tic") -> int:
    """hash(text) in a Python started with PYTHONHASHSEED=seed."""
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    out = subprocess.run([sys.executable, "-c", f"print(hash({text!r}))"], env=env, capture_output=True, text=True)
    return int(out.stdout)


def test_kernel_env_fixes_the_hash_seed():
    """Does every kernel get PYTHONHASHSEED, 0 unless a grading asks for another?"""
    assert kernel_env()["PYTHONHASHSEED"] == "0"
    assert kernel_env(hash_seed=1)["PYTHONHASHSEED"] == "1"


def test_other_seed_does_not_use_a_prestarted_kernel():
    """Does another seed change the sandbox key, so the pool starts a cold kernel for it?"""
    assert Limits().sandbox_key() != Limits(hash_seed=1).sandbox_key()


@pytest.mark.kernel
def test_same_answer_same_result_and_seed_is_passed(engine, nbf):
    """Does the kernel run with seed 0 by default (every time), and with the seed a grading asks for?"""
    nb = nbf.notebook(
        nbf.answer_cell("def nilai():\n    ### BEGIN SOLUTION\n    return hash('tic')\n    ### END SOLUTION", "jawaban"),
        nbf.test_cell(f"assert nilai() == {hash_under(0)}", "uji-hash"),
    )
    assert [engine.grade(nb, nb).score for _ in range(2)] == [1, 1]
    assert engine.grade(nb, nb, hash_seed=1).score == 0
    assert engine.grade(nb, nb, hash_seed=0).score == 1
