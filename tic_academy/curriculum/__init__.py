"""Curricula as code: loading and validating ``curricula/`` + ``notebooks/``, syncing them.

- ``trackfile``: read one track YAML file and check it against the schema.
- ``validate``: every check of ``flask curriculum validate`` (structure, notebooks,
  proof by execution), as a list of ``Problem`` lines.
- ``sync``: load tracks into the database (``flask curriculum sync``).
- ``cli``: the ``flask curriculum`` command group.
"""
