"""deploy/.env.example lists every TIC_* setting the configuration reads."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def settings_read_by_config() -> set[str]:
    """TIC_ names read by config.py (env("X"), env_int("X"), env_bool("X"), "TIC_X") and create_app (TIC_ENV, factory.py)."""
    names = set()
    for path in (ROOT / "tic_academy" / "config.py", ROOT / "tic_academy" / "factory.py"):
        text = path.read_text(encoding="utf-8")
        names |= {f"TIC_{name}" for name in re.findall(r'\benv(?:_int|_bool)?\(\s*"([A-Z0-9_]+)"', text)}
        names |= set(re.findall(r'"(TIC_[A-Z0-9_]+)"', text))
    return names


def settings_in_example() -> set[str]:
    """TIC_ names set (or shown commented out) in deploy/.env.example."""
    text = (ROOT / "deploy" / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#?\s*(TIC_[A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_every_setting_is_in_env_example():
    """A TIC_ setting read by the configuration but missing from .env.example fails here."""
    read = settings_read_by_config()
    assert {"TIC_SECRET_KEY", "TIC_DATABASE_URL", "TIC_TRUSTED_PROXIES", "TIC_ENV"} <= read  # the scan works
    assert sorted(read - settings_in_example()) == []
