"""The Spanish page chrome is compiled and committed, and covers every string the portal pages ask for."""

import pathlib
import subprocess

from django.utils import translation

LOCALE = pathlib.Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"


def test_the_compiled_catalogue_is_committed_and_current():
    po, mo = LOCALE / "django.po", LOCALE / "django.mo"
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1


def test_every_message_is_translated():
    result = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", str(LOCALE / "django.po")],
                            capture_output=True, text=True, check=True)
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_the_crisis_text_reads_in_spanish():
    with translation.override("es"):
        assert translation.gettext("Call or text %(number)s") % {"number": "988"} == "Llame o envíe un mensaje de texto al 988"
