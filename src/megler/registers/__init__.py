"""The official registers: Norway's Enhetsregisteret and Sweden's Bolagsverket.

An org number goes in, a `Unit` comes out: what the register says of the org, in
megler's words (unit.py). `lookup.look_up` asks the table imported from the registers'
bulk files first (lookup.py, no network), then Enhetsregisteret's open API (brreg.py);
a Swedish sole trader's number is a personnummer and is never looked up. `orgs.py`
applies what a register says, and what the broker typed wins.
"""
