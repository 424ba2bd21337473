"""The PostgreSQL side of the migrations: frozen SQL per step, by the step's name.

`migrations.MIGRATIONS` is the one list of steps; each step's SQLite function lives
there and its PostgreSQL SQL here, under the same name. A new step is one function
there and one entry here (tests/test_migrations.py checks that every step has both,
and that a released entry is never edited).

PostgreSQL stores start at m009's schema: the steps before it changed SQLite files
only (FTS5, rebuilt tables, the NFC rewrite), so `m001_initial` holds that whole
schema and m002–m009 are recorded with nothing left to do.

Hand-written SQL in megler is SQLite's; a few functions make the same text run here:
`group_concat`, `instr`, `casefold`, `julianday`, `substr` of a date, `sum` of a
condition and `+date`. Search keeps
SQLite's design (megler folds the text, triggers note what changed, megler.search
indexes it); a trigram index (pg_trgm) finds a folded word inside a compound.
"""

BASELINE = """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE audit (
            id SERIAL NOT NULL,
            time TIMESTAMP WITH TIME ZONE NOT NULL,
            command VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            entity VARCHAR NOT NULL,
            entity_id VARCHAR,
            PRIMARY KEY (id)
    );
    CREATE INDEX ix_audit_time ON audit (time);
    CREATE TABLE catalogimport (
            id SERIAL NOT NULL,
            imported_at TIMESTAMP WITH TIME ZONE NOT NULL,
            source VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            added INTEGER NOT NULL,
            changed INTEGER NOT NULL,
            retired INTEGER NOT NULL,
            PRIMARY KEY (id)
    );
    CREATE TABLE goal (
            id SERIAL NOT NULL,
            period VARCHAR NOT NULL,
            indicator VARCHAR NOT NULL,
            target FLOAT NOT NULL,
            PRIMARY KEY (id),
            UNIQUE (period, indicator)
    );
    CREATE TABLE org (
            id SERIAL NOT NULL,
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
            org_form VARCHAR,
            more_industries VARCHAR,
            register_status VARCHAR,
            register_checked DATE,
            PRIMARY KEY (id),
            UNIQUE (orgnr)
    );
    CREATE INDEX ix_org_name ON org (name);
    CREATE TABLE undo (
            id SERIAL NOT NULL,
            time TIMESTAMP WITH TIME ZONE NOT NULL,
            command VARCHAR NOT NULL,
            images VARCHAR NOT NULL,
            audit_from INTEGER NOT NULL,
            audit_id INTEGER NOT NULL,
            undone_at TIMESTAMP WITH TIME ZONE,
            PRIMARY KEY (id)
    );
    CREATE TABLE visit (
            id SERIAL NOT NULL,
            date DATE NOT NULL,
            kind VARCHAR NOT NULL,
            notes VARCHAR,
            since_last VARCHAR,
            next_steps VARCHAR,
            PRIMARY KEY (id)
    );
    CREATE INDEX ix_visit_date ON visit (date);
    CREATE TABLE catalogentry (
            key VARCHAR NOT NULL,
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
            cost INTEGER,
            max_amount INTEGER,
            currency VARCHAR DEFAULT 'NOK' NOT NULL,
            url VARCHAR,
            contact VARCHAR,
            id SERIAL NOT NULL,
            content_hash VARCHAR NOT NULL,
            import_id INTEGER,
            retired_on DATE,
            PRIMARY KEY (id),
            UNIQUE (key),
            FOREIGN KEY(import_id) REFERENCES catalogimport (id)
    );
    CREATE TABLE contact (
            id SERIAL NOT NULL,
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
            id SERIAL NOT NULL,
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
    CREATE TABLE orgfact (
            id SERIAL NOT NULL,
            org_id INTEGER NOT NULL,
            field VARCHAR NOT NULL,
            value VARCHAR,
            since DATE NOT NULL,
            source VARCHAR,
            noted DATE,
            PRIMARY KEY (id),
            FOREIGN KEY(org_id) REFERENCES org (id) ON DELETE CASCADE
    );
    CREATE INDEX ix_orgfact_org_id ON orgfact (org_id, field, since);
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
            id SERIAL NOT NULL,
            need_id INTEGER NOT NULL,
            entry_id INTEGER,
            target VARCHAR NOT NULL,
            status VARCHAR NOT NULL,
            date DATE NOT NULL,
            amount_applied INTEGER,
            amount_granted INTEGER,
            participants INTEGER,
            note VARCHAR,
            currency VARCHAR DEFAULT 'NOK' NOT NULL,
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
            id SERIAL NOT NULL,
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
            id SERIAL NOT NULL,
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
    CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
        FOR EACH ROW EXECUTE FUNCTION audit_append_only();
    CREATE FUNCTION _joined(acc text, value text, sep text) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN value IS NULL THEN acc WHEN acc IS NULL THEN value
                    ELSE acc || sep || value END $$;
    CREATE FUNCTION _joined(acc text, value anyelement) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT _joined(acc, value::text, ',') $$;
    CREATE AGGREGATE group_concat(text, text) (SFUNC = _joined, STYPE = text);
    CREATE AGGREGATE group_concat(anyelement) (SFUNC = _joined, STYPE = text);
    CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE
        AS $$ SELECT strpos($1, $2) $$;
    CREATE FUNCTION casefold(text) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT lower($1) $$;
    CREATE FUNCTION julianday(date) RETURNS double precision LANGUAGE sql IMMUTABLE
        AS $$ SELECT ($1 - date '2000-01-01') + 2451544.5 $$;
    CREATE FUNCTION substr(date, integer, integer) RETURNS text LANGUAGE sql IMMUTABLE
        AS $$ SELECT substr($1::text, $2, $3) $$;
    -- SQLite's booleans are numbers: its SQL sums a condition, and writes +x to keep
    -- a column off its index.
    CREATE FUNCTION _add_true(acc bigint, value boolean) RETURNS bigint
        LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN value IS NULL THEN acc ELSE coalesce(acc, 0) + value::int END $$;
    CREATE AGGREGATE sum(boolean) (SFUNC = _add_true, STYPE = bigint);
    CREATE FUNCTION _same(date) RETURNS date LANGUAGE sql IMMUTABLE AS $$ SELECT $1 $$;
    CREATE OPERATOR + (RIGHTARG = date, FUNCTION = _same);
    CREATE TABLE search (
        rowid BIGINT PRIMARY KEY,
        title TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX ix_search_title ON search USING gin (title gin_trgm_ops);
    CREATE INDEX ix_search_body ON search USING gin (body gin_trgm_ops);
    CREATE TABLE search_stale (rowid BIGINT PRIMARY KEY);
    CREATE FUNCTION search_note() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            INSERT INTO search_stale VALUES (OLD.id * 8 + TG_ARGV[0]::int) ON CONFLICT DO NOTHING;
            RETURN OLD;
        END IF;
        INSERT INTO search_stale VALUES (NEW.id * 8 + TG_ARGV[0]::int) ON CONFLICT DO NOTHING;
        RETURN NEW;
    END $$;
    CREATE TRIGGER org_search AFTER INSERT OR DELETE OR UPDATE OF name, orgnr, industry,
        municipality ON org FOR EACH ROW EXECUTE FUNCTION search_note('1');
    CREATE TRIGGER visit_search AFTER INSERT OR DELETE OR UPDATE OF notes, since_last,
        next_steps ON visit FOR EACH ROW EXECUTE FUNCTION search_note('2');
    CREATE TRIGGER need_search AFTER INSERT OR DELETE OR UPDATE OF text ON need
        FOR EACH ROW EXECUTE FUNCTION search_note('3');
    CREATE TRIGGER contact_search AFTER INSERT OR DELETE OR UPDATE OF name, email, role,
        phone ON contact FOR EACH ROW EXECUTE FUNCTION search_note('4');
"""

POSTGRES: dict[str, str] = {
    "m001_initial": BASELINE,
    # m002–m009: in the baseline
    "m002_audit": "",
    "m003_currency": "",
    "m004_undo": "",
    "m005_org_facts": "",
    "m006_ids_never_reused": "",
    "m007_nfc_text": "",
    "m008_search_folded": "",
    "m009_register_facts": "",
    "m010_catalog_delivery": """
    ALTER TABLE catalogentry ADD COLUMN delivery JSON NOT NULL DEFAULT '[]';
    ALTER TABLE catalogentry ADD COLUMN campus JSON NOT NULL DEFAULT '[]';
    """,
    # Every whole number as BIGINT, as SQLite's INTEGER is: ids, counts and amounts to 2^63-1.
    "m011_wide_integers": """
    ALTER TABLE audit ALTER id TYPE BIGINT;
    ALTER TABLE catalogentry ALTER cost TYPE BIGINT, ALTER id TYPE BIGINT, ALTER import_id TYPE BIGINT, ALTER max_amount TYPE BIGINT, ALTER max_employees TYPE BIGINT, ALTER min_employees TYPE BIGINT;
    ALTER TABLE catalogimport ALTER added TYPE BIGINT, ALTER changed TYPE BIGINT, ALTER id TYPE BIGINT, ALTER retired TYPE BIGINT;
    ALTER TABLE contact ALTER id TYPE BIGINT, ALTER org_id TYPE BIGINT;
    ALTER TABLE followup ALTER id TYPE BIGINT, ALTER need_id TYPE BIGINT, ALTER org_id TYPE BIGINT, ALTER referral_id TYPE BIGINT;
    ALTER TABLE goal ALTER id TYPE BIGINT;
    ALTER TABLE need ALTER id TYPE BIGINT, ALTER org_id TYPE BIGINT, ALTER people TYPE BIGINT, ALTER visit_id TYPE BIGINT;
    ALTER TABLE org ALTER employees TYPE BIGINT, ALTER id TYPE BIGINT;
    ALTER TABLE orgfact ALTER id TYPE BIGINT, ALTER org_id TYPE BIGINT;
    ALTER TABLE referral ALTER amount_applied TYPE BIGINT, ALTER amount_granted TYPE BIGINT, ALTER entry_id TYPE BIGINT, ALTER id TYPE BIGINT, ALTER need_id TYPE BIGINT, ALTER participants TYPE BIGINT;
    ALTER TABLE referralevent ALTER amount_applied TYPE BIGINT, ALTER amount_granted TYPE BIGINT, ALTER id TYPE BIGINT, ALTER participants TYPE BIGINT, ALTER referral_id TYPE BIGINT;
    ALTER TABLE undo ALTER audit_from TYPE BIGINT, ALTER audit_id TYPE BIGINT, ALTER id TYPE BIGINT;
    ALTER TABLE visit ALTER id TYPE BIGINT;
    ALTER TABLE visitcontact ALTER contact_id TYPE BIGINT, ALTER visit_id TYPE BIGINT;
    ALTER TABLE visitorg ALTER org_id TYPE BIGINT, ALTER position TYPE BIGINT, ALTER visit_id TYPE BIGINT;
    ALTER SEQUENCE audit_id_seq AS BIGINT;
    ALTER SEQUENCE catalogentry_id_seq AS BIGINT;
    ALTER SEQUENCE catalogimport_id_seq AS BIGINT;
    ALTER SEQUENCE contact_id_seq AS BIGINT;
    ALTER SEQUENCE followup_id_seq AS BIGINT;
    ALTER SEQUENCE goal_id_seq AS BIGINT;
    ALTER SEQUENCE need_id_seq AS BIGINT;
    ALTER SEQUENCE org_id_seq AS BIGINT;
    ALTER SEQUENCE orgfact_id_seq AS BIGINT;
    ALTER SEQUENCE referral_id_seq AS BIGINT;
    ALTER SEQUENCE referralevent_id_seq AS BIGINT;
    ALTER SEQUENCE undo_id_seq AS BIGINT;
    ALTER SEQUENCE visit_id_seq AS BIGINT;
    """,
    # Who recorded it (megler.brokers puts every row megler adds down to its broker).
    "m012_brokers": """
    ALTER TABLE contact ADD COLUMN broker VARCHAR;
    ALTER TABLE visit ADD COLUMN broker VARCHAR;
    ALTER TABLE need ADD COLUMN broker VARCHAR;
    ALTER TABLE referral ADD COLUMN broker VARCHAR;
    ALTER TABLE followup ADD COLUMN broker VARCHAR;
    ALTER TABLE audit ADD COLUMN broker VARCHAR;
    """,
    "m013_event_dates": """
    CREATE INDEX ix_referralevent_date ON referralevent (date);
    """,
    "m014_clusters": """
    CREATE TABLE cluster (
            name VARCHAR NOT NULL,
            municipality VARCHAR NOT NULL,
            PRIMARY KEY (name, municipality)
    );
    """,
    "m015_fact_dates": """
    CREATE INDEX ix_orgfact_since ON orgfact (since);
    """,
}
