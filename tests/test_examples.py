"""Every script in examples/ runs and prints what it promises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import refgraph as rg

from .conftest import DATA

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run(script: str, *args: str, cwd: Path | None = None) -> str:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          env=env, check=False, timeout=300, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_linkedin_trust() -> None:
    out = run("linkedin_trust.py", str(DATA / "linkedin_connections.csv"))
    assert "<TrustGraph 7 contacts, 6 relationships" in out and "base as acquaintance" in out


def test_bitcoin_trust(tmp_path: Path) -> None:
    out = run("bitcoin_trust.py", str(tmp_path))
    assert "5573 contacts" in out
    assert (tmp_path / "bitcoin_otc.png").exists() and (tmp_path / "bitcoin_otc.graphml").exists()


def test_warm_intros(tmp_path: Path) -> None:
    out = run("warm_intros.py", "theo.brooks")
    assert out.count("<IntroPath") == 3 and "Theo Brooks" in out
    assert "1. Ask " in out and "4. Thank " in out
    rg.write_csv(rg.sample_network(), tmp_path / "csv")
    out = run("warm_intros.py", "  copperleaf insurance", str(tmp_path / "csv"))
    assert out.count("<IntroPath") == 3


def test_centres_of_influence(tmp_path: Path) -> None:
    out = run("centres_of_influence.py", cwd=tmp_path)
    best = rg.centres_of_influence(rg.sample_network().trust_graph(), top=1)[0]
    assert out.startswith(best.name) and best.reason in out
    assert out.count("    missing: ") == 3
    assert (tmp_path / "centres_of_influence.csv").read_text(encoding="utf-8").startswith("contact,name,score")


def test_referral_chains(tmp_path: Path) -> None:
    out = run("referral_chains.py", str(tmp_path / "figures"))
    assert repr(rg.referral_chains(rg.sample_network())) in out
    assert "moved from Globex to Initech and referred 3 people there" in out
    assert (tmp_path / "figures" / "referral_chains.png").stat().st_size > 10_000
    assert (tmp_path / "figures" / "chain_growth.png").stat().st_size > 10_000


def test_every_example_is_tested() -> None:
    tested = {name.removeprefix("test_") + ".py" for name in globals() if name.startswith("test_")}
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts <= tested, f"untested examples: {scripts - tested}"


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_examples_have_a_docstring_with_usage(script: str) -> None:
    assert f"python examples/{script}" in (EXAMPLES / script).read_text(encoding="utf-8")
