"""The proof by execution of ``flask curriculum validate``: every grading an exercise needs, run in
parallel on the engine's pool, then judged.

Per exercise: the model solution and every wrong answer under each hash seed, the untouched
trainee version and the names-only version once.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..grading import GradingEngine, make_trainee_version
from ..grading.messages import describe
from .strength import names_only_answers, wrong_answer_answers
from .trackfile import Problem

if TYPE_CHECKING:
    from .validate import ExerciseFile

#: Hash seeds every proof runs under: a test whose result differs between them depends on set/dict order.
HASH_SEEDS = (0, 1)
NOT_CAUGHT = "not caught:"


@dataclass(frozen=True)
class Grading:
    """One grading a proof needs: of which exercise, what kind, which answers, under which hash seed."""

    exercise: ExerciseFile
    kind: str  # solution | untouched | names-only | wrong
    answers: object
    seed: int = 0
    wrong: dict | None = None


def planned_gradings(exercise: ExerciseFile, seeds=HASH_SEEDS) -> list[Grading]:
    """The solution and every wrong answer under each seed; the untouched and names-only versions once."""
    nb = exercise.notebook
    gradings = [Grading(exercise, "solution", nb, seed) for seed in seeds]
    gradings.append(Grading(exercise, "untouched", make_trainee_version(nb)))
    gradings.append(Grading(exercise, "names-only", names_only_answers(nb)))
    for wrong in (exercise.sidecar or {}).get("wrong_answers") or []:
        gradings += [Grading(exercise, "wrong", wrong_answer_answers(nb, wrong), seed, wrong) for seed in seeds]
    return gradings


def run_grading(grading: Grading, engine):
    """Grade one planned grading in submit mode; the result, or the exception that stopped it.

    ``engine`` is one engine, or a dict of engines by hash seed (each with a warm pool of kernels
    started with that seed, so the second seed's gradings need no cold kernel).
    """
    entry = grading.exercise.entry
    if isinstance(engine, dict):
        engine = engine.get(grading.seed) or engine[min(engine)]
    try:
        return engine.grade(
            grading.exercise.notebook, grading.answers, mode="submit", limits=entry.get("limits"),
            allowed_imports=entry.get("allowed_imports"), rules=entry.get("rules"), hash_seed=grading.seed,
        )
    except Exception as error:  # noqa: BLE001 - a grading that cannot run is a problem to report, not a crash
        return error


def judge_exercise(exercise: ExerciseFile, graded: list[tuple[Grading, object]]) -> list[Problem]:
    """Turn an exercise's gradings into problems: the solution passes, everything else is caught."""
    problems = []
    for grading, result in graded:
        # A wrong answer refused before it ran (e.g. a forbidden import) earns nothing: that is caught.
        refused = not isinstance(result, Exception) and result.error and grading.wrong
        if (isinstance(result, Exception) or result.error) and not refused:
            error = result if isinstance(result, Exception) else describe(result.error)
            what = f"wrong answer {grading.wrong['id']}" if grading.wrong else f"the {grading.kind} version"
            problems.append(Problem(exercise.label, "", f"{what} could not be graded (hash seed {grading.seed}): {error}"))
    ok = [(g, r) for g, r in graded if not isinstance(r, Exception) and (not r.error or g.wrong)]
    solutions = [(g, r) for g, r in ok if g.kind == "solution"]
    problems += _solution_problems(exercise, solutions)
    problems += _seed_problems(exercise.label, "the solution", solutions)
    for grading, result in ok:
        if grading.kind == "untouched":
            problems += [Problem(exercise.label, f"test {t.grade_id}", "passes on the untouched trainee version: it tests nothing")
                         for t in result.tests if t.points > 0]
        elif grading.kind == "names-only":
            allowed = set((exercise.sidecar or {}).get("name_only_ok") or [])
            problems += [Problem(exercise.label, f"test {t.grade_id}",
                                 "passes when the answer cells only define the right names (def f(*a, **k): return None): "
                                 "it checks names, not behaviour")
                         for t in result.tests if t.status == "passed" and not t.grade_id.startswith("rule:")
                         and t.grade_id not in allowed]
    for wrong in (exercise.sidecar or {}).get("wrong_answers") or []:
        runs = [(g, r) for g, r in ok if g.wrong is wrong]
        problems += _wrong_answer_problems(exercise, wrong, runs)
    return problems


def _solution_problems(exercise: ExerciseFile, solutions) -> list[Problem]:
    """The model solution must pass every test and every rule (reported once, from the first seed)."""
    problems = []
    for test in solutions[0][1].tests if solutions else []:
        if test.status == "passed":
            continue
        if test.grade_id.startswith("rule:"):
            problems.append(Problem(exercise.label, test.grade_id, "the rule rejects the model solution"))
        else:
            problems.append(Problem(exercise.label, f"test {test.grade_id}", f"the solution does not pass ({test.status}: {describe(test.message)})"))
    return problems


def _seed_problems(label: str, what: str, runs) -> list[Problem]:
    """One problem per test whose status differs between hash seeds."""
    problems = []
    statuses: dict[str, dict[int, str]] = {}
    for grading, result in runs:
        for test in result.tests:
            statuses.setdefault(test.grade_id, {})[grading.seed] = test.status
    for gid, by_seed in statuses.items():
        if len(set(by_seed.values())) > 1:
            seen = ", ".join(f"seed {seed}: {status}" for seed, status in sorted(by_seed.items()))
            problems.append(Problem(label, f"test {gid}", f"hasil bergantung pada urutan hash (results depend on hash order) for {what}: {seen}"))
    return problems


def _wrong_answer_problems(exercise: ExerciseFile, wrong: dict, runs) -> list[Problem]:
    """A wrong answer is caught when, under every seed, one of its targets does not earn full points."""
    label, where = exercise.sidecar_label, f"wrong answer {wrong['id']}"
    problems = _seed_problems(label, where, runs)
    missed = []
    for grading, result in runs:
        results = {t.grade_id: t for t in result.tests}
        targets = [results[t] for t in wrong["targets"] if t in results]
        if not any(t.points < t.max_points for t in targets):
            missed.append(grading.seed)
    if missed:
        seeds = ", ".join(str(seed) for seed in missed)
        problems.append(Problem(label, where, f"{NOT_CAUGHT} {', '.join(wrong['targets'])} still earn full points "
                                              f"(hash seed {seeds}); reason: {wrong['reason']}"))
    return problems


def prove_all(exercises: list[ExerciseFile], engine: GradingEngine, workers: int = 2, seeds=HASH_SEEDS) -> list[Problem]:
    """Grade every planned grading of every exercise in parallel on the engine's pool; the problems found."""
    gradings = [g for exercise in exercises for g in planned_gradings(exercise, seeds)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda grading: run_grading(grading, engine), gradings))
    problems = []
    for exercise in exercises:
        graded = [(g, r) for g, r in zip(gradings, results) if g.exercise is exercise]
        problems += judge_exercise(exercise, graded)
    return problems


def prove_exercise(exercise, engine: GradingEngine, seeds=HASH_SEEDS) -> list[Problem]:
    """Prove one exercise: solution passes, untouched and names-only versions and wrong answers are caught."""
    return prove_all([exercise], engine, workers=1, seeds=seeds)
