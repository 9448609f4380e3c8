-- 1: snapshots, entity versions, membership (the same layout as store/sqlite).
-- Ids sort byte-wise (COLLATE "C"), as Go compares strings and as SQLite does.
CREATE TABLE snapshots (
	id           BIGSERIAL   PRIMARY KEY,
	source       TEXT        COLLATE "C" NOT NULL,
	format       TEXT        NOT NULL DEFAULT '',
	version      TEXT        NOT NULL DEFAULT '',
	published    TIMESTAMPTZ NOT NULL,
	imported     TIMESTAMPTZ NOT NULL,
	content_hash TEXT        NOT NULL DEFAULT '',
	entities     INTEGER     NOT NULL DEFAULT 0,
	names        INTEGER     NOT NULL DEFAULT 0,
	records      INTEGER     NOT NULL DEFAULT 0, -- the publisher's own record count when it differs from entities
	files        TEXT        NOT NULL DEFAULT '[]', -- JSON array of file names
	origin       TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX snapshots_source_published ON snapshots(source, published, id);
CREATE INDEX snapshots_source_hash ON snapshots(source, content_hash);

CREATE TABLE entity_versions (
	entity_id TEXT     COLLATE "C" NOT NULL,
	hash      BYTEA    NOT NULL, -- sha256 of the canonical JSON
	schema    TEXT     NOT NULL DEFAULT '',
	caption   TEXT     NOT NULL DEFAULT '',
	programs  TEXT     NOT NULL DEFAULT '', -- designation programs, one per line
	codec     SMALLINT NOT NULL DEFAULT 0,  -- 0: raw JSON, 1: deflate
	data      BYTEA    NOT NULL,
	PRIMARY KEY (entity_id, hash)
);

CREATE TABLE snapshot_entities (
	snapshot_id BIGINT NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
	entity_id   TEXT   COLLATE "C" NOT NULL,
	hash        BYTEA  NOT NULL,
	PRIMARY KEY (snapshot_id, entity_id),
	FOREIGN KEY (entity_id, hash) REFERENCES entity_versions(entity_id, hash)
);
CREATE INDEX snapshot_entities_entity ON snapshot_entities(entity_id, hash);
