"""How many answers collapse into how many shapes (issue 20, "one comment, many answers").

For every notebook of the track that has a wrong-answer sidecar (``<stem>.wrong.yaml``), the answers
are: the model solution and each of ``flask curriculum validate``'s wrong answers (each a different
piece of logic), and of each of them three variants a trainee might write instead:

- ``comments``: a comment line on top of each cell and blank lines added;
- ``renamed``: every function parameter and variable bound inside a function, comprehension or
  lambda renamed (``nilai`` -> ``nilai_2``), written out again by ``ast.unparse`` (other spacing,
  comments gone); made here with plain ``ast``, not with the representer;
- ``both``: renamed, then the comment lines.

A perfect representer gives one shape per distinct piece of logic: (1 + wrong answers) shapes from
4 x (1 + wrong answers) answers. The bench prints per exercise the answers, the shapes, and two kinds
of mistakes: variants that did not join their original (missed) and different pieces of logic that
were merged (merged; a wrong answer may truly equal another in its normal form).

Run from the project root (no database, nothing is executed):
    .venv/bin/python bench/shapes.py [--only SUBSTRING]
"""
from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tic_academy.grading.notebook import cell_kind, grade_id, is_answer, is_practice, is_test  # noqa: E402
from tic_academy.grading.representer import interface_names, shape_hash  # noqa: E402
from tic_academy.grading.trainee import make_trainee_version  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"


def model_answer(source: str) -> str:
    """A cell's model solution without the solution markers (as the demo hands it in)."""
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


class LocalRenamer(ast.NodeTransformer):
    """Renames parameters and names bound inside functions, comprehensions and lambdas (name -> name_2)."""

    def __init__(self, names: set[str]):
        self.names = names

    def visit_Name(self, node):
        if node.id in self.names:
            node.id += "_2"
        return node

    def visit_arg(self, node):
        if node.arg in self.names:
            node.arg += "_2"
        return node


def local_names(tree: ast.AST) -> set[str]:
    """Parameters and names bound inside functions, comprehensions and lambdas (never the top level)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            names |= {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
            body = node.body if isinstance(node.body, list) else [node.body]
            for statement in body:
                names |= {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        elif isinstance(node, ast.comprehension):
            names |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    declared = {name for node in ast.walk(tree) if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names}
    return names - declared - {"self"}


def renamed(cells: list[str]) -> list[str]:
    """The cells with their local names renamed, written by ast.unparse (cells that do not parse stay)."""
    trees = []
    for cell in cells:
        try:
            trees.append(ast.parse(cell))
        except SyntaxError:
            trees.append(None)
    names: set[str] = set()
    for tree in trees:
        if tree is not None:
            names |= local_names(tree)
    # A name also bound at the top level is shared with the tests: leave it.
    for tree in trees:
        if tree is not None:
            names -= {n.id for statement in tree.body if not isinstance(statement, (ast.FunctionDef, ast.ClassDef))
                      for n in ast.walk(statement) if isinstance(n, ast.Name)}
    return [cell if tree is None else ast.unparse(LocalRenamer(names).visit(tree)) for cell, tree in zip(cells, trees)]


def commented(cells: list[str]) -> list[str]:
    """The cells with a comment line on top and blank lines between their lines (outside strings)."""
    return [f"# Jawaban saya, dicoba dulu\n\n{cell}\n\n# selesai\n" for cell in cells]


def exercise_answers(path: Path) -> tuple[list[str], frozenset[str], dict[str, list[str]]] | None:
    """(answer cell ids, interface names, {label: cells}) of one notebook and its wrong answers."""
    sidecar = path.with_name(path.stem + ".wrong.yaml")
    if not sidecar.exists():
        return None
    nb = nbformat.read(path, as_version=4)
    trainee = make_trainee_version(nb)
    answer_cells = [(cell, stub) for cell, stub in zip(nb.cells, trainee.cells)
                    if is_answer(cell) and cell.cell_type == "code" and grade_id(cell) and not is_practice(cell)]
    if not answer_cells:
        return None
    ids = [grade_id(cell) for cell, _stub in answer_cells]
    tests = [cell.source for cell in nb.cells if is_test(cell)]
    locked = [cell.source for cell in nb.cells if cell.cell_type == "code" and cell_kind(cell) in ("locked", "code")]
    keep = interface_names(tests, locked, [stub.source for _cell, stub in answer_cells])
    model = {grade_id(cell): model_answer(cell.source) for cell, _stub in answer_cells}
    bases = {"model": [model[gid] for gid in ids]}
    for wrong in (yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}).get("wrong_answers") or []:
        answers = {**model, **(wrong.get("answers") or {})}
        bases[str(wrong.get("id"))] = [answers.get(gid, "") for gid in ids]
    return ids, keep, bases


def measure(path: Path) -> dict | None:
    """The figures of one exercise."""
    found = exercise_answers(path)
    if found is None:
        return None
    _ids, keep, bases = found
    shapes: dict[str, set[str | None]] = {}
    missed = answers = unshaped = 0
    for label, cells in bases.items():
        variants = [cells, commented(cells), renamed(cells), commented(renamed(cells))]
        hashes = [shape_hash(variant, keep) for variant in variants]
        answers += len(variants)
        unshaped += sum(h is None for h in hashes)
        missed += sum(h != hashes[0] for h in hashes[1:])
        shapes[label] = set(hashes)
    distinct = {h for hashes in shapes.values() for h in hashes if h is not None}
    originals = [shape_hash(cells, keep) for cells in bases.values()]
    merged = len(originals) - len(set(originals))
    return {"name": path.stem, "logic": len(bases), "answers": answers, "shapes": len(distinct),
            "missed": missed, "merged": merged, "unshaped": unshaped}


def main() -> None:
    """Print the figures per exercise and in total."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only notebooks whose path contains this text")
    options = parser.parse_args()
    started = time.perf_counter()
    rows = [row for path in sorted(NOTEBOOKS.rglob("*.ipynb")) if options.only in str(path)
            for row in [measure(path)] if row is not None]
    elapsed = time.perf_counter() - started
    print(f"{'exercise':40} {'logic':>5} {'answers':>7} {'shapes':>6} {'missed':>6} {'merged':>6} {'no shape':>8}")
    for row in rows:
        print(f"{row['name']:40} {row['logic']:5} {row['answers']:7} {row['shapes']:6} {row['missed']:6} "
              f"{row['merged']:6} {row['unshaped']:8}")
    total = {key: sum(row[key] for row in rows) for key in ("logic", "answers", "shapes", "missed", "merged", "unshaped")}
    print(f"{'total (' + str(len(rows)) + ' exercises)':40} {total['logic']:5} {total['answers']:7} {total['shapes']:6} "
          f"{total['missed']:6} {total['merged']:6} {total['unshaped']:8}")
    print(f"{total['answers']} answers -> {total['shapes']} shapes "
          f"({total['answers'] / max(total['shapes'], 1):.1f} answers per shape); {elapsed:.2f} s")


if __name__ == "__main__":
    main()
