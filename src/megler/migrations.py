"""Schema migrations: an append-only list of named steps with frozen SQL.

Each step runs in one transaction together with its record in `_migrations` and the
bump of `PRAGMA user_version`, so a store is always at a known version. A step
never imports the models: the models describe the schema of today, a step the
schema of its day. Add a new function at the end; never edit an applied one.
"""

import sqlite3
from collections.abc import Callable

from megler.clock import now


def m001_initial(db: sqlite3.Connection) -> None:
    _script(db, """
    CREATE TABLE catalogimport (
        id INTEGER NOT NULL,
        imported_at DATETIME NOT NULL,
        source VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        added INTEGER NOT NULL,
        changed INTEGER NOT NULL,
        retired INTEGER NOT NULL,
        PRIMARY KEY (id)
    );
    CREATE TABLE goal (
        id INTEGER NOT NULL,
        period VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL,
        target FLOAT NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (period, indicator)
    );
    CREATE TABLE org (
        id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        orgnr VARCHAR,
        country VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        industry VARCHAR,
        municipality VARCHAR,
        region VARCHAR,
        employees INTEGER,
        rd_experience BOOLEAN NOT NULL,
        created DATE NOT NULL,
        PRIMARY KEY (id),
        UNIQUE (orgnr)
    );
    CREATE INDEX ix_org_name ON org (name);
    CREATE TABLE visit (
        id INTEGER NOT NULL,
        date DATE NOT NULL,
        kind VARCHAR NOT NULL,
        notes VARCHAR,
        since_last VARCHAR,
        next_steps VARCHAR,
        PRIMARY KEY (id)
    );
    CREATE INDEX ix_visit_date ON visit (date);
    CREATE TABLE catalogentry (
        id INTEGER NOT NULL,
        "key" VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        provider VARCHAR,
        agency VARCHAR,
        description VARCHAR NOT NULL,
        keywords JSON NOT NULL,
        language VARCHAR NOT NULL,
        country VARCHAR NOT NULL,
        regions JSON NOT NULL,
        audience JSON NOT NULL,
        min_employees INTEGER,
        max_employees INTEGER,
        deadline DATE,
        valid_from DATE,
        valid_to DATE,
        cost_nok INTEGER,
        max_amount_nok INTEGER,
        url VARCHAR,
        contact VARCHAR,
        content_hash VARCHAR NOT NULL,
        import_id INTEGER,
        retired_on DATE,
        PRIMARY KEY (id),
        UNIQUE ("key"),
        FOREIGN KEY(import_id) REFERENCES catalogimport (id)
    );
    CREATE TABLE contact (
        id INTEGER NOT NULL,
        org_id INTEGER NOT NULL,
        name VARCHAR NOT NULL,
        role VARCHAR,
        email VARCHAR,
        phone VARCHAR,
        PRIMARY KEY (id),
        FOREIGN KEY(org_id) REFERENCES org (id)
    );
    CREATE INDEX ix_contact_org_id ON contact (org_id);
    CREATE TABLE need (
        id INTEGER NOT NULL,
        org_id INTEGER NOT NULL,
        visit_id INTEGER,
        text VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        people INTEGER,
        status VARCHAR NOT NULL,
        date DATE NOT NULL,
        closed_on DATE,
        PRIMARY KEY (id),
        FOREIGN KEY(org_id) REFERENCES org (id),
        FOREIGN KEY(visit_id) REFERENCES visit (id) ON DELETE SET NULL
    );
    CREATE INDEX ix_need_org_id ON need (org_id);
    CREATE INDEX ix_need_date ON need (date);
    CREATE TABLE visitorg (
        visit_id INTEGER NOT NULL,
        org_id INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (visit_id, org_id),
        FOREIGN KEY(visit_id) REFERENCES visit (id) ON DELETE CASCADE,
        FOREIGN KEY(org_id) REFERENCES org (id)
    );
    CREATE INDEX ix_visitorg_org_id ON visitorg (org_id);
    CREATE TABLE referral (
        id INTEGER NOT NULL,
        need_id INTEGER NOT NULL,
        entry_id INTEGER,
        target VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        date DATE NOT NULL,
        amount_applied INTEGER,
        amount_granted INTEGER,
        participants INTEGER,
        note VARCHAR,
        PRIMARY KEY (id),
        FOREIGN KEY(need_id) REFERENCES need (id),
        FOREIGN KEY(entry_id) REFERENCES catalogentry (id)
    );
    CREATE INDEX ix_referral_need_id ON referral (need_id);
    CREATE INDEX ix_referral_entry_id ON referral (entry_id);
    CREATE TABLE visitcontact (
        visit_id INTEGER NOT NULL,
        contact_id INTEGER NOT NULL,
        PRIMARY KEY (visit_id, contact_id),
        FOREIGN KEY(visit_id) REFERENCES visit (id) ON DELETE CASCADE,
        FOREIGN KEY(contact_id) REFERENCES contact (id) ON DELETE CASCADE
    );
    CREATE TABLE followup (
        id INTEGER NOT NULL,
        org_id INTEGER,
        need_id INTEGER,
        referral_id INTEGER,
        due DATE NOT NULL,
        text VARCHAR NOT NULL,
        created DATE NOT NULL,
        done_on DATE,
        PRIMARY KEY (id),
        FOREIGN KEY(org_id) REFERENCES org (id),
        FOREIGN KEY(need_id) REFERENCES need (id) ON DELETE SET NULL,
        FOREIGN KEY(referral_id) REFERENCES referral (id) ON DELETE SET NULL
    );
    CREATE INDEX ix_followup_org_id ON followup (org_id);
    CREATE INDEX ix_followup_due ON followup (due);
    CREATE TABLE referralevent (
        id INTEGER NOT NULL,
        referral_id INTEGER NOT NULL,
        status VARCHAR NOT NULL,
        date DATE NOT NULL,
        amount_applied INTEGER,
        amount_granted INTEGER,
        participants INTEGER,
        note VARCHAR,
        PRIMARY KEY (id),
        FOREIGN KEY(referral_id) REFERENCES referral (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_referralevent_referral_id ON referralevent (referral_id);
    -- One FTS5 table indexes orgs, visits and needs; its rowid encodes both the
    -- table and the id: id * 8 + 1 (org), + 2 (visit), + 3 (need).
    CREATE VIRTUAL TABLE search USING fts5(
        title, body, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER org_search_insert AFTER INSERT ON org BEGIN
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 1, new.name,
            coalesce(new.industry, '') || ' ' || coalesce(new.municipality, ''));
    END;
    CREATE TRIGGER org_search_update AFTER UPDATE ON org BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 1;
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 1, new.name,
            coalesce(new.industry, '') || ' ' || coalesce(new.municipality, ''));
    END;
    CREATE TRIGGER org_search_delete AFTER DELETE ON org BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 1;
    END;
    CREATE TRIGGER visit_search_insert AFTER INSERT ON visit BEGIN
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 2, '',
            coalesce(new.notes, '') || ' ' || coalesce(new.since_last, '') || ' '
            || coalesce(new.next_steps, ''));
    END;
    CREATE TRIGGER visit_search_update AFTER UPDATE ON visit BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 2;
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 2, '',
            coalesce(new.notes, '') || ' ' || coalesce(new.since_last, '') || ' '
            || coalesce(new.next_steps, ''));
    END;
    CREATE TRIGGER visit_search_delete AFTER DELETE ON visit BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 2;
    END;
    CREATE TRIGGER need_search_insert AFTER INSERT ON need BEGIN
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 3, '', new.text);
    END;
    CREATE TRIGGER need_search_update AFTER UPDATE ON need BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 3;
        INSERT INTO search(rowid, title, body) VALUES (new.id * 8 + 3, '', new.text);
    END;
    CREATE TRIGGER need_search_delete AFTER DELETE ON need BEGIN
        DELETE FROM search WHERE rowid = old.id * 8 + 3;
    END;
    """)


def _script(db: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one: `executescript` would commit the open transaction."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


def m002_audit(db: sqlite3.Connection) -> None:
    # Which command touched which row, and when; never what it wrote, so the log
    # holds no personal data and survives the erasure of a contact unchanged.
    # The triggers keep it append-only for everything short of replacing the file.
    _script(db, """
    CREATE TABLE audit (
        id INTEGER NOT NULL,
        time DATETIME NOT NULL,
        command VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        entity VARCHAR NOT NULL,
        entity_id VARCHAR,
        PRIMARY KEY (id)
    );
    CREATE INDEX ix_audit_time ON audit (time);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """)


def m003_currency(db: sqlite3.Connection) -> None:
    # Amounts were NOK by name and SEK in fact for Swedish orgs, and the report added
    # them up. A referral's amounts are in one currency: its entry's country's, else its
    # org's. Catalog amounts lose "_nok" from their names and gain the entry's currency.
    _script(db, """
    ALTER TABLE referral ADD COLUMN currency VARCHAR NOT NULL DEFAULT 'NOK';
    UPDATE referral SET currency = 'SEK' WHERE 'SE' = coalesce(
        (SELECT c.country FROM catalogentry c WHERE c.id = referral.entry_id),
        (SELECT o.country FROM need n JOIN org o ON o.id = n.org_id WHERE n.id = referral.need_id));
    ALTER TABLE catalogentry ADD COLUMN currency VARCHAR NOT NULL DEFAULT 'NOK';
    UPDATE catalogentry SET currency = 'SEK' WHERE country = 'SE';
    ALTER TABLE catalogentry RENAME COLUMN cost_nok TO cost;
    ALTER TABLE catalogentry RENAME COLUMN max_amount_nok TO max_amount;
    """)


def m004_undo(db: sqlite3.Connection) -> None:
    # What an undoable command changed, as before-images, so `megler undo` can put it back.
    _script(db, """
    CREATE TABLE undo (
        id INTEGER NOT NULL,
        time DATETIME NOT NULL,
        command VARCHAR NOT NULL,
        images VARCHAR NOT NULL,
        audit_from INTEGER NOT NULL,
        audit_id INTEGER NOT NULL,
        undone_at DATETIME,
        PRIMARY KEY (id)
    );
    """)


def m005_org_facts(db: sqlite3.Connection) -> None:
    # What the report slices orgs by, with the day each value became true, so that an
    # edit after a quarter leaves that quarter's report as it was. The values known so
    # far hold from the beginning (0001-01-01) until a dated change. The indicator that
    # counted companies without R&D experience gets a name that says so.
    _script(db, """
    CREATE TABLE orgfact (
        id INTEGER NOT NULL,
        org_id INTEGER NOT NULL,
        field VARCHAR NOT NULL,
        value VARCHAR,
        since DATE NOT NULL,
        PRIMARY KEY (id),
        FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_orgfact_org_id ON orgfact (org_id, field, since);
    INSERT INTO orgfact (org_id, field, value, since)
        SELECT id, 'kind', kind, '0001-01-01' FROM org UNION ALL
        SELECT id, 'industry', industry, '0001-01-01' FROM org UNION ALL
        SELECT id, 'municipality', municipality, '0001-01-01' FROM org UNION ALL
        SELECT id, 'employees', CAST(employees AS TEXT), '0001-01-01' FROM org UNION ALL
        SELECT id, 'rd_experience', CAST(rd_experience AS TEXT), '0001-01-01' FROM org;
    UPDATE goal SET indicator = 'companies_without_rd' WHERE indicator = 'first_time_rd';
    """)


def m006_ids_never_reused(db: sqlite3.Connection) -> None:
    # SQLite hands out max(id) + 1, so after an erasure "[erased contact #9]" and the
    # audit rows of #9 pointed at the next person added. AUTOINCREMENT never reuses an
    # id; a table gets it only when built, so each is rebuilt by SQLite's 12-step
    # procedure (apply() turns foreign keys off around the step and checks them
    # before it commits). Its sequence starts past every id the store has ever
    # mentioned: in the table, in the audit log, and in erasure placeholders.
    import re

    tables = ("catalogimport", "goal", "org", "orgfact", "visit", "catalogentry", "contact",
              "need", "referral", "followup", "referralevent", "audit", "undo")
    erased = [int(n) for (text,) in db.execute(
        "SELECT coalesce(notes, '') || ' ' || coalesce(since_last, '') || ' ' || coalesce(next_steps, '') "
        "FROM visit UNION ALL SELECT text FROM need UNION ALL SELECT text FROM followup "
        "UNION ALL SELECT target || ' ' || coalesce(note, '') FROM referral "
        "UNION ALL SELECT note FROM referralevent") if text
        for n in re.findall(r"\[erased contact #(\d+)\]", text)]
    for table in tables:
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?",
                            (table,)).fetchone()
        kept = [row[0] for row in db.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY rowid", (table,))]
        # A renamed table's SQL has its name quoted: "CREATE TABLE \"org\" (".
        sql = re.sub(rf'^CREATE TABLE "?{table}"?\s*\(', f"CREATE TABLE new_{table} (", sql, count=1)
        sql = re.sub(r"\((\s*)id INTEGER NOT NULL,", r"(\1id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,",
                     sql, count=1)  # the first column only: not "org_id INTEGER NOT NULL,"
        sql = re.sub(r"PRIMARY KEY \(id\),\s*|,\s*PRIMARY KEY \(id\)(?=\s*\)\s*$)", "", sql, count=1)
        db.execute(sql)
        db.execute(f"INSERT INTO new_{table} SELECT * FROM {table}")
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE new_{table} RENAME TO {table}")
        for statement in kept:
            db.execute(statement)
        (highest,) = db.execute(
            f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), coalesce((SELECT "
            "max(CAST(entity_id AS INTEGER)) FROM audit WHERE entity = ? AND entity_id "
            "NOT GLOB '*[^0-9]*'), 0))", (table,)).fetchone()
        if table == "contact":
            highest = max([highest, *erased])
        db.execute("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, highest))


def m007_nfc_text(db: sqlite3.Connection) -> None:
    # Text now enters megler as NFC (megler.text), so "Åse" pasted from a Mac (A and a
    # combining ring) and "Åse" typed on a PC are one name: found, merged and erased as
    # one. What older versions stored as typed is brought to the same spelling.
    import unicodedata

    columns = {
        "org": ("name", "industry", "municipality", "region"),
        "orgfact": ("value",),
        "contact": ("name", "role", "email", "phone"),
        "visit": ("notes", "since_last", "next_steps"),
        "need": ("text",),
        "referral": ("target", "note"),
        "referralevent": ("note",),
        "followup": ("text",),
        "undo": ("images",),
    }
    for table, names in columns.items():
        for name in names:
            rows = db.execute(f"SELECT id, {name} FROM {table} WHERE {name} IS NOT NULL").fetchall()
            changed = [(unicodedata.normalize("NFC", value), key) for key, value in rows
                       if unicodedata.normalize("NFC", value) != value]
            db.executemany(f"UPDATE {table} SET {name} = ? WHERE id = ?", changed)


def m008_search_folded(db: sqlite3.Connection) -> None:
    # Search finds every spelling of a Nordic letter (ø, oe, o) and words inside
    # compounds: a trigram index of a folded copy of each text, contacts included.
    # SQLite cannot fold as megler does, so the triggers only note which rows changed;
    # megler.search.refresh indexes them. Every existing row waits for its first refresh.
    _script(db, """
    DROP TRIGGER org_search_insert;
    DROP TRIGGER org_search_update;
    DROP TRIGGER org_search_delete;
    DROP TRIGGER visit_search_insert;
    DROP TRIGGER visit_search_update;
    DROP TRIGGER visit_search_delete;
    DROP TRIGGER need_search_insert;
    DROP TRIGGER need_search_update;
    DROP TRIGGER need_search_delete;
    DROP TABLE search;
    CREATE VIRTUAL TABLE search USING fts5(title, body, tokenize = 'trigram');
    CREATE TABLE search_stale (rowid INTEGER PRIMARY KEY);
    CREATE TRIGGER org_search_insert AFTER INSERT ON org BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 1);
    END;
    CREATE TRIGGER org_search_update AFTER UPDATE OF name, orgnr, industry, municipality ON org
    BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 1);
    END;
    CREATE TRIGGER org_search_delete AFTER DELETE ON org BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (old.id * 8 + 1);
    END;
    CREATE TRIGGER visit_search_insert AFTER INSERT ON visit BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 2);
    END;
    CREATE TRIGGER visit_search_update AFTER UPDATE OF notes, since_last, next_steps ON visit
    BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 2);
    END;
    CREATE TRIGGER visit_search_delete AFTER DELETE ON visit BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (old.id * 8 + 2);
    END;
    CREATE TRIGGER need_search_insert AFTER INSERT ON need BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 3);
    END;
    CREATE TRIGGER need_search_update AFTER UPDATE OF text ON need BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 3);
    END;
    CREATE TRIGGER need_search_delete AFTER DELETE ON need BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (old.id * 8 + 3);
    END;
    CREATE TRIGGER contact_search_insert AFTER INSERT ON contact BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 4);
    END;
    CREATE TRIGGER contact_search_update AFTER UPDATE OF name, email, role, phone ON contact
    BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (new.id * 8 + 4);
    END;
    CREATE TRIGGER contact_search_delete AFTER DELETE ON contact BEGIN
        INSERT OR IGNORE INTO search_stale VALUES (old.id * 8 + 4);
    END;
    INSERT INTO search_stale SELECT id * 8 + 1 FROM org UNION ALL SELECT id * 8 + 2 FROM visit
        UNION ALL SELECT id * 8 + 3 FROM need UNION ALL SELECT id * 8 + 4 FROM contact;
    """)


def m009_register_facts(db: sqlite3.Connection) -> None:
    # Orgs filled in from the official registers (Enhetsregisteret, Bolagsverket): the
    # organisation form, NACE codes beyond the first, bankruptcy or winding up, and the
    # day megler last read the register. Each fact says who gave it and when megler was
    # told, so a register never overwrites what the broker typed. Facts from before
    # have no source: they count as the broker's.
    _script(db, """
    ALTER TABLE org ADD COLUMN org_form VARCHAR;
    ALTER TABLE org ADD COLUMN more_industries VARCHAR;
    ALTER TABLE org ADD COLUMN register_status VARCHAR;
    ALTER TABLE org ADD COLUMN register_checked DATE;
    ALTER TABLE orgfact ADD COLUMN source VARCHAR;
    ALTER TABLE orgfact ADD COLUMN noted DATE;
    """)


def m010_catalog_delivery(db: sqlite3.Connection) -> None:
    # How an entry is taught (campus, online, at the company, blended) and the places it
    # meets, so a campus course 1,000 km away ranks below an equal one nearby. Entries
    # imported before say nothing of it: no delivery, no places.
    _script(db, """
    ALTER TABLE catalogentry ADD COLUMN delivery JSON NOT NULL DEFAULT '[]';
    ALTER TABLE catalogentry ADD COLUMN campus JSON NOT NULL DEFAULT '[]';
    """)


def m011_wide_integers(db: sqlite3.Connection) -> None:
    # SQLite's INTEGER holds 64 bits already; PostgreSQL's held 32, so an amount of three
    # billion kroner was refused there. Only PostgreSQL has work to do (pg_migrations).
    pass


def m012_brokers(db: sqlite3.Connection) -> None:
    # Who recorded each visit, need, referral, follow-up and contact, and who wrote each
    # audit row: in a network the lists say it and filter by it. Records from before say
    # nobody (NULL) and count as everyone's own.
    _script(db, """
    ALTER TABLE contact ADD COLUMN broker VARCHAR;
    ALTER TABLE visit ADD COLUMN broker VARCHAR;
    ALTER TABLE need ADD COLUMN broker VARCHAR;
    ALTER TABLE referral ADD COLUMN broker VARCHAR;
    ALTER TABLE followup ADD COLUMN broker VARCHAR;
    ALTER TABLE audit ADD COLUMN broker VARCHAR;
    """)


def m013_event_dates(db: sqlite3.Connection) -> None:
    # The report asks which referrals changed after a period's end, and which in it: by
    # the date of their events, which no index held (a scan of every event, twice).
    _script(db, "CREATE INDEX ix_referralevent_date ON referralevent (date);")


def m014_clusters(db: sqlite3.Connection) -> None:
    # Named sets of municipalities (`network clusters import`), which `report --by
    # cluster` breaks the indicators down by: a row per municipality of a cluster; a
    # municipality may be in several.
    _script(db, """
    CREATE TABLE cluster (
        name VARCHAR NOT NULL,
        municipality VARCHAR NOT NULL,
        PRIMARY KEY (name, municipality)
    );
    """)


def m015_fact_dates(db: sqlite3.Connection) -> None:
    # The report asks which orgs changed after a period's end, by the date of their
    # facts, which no index led with (PostgreSQL scanned every fact twice a query).
    _script(db, "CREATE INDEX ix_orgfact_since ON orgfact (since);")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial,
    m002_audit,
    m003_currency,
    m004_undo,
    m005_org_facts,
    m006_ids_never_reused,
    m007_nfc_text,
    m008_search_folded,
    m009_register_facts,
    m010_catalog_delivery,
    m011_wide_integers,
    m012_brokers,
    m013_event_dates,
    m014_clusters,
    m015_fact_dates,
]

LATEST = len(MIGRATIONS)


def apply(db: sqlite3.Connection) -> list[str]:
    """Bring the store up to date; returns the names of the steps applied.

    `db` must be in autocommit mode (isolation_level None): each step opens its own
    IMMEDIATE transaction so that two processes never apply the same step twice.
    Foreign keys are off while a step runs (SQLite ignores the pragma inside a
    transaction, so it is set around it): rebuilding a table drops the old one, which
    would otherwise cascade to every row that points at it. Before a step commits,
    `PRAGMA foreign_key_check` must find nothing.
    """
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        return _apply_steps(db)
    finally:
        db.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")


def _apply_steps(db: sqlite3.Connection) -> list[str]:
    applied: list[str] = []
    while True:
        db.execute("BEGIN IMMEDIATE")
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version >= LATEST:
                db.execute("COMMIT")
                return applied
            step = MIGRATIONS[version]
            db.execute("CREATE TABLE IF NOT EXISTS _migrations "
                       "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            step(db)
            broken = db.execute("PRAGMA foreign_key_check").fetchone()
            if broken:
                raise sqlite3.IntegrityError(f"{step.__name__} left a broken reference "
                                             f"in {broken[0]} (row {broken[1]})")
            db.execute("INSERT INTO _migrations VALUES (?, ?)",
                       (step.__name__, now().strftime("%Y-%m-%d %H:%M:%S")))
            db.execute(f"PRAGMA user_version = {version + 1}")
            db.execute("COMMIT")
            applied.append(step.__name__)
        except BaseException:
            db.execute("ROLLBACK")
            raise
