"""`flask shapes`: compute answer shapes for older submissions, and show how answers collapse into shapes."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from ..services import shapes

shapes_cli = AppGroup("shapes", help="Answer shapes (one mentor comment for many answers of the same shape).")


@shapes_cli.command("backfill")
@click.option("--all", "recompute", is_flag=True,
              help="Compute every graded notebook submission again (after the normalisation changed).")
def backfill_command(recompute: bool) -> None:
    """Compute the shape of graded notebook submissions that have none yet; safe to run again."""
    looked_at, shaped = shapes.backfill(recompute=recompute)
    click.echo(f"{looked_at} pengumpulan diperiksa, {shaped} mendapat bentuk "
               f"({looked_at - shaped} tanpa bentuk: kode tidak dapat dibaca Python atau terlalu panjang)")


@shapes_cli.command("report")
def report_command() -> None:
    """Per exercise: graded submissions, how many shapes they collapse to, and the largest groups."""
    rows = shapes.collapse_report()
    for row in rows:
        click.echo(f"{row.exercise.slug}: {row.submissions} pengumpulan -> {row.shapes} bentuk"
                   f" (tanpa bentuk: {row.unshaped}; kelompok terbesar: {', '.join(map(str, row.largest)) or '-'})")
    total = sum(row.submissions for row in rows)
    click.echo(f"Jumlah: {total} pengumpulan -> {sum(row.shapes for row in rows)} bentuk"
               f" (+{sum(row.unshaped for row in rows)} tanpa bentuk)")
