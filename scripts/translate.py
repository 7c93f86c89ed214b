"""Fill Indonesian translations into the catalogue: `python scripts/translate.py FILE.json`.

The JSON maps English msgids to Indonesian; entries already translated are left as they are. Run
`make translations-update` first so that every new msgid is in the catalogue.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOGUE = Path(__file__).resolve().parent.parent / "translations/id/LC_MESSAGES/messages.po"


def main(source: str) -> None:
    """Write the translations of `source` into the catalogue and list what is still missing."""
    wanted = json.loads(Path(source).read_text(encoding="utf-8"))
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and not message.string and message.id in wanted:
            message.string = wanted[message.id]
        if message.id and "fuzzy" in message.flags:
            message.flags.discard("fuzzy")
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalog, sort_output=False)
    missing = [m.id for m in catalog if m.id and not m.string]
    for msgid in missing:
        print(f"untranslated: {msgid!r}")


if __name__ == "__main__":
    main(sys.argv[1])
