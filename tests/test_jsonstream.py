"""The export's reader: a JSON document a value at a time, whatever the window's size."""

import io
import json
import random

import pytest

from megler import jsonstream
from megler.jsonstream import JsonStream

VALUES = [12345, -5e-08, 0.1 + 0.2, True, False, None, "", "tru", 'æøå \\ " \u202e \U0001f600',
          {"a": [1, {"b": "x" * 40}]}, [], {}, [[[]]], 10 ** 30]


def _read(text: str) -> dict:
    doc, out = JsonStream(io.StringIO(text)), {}
    for key in doc.members():
        out[key] = list(doc.items()) if key == "rows" else doc.value()
    doc.end()
    return out


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_every_document_reads_as_json_reads_it(monkeypatch, chunk):
    """A value cut by the window's end (-5e | -08, "tr | u", an open string) is read on."""
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    rng = random.Random(chunk)
    for _ in range(200):
        document = {"format": "megler-export", "rows": rng.choices(VALUES, k=rng.randint(0, 9)),
                    "after": rng.choice(VALUES)}
        text = json.dumps(document, indent=rng.choice([None, 2]), ensure_ascii=rng.random() < 0.5)
        assert _read(text) == json.loads(text), text


@pytest.mark.parametrize("chunk", [1, 1 << 20])
@pytest.mark.parametrize("text, message", [
    ('{"a": 1,}', "Expecting property name enclosed in double quotes: char 8"),
    ('{"a" 1}', "Expecting ':': char 5"),
    ('{"rows": [1 2]}', "Expecting ']': char 12"),
    ('{"rows": [1,]}', "Expecting value: char 12"),
    ('{"a": "open', "Unterminated string starting at: char 6"),
    ('{"a": tru}', "Expecting value: char 6"),
    ('{"a": 1} x', "Extra data: char 9"),
    ("", "Expecting value: char 0"),
])
def test_a_broken_document_is_an_error_where_it_breaks(monkeypatch, chunk, text, message):
    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        _read(text)
