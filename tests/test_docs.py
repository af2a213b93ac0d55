"""The README keeps step with the command line: every command is toured, none is invented."""

from __future__ import annotations

import re

import typer.main

from digimeter.cli import app
from tests.conftest import ROOT


def command_names() -> set[str]:
    click_app = typer.main.get_command(app)
    names = set()
    for name, cmd in click_app.commands.items():
        subs = getattr(cmd, "commands", None)
        names |= {f"{name} {sub}" for sub in subs} if subs else {name}
        if subs and cmd.invoke_without_command:
            names.add(name)
    return names


def readme_commands() -> set[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", text, re.S))
    found = set()
    for match in re.finditer(r"^digimeter ([a-z-]+)(?: ([a-z-]+))?", blocks, re.M):
        first, second = match.groups()
        found.add(f"{first} {second}" if second and f"{first} {second}" in command_names()
                  else first)
    return found


def test_every_command_is_in_the_readme_tour():
    assert command_names() - readme_commands() == set()


def test_the_readme_names_no_command_that_does_not_exist():
    assert readme_commands() - command_names() == set()


def test_readme_gives_the_two_quick_start_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in text and "make test" in text
