from pathlib import Path

from ketaclinic.accounts.roles import role_table_markdown

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_role_table_matches_the_code():
    text = README.read_text()
    table = text.split("<!-- role-table:start -->")[1].split("<!-- role-table:end -->")[0].strip()
    assert table == role_table_markdown()


def test_the_quick_start_is_two_commands():
    quick = README.read_text().split("## Quick start")[1].split("```sh")[1].split("```")[0]
    assert [line.split()[:2] for line in quick.strip().splitlines()] == [["make", "demo"], ["make", "test"]]
