"""The matcher's cache answers only for the store and the catalog it was built from, and
never runs what somebody else wrote."""

import dataclasses
import json
import os
import pathlib
import pickle
from pathlib import Path

import pytest

from megler import store
from megler.errors import MeglerError
from megler.match import cache_file, refer, suggestions
from megler.models import Need
from tests.helpers import assert_user_error, count


def _catalog(tmp_path: Path, key: str, name: str, country: str = "NO", region: str = "Østfold") -> Path:
    path = tmp_path / f"{key}.yaml"
    path.write_text(f"""\
offerings:
  - key: {key}
    name: {name}
    provider: Fagskolen
    description: {name}, kurs for ansatte i industrien.
    keywords: [kurs, industri, sveising, lean, svetsning]
    language: nb
    country: "{country}"
    regions: [{region}]
    audience: [company]
""", encoding="utf-8")
    return path


def _store(cli, db: Path, catalog: Path) -> None:
    """One catalog entry, one Østfold company with one need."""
    for step in [("catalog", "import", str(catalog)),
                 ("org", "add", "Fredrikstad Mek AS", "--municipality", "Fredrikstad"),
                 ("need", "add", "Fredrikstad Mek", "Trenger kurs i sveising og lean for industrien")]:
        assert cli(*step, "--db", str(db)).code == 0, step


def _names(cli, db: Path) -> list[str]:
    code, out, err = cli("match", "1", "--db", str(db), "-f", "json")
    assert (code, err) == (0, ""), err
    return [row["name"] for row in json.loads(out)]


def test_a_store_deleted_and_rebuilt_gets_no_suggestion_from_the_old_catalog(cli, tmp_path):
    db = tmp_path / "team.db"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    store.close_all()
    for leftover in tmp_path.glob("team.db*"):
        leftover.unlink()
    # the same number of entries from the same number of imports: the old key "1:1" again
    _store(cli, db, _catalog(tmp_path, "svets", "Svetskurs Trollhättan", "SE", "Västra Götaland"))
    assert _names(cli, db) == []  # a Swedish-only entry is no suggestion for a Norwegian org
    assert_user_error(cli("match", "1", "--refer", "1", "--db", str(db)), "0 suggestions are eligible")
    assert count(db, "referral") == 0


def test_a_restored_store_is_matched_against_its_own_catalog(cli, tmp_path):
    db, backup = tmp_path / "megler.db", tmp_path / "before.db"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    assert cli("backup", str(backup), "--db", str(db)).code == 0

    def renamed(name: str) -> list[str]:
        # the same entry, another name: an import more, as many entries as before
        assert cli("catalog", "import", str(_catalog(tmp_path, "sveis", name)), "--db", str(db)).code == 0
        return _names(cli, db)

    assert renamed("Sveising for viderekomne") == ["Sveising for viderekomne"]
    assert cli("restore", str(backup), "--db", str(db), "--yes").code == 0
    assert renamed("Sveis og lean – bedriftskurs") == ["Sveis og lean – bedriftskurs"]
    assert cli("match", "1", "--refer", "1", "--db", str(db)).code == 0
    assert _referral(db) == ("Sveis og lean – bedriftskurs", _entry_id(db, "sveis"))


def test_two_stores_with_one_stem_keep_their_own_suggestions(cli, tmp_path):
    first, second = tmp_path / "team.db", tmp_path / "team.sqlite"
    _store(cli, first, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    _store(cli, second, _catalog(tmp_path, "lean", "Lean i industrien"))
    for _ in range(2):  # the second round comes from the caches
        assert _names(cli, first) == ["Sveisekurs Østfold"]
        assert _names(cli, second) == ["Lean i industrien"]
    assert cache_file(str(first)) != cache_file(str(second))
    assert cli("match", "1", "--refer", "1", "--db", str(second)).code == 0
    assert _referral(second) == ("Lean i industrien", _entry_id(second, "lean"))


def test_a_store_named_like_a_cache_is_a_store(cli, tmp_path):
    db = tmp_path / "x.matcher"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    assert cli("check", "--db", str(db)).code == 0


class _Planted:
    """Unpickled, it creates a file: what an attacker's code would do."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


@pytest.mark.parametrize("plant", ["someone else's", "group-writable", "a link to it"])
def test_a_planted_cache_file_never_runs(cli, tmp_path, plant):
    db = tmp_path / "megler.db"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    cache = cache_file(str(db))
    assert cache is not None
    key = cache.read_bytes().partition(b"\n")[0]  # the key is no secret: anyone can work it out
    marker = tmp_path / "ran"
    evil = key + b"\n" + pickle.dumps(_Planted(marker))
    if plant == "a link to it":
        elsewhere = tmp_path / "evil"
        elsewhere.write_bytes(evil)
        cache.unlink()
        cache.symlink_to(elsewhere)
    else:
        cache.write_bytes(evil)
        if plant == "group-writable":
            cache.chmod(0o664)
        elif os.geteuid() == 0:
            os.chown(cache, 65534, 65534)
        else:
            pytest.skip("making a file someone else's needs root")
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    assert not marker.exists()


def test_the_planted_file_would_run_if_the_checks_let_it_through(cli, tmp_path):
    """The control for the test above: the same bytes in a private file of the user's own
    are loaded (the user trusts what they wrote), so the file above really is a threat."""
    db = tmp_path / "megler.db"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    _names(cli, db)
    cache = cache_file(str(db))
    assert cache is not None
    marker = tmp_path / "ran"
    cache.write_bytes(cache.read_bytes().partition(b"\n")[0] + b"\n" + pickle.dumps(_Planted(marker)))
    cache.chmod(0o600)
    cli("match", "1", "--db", str(db))
    assert marker.exists()


def test_a_suggestion_not_in_the_store_as_ranked_is_never_stored(cli, tmp_path):
    db = tmp_path / "megler.db"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    with store.session(db, write=True) as s:
        need = s.get_one(Need, 1)
        [match] = suggestions(s, need, need.date)
        for wrong in (dataclasses.replace(match.entry, name="Svetskurs Trollhättan"),
                      dataclasses.replace(match.entry, id=99),
                      dataclasses.replace(match.entry, country="SE")):
            with pytest.raises(MeglerError, match="not in this store's catalog"):
                refer(s, need, dataclasses.replace(match, entry=wrong), need.date)
        assert refer(s, need, match, need.date).entry_id == match.entry.id


def _referral(db: Path) -> tuple[str, int]:
    with store.connect(db) as c:
        return c.execute("SELECT target, entry_id FROM referral").fetchone()


def _entry_id(db: Path, key: str) -> int:
    with store.connect(db) as c:
        return c.execute("SELECT id FROM catalogentry WHERE key = ?", (key,)).fetchone()[0]


def test_an_imported_entry_is_known_by_its_content_not_by_the_hash_its_file_claims(cli, tmp_path):
    db, dump = tmp_path / "megler.db", tmp_path / "dump.json"
    _store(cli, db, _catalog(tmp_path, "sveis", "Sveisekurs Østfold"))
    assert _names(cli, db) == ["Sveisekurs Østfold"]
    assert cli("export", str(dump), "--db", str(db)).code == 0
    store.close_all()
    for leftover in tmp_path.glob("megler.db*"):
        leftover.unlink()
    document = json.loads(dump.read_text("utf-8"))
    document["tables"]["catalogentry"][0]["name"] = "Lean i industrien"  # its content_hash left as it was
    dump.write_text(json.dumps(document), "utf-8")
    assert cli("import", str(dump), "--db", str(db)).code == 0
    assert _names(cli, db) == ["Lean i industrien"]
