"""Merge our template with FAB's and WTForms' into one messages.pot (ours wins on duplicates)."""

import sys

from babel.messages.pofile import read_po, write_po

ours_path, vendor_path, out_path = sys.argv[1:4]
with open(ours_path, "rb") as f:
    ours = read_po(f)
with open(vendor_path, "rb") as f:
    vendor = read_po(f)
for message in vendor:
    if message.id and message.id not in ours:
        ours[message.id] = message
with open(out_path, "wb") as f:
    write_po(f, ours, width=100)
