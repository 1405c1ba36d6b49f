"""The CLI contract: --version, --help everywhere, one-line errors with exit 1."""

import pytest

from tests.e2e.conftest import run_main

COMMANDS = ["templates", "new", "validate", "train", "evaluate", "predict"]


def test_version():
    result = run_main("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("Modelwright ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = run_main(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


def test_templates_lists_every_template():
    result = run_main("templates")
    assert result.returncode == 0, result.stderr
    for name in ["keras-seed", "mlp", "cnn", "lstm-text", "transformer-text", "gpt"]:
        assert name in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["validate", "does-not-exist.mwproj"], "not found"),
        (["train", "x.mwproj", "--epochs", "0"], "must be at least 1"),
        (["train", "x.mwproj", "--lr", "abc"], "not a number"),
        (["new", "--template", "nope", "--out", "x.mwproj"], "Unknown template 'nope'"),
        (["new", "--template", "mlp", "--out", "x.mwproj"], "needs data"),
        (["evaluate", "no-such-run"], "no-such-run"),
    ],
)
def test_errors_are_one_line_with_exit_1(args, message, tmp_path):
    result = run_main(*args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = run_main("--debug", "validate", "missing.mwproj", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
