"""Runs pytest over a project's hidden tests inside the sandbox, with the platform's own settings.

Started as ``python -I -S project_runner.py CONFIG`` (see sandbox.project_command): no environment
variables, no site module, so no ``.pth`` file or ``sitecustomize.py`` anywhere is processed. The
path is built here: the standard library, the virtualenv's libraries, the platform's plugin, the
hidden tests, and last the trainee's tree (so it can never shadow a library, only add its package).
The trainee's ``conftest.py`` and ini files are never read: ``-c`` names the platform's config,
``--noconftest`` skips every conftest, plugin autoload is off. Standard library and pytest only.
"""

import json
import os
import sys


def main() -> int:
    """Set up the path and run pytest; return pytest's exit code."""
    config = json.loads(sys.argv[1])
    sys.dont_write_bytecode = True
    os.environ.pop("PYTEST_ADDOPTS", None)
    os.environ.pop("PYTEST_PLUGINS", None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    stdlib = [path for path in sys.path if path and not path.startswith((config["tree"], config["hidden"]))]
    sys.path[:] = stdlib + list(config["site"]) + [config["inside"], config["hidden"], config["tree"]]
    import pytest  # noqa: E402 (only once the path is the platform's)
    import project_plugin  # noqa: E402

    hidden = config["hidden"]
    reporter = project_plugin.Reporter(int(config["report_fd"]), float(config["test_timeout_s"]))
    args = ["-c", os.path.join(hidden, project_plugin.CONFIG_NAME), "--rootdir", hidden,
            "--noconftest", "-p", "no:cacheprovider", "-p", "no:stepwise", "--import-mode=importlib",
            "-q", "--no-header", "-o", "console_output_style=classic"]
    if os.path.isfile(os.path.join(hidden, project_plugin.FIXTURES_NAME + ".py")):
        args += ["-p", project_plugin.FIXTURES_NAME]
    args.append(hidden)
    code = pytest.main(args, plugins=[reporter])
    reporter.finish(int(code))
    return 0


if __name__ == "__main__":
    sys.exit(main())
