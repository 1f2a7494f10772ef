import re

from tests.helpers import ROOT


def test_it_documents_every_environment_variable_the_settings_read():
    settings = (ROOT / "zeus_assess" / "settings.py").read_text()
    readme = (ROOT / "README.md").read_text()
    variables = set(re.findall(r'env(?:\.[a-z_]+)?\("([A-Z][A-Z0-9_]+)"', settings))
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "EMAIL_URL"} <= variables
    missing = sorted(v for v in variables if f"`{v}`" not in readme)
    assert missing == []


def test_it_gives_exactly_two_fresh_machine_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## On a fresh machine", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: ", makefile, re.M) and re.search(r"^test: ", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()
