"""The Spanish page chrome is compiled and committed: every message translated, the .mo in step with the .po.
Read with Python's own gettext, so the test needs no gettext tools on the machine."""

import ast
import gettext
import pathlib

from django.utils import translation

LOCALE = pathlib.Path(__file__).resolve().parents[1] / "locale" / "es" / "LC_MESSAGES"


def _po_entries() -> dict:
    """{msgid: [msgstr, …]} from the .po file (msgid, msgid_plural, msgstr and msgstr[n], continued lines)."""
    entries, current, key = {}, {}, None
    for line in (LOCALE / "django.po").read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#"):
            continue
        if not line.strip():
            if "msgid" in current and current["msgid"]:
                entries[current["msgid"]] = [v for k, v in sorted(current.items()) if k.startswith("msgstr")]
            current, key = {}, None
            continue
        if line.startswith('"'):
            current[key] += ast.literal_eval(line)
            continue
        key, _, value = line.partition(" ")
        current[key] = ast.literal_eval(value)
    return entries


def test_every_message_is_translated():
    entries = _po_entries()
    assert len(entries) > 40
    assert [msgid for msgid, strs in entries.items() if not all(strs)] == []


def test_the_compiled_catalogue_matches_the_po_file():
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, strs in _po_entries().items():
        if len(strs) == 1:
            assert compiled.gettext(msgid) == strs[0], msgid
        else:
            assert compiled.ngettext(msgid, msgid + "s", 1) == strs[0], msgid


def test_the_crisis_text_reads_in_spanish():
    with translation.override("es"):
        assert translation.gettext("Call or text %(number)s") % {"number": "988"} == "Llame o envíe un mensaje de texto al 988"
