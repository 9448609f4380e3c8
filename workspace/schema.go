package workspace

import (
	"context"
	"database/sql"
	"fmt"
)

// schemaVersion is PRAGMA user_version of a database this lexscreen made.
const schemaVersion = 2

// schema is the workspace's tables. The rules of four eyes are in the
// CHECKs and triggers, not only in the Go code.
const schema = `
CREATE TABLE IF NOT EXISTS subjects (
	id          TEXT PRIMARY KEY CHECK (length(id) > 0),
	name        TEXT NOT NULL,
	query       TEXT NOT NULL,
	operator    TEXT NOT NULL DEFAULT '',
	fingerprint TEXT NOT NULL,
	created     TEXT NOT NULL,
	updated     TEXT NOT NULL
);

-- unscreened: subjects created or changed and not screened since (imported
-- with --no-screen, or a screening that failed or never ran): the next
-- monitoring run screens them. seq orders the marks; a change of the
-- subject replaces its mark with a newer one.
CREATE TABLE IF NOT EXISTS unscreened (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	subject_id  TEXT NOT NULL UNIQUE REFERENCES subjects(id) ON DELETE CASCADE,
	fingerprint TEXT NOT NULL,
	operator    TEXT NOT NULL,
	since       TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS alerts (
	id              INTEGER PRIMARY KEY,
	subject_id      TEXT NOT NULL,
	subject         TEXT NOT NULL,
	subject_fp      TEXT NOT NULL,
	entity_id       TEXT NOT NULL,
	entity_name     TEXT NOT NULL DEFAULT '',
	entity_fp       TEXT NOT NULL,
	entity          TEXT,
	score           REAL NOT NULL,
	result          TEXT NOT NULL,
	run             TEXT NOT NULL,
	status          TEXT NOT NULL CHECK (status IN ('open', 'pending', 'escalated', 'true_match', 'false_positive', 'superseded')),
	assignee        TEXT NOT NULL DEFAULT '',
	due             TEXT NOT NULL,
	opened          TEXT NOT NULL,
	updated         TEXT NOT NULL,
	last_seen       TEXT NOT NULL,
	last_run        TEXT NOT NULL,
	previous        INTEGER REFERENCES alerts(id),
	changes         TEXT,
	listing_removed TEXT,
	result_hash     TEXT
);
CREATE INDEX IF NOT EXISTS alerts_queue ON alerts (status, opened, id);
CREATE INDEX IF NOT EXISTS alerts_pair ON alerts (subject_id, entity_id, id);
CREATE INDEX IF NOT EXISTS alerts_entity ON alerts (entity_id);

-- frozen_results: the result of a screening frozen once for all the alerts
-- it opened (alerts.result_hash; alerts.result is then ''): a screening of
-- a listed name opens an alert per list that names it, and four copies of
-- its result were most of what a commit wrote. Never changed or deleted.
CREATE TABLE IF NOT EXISTS frozen_results (
	hash   TEXT PRIMARY KEY CHECK (length(hash) = 64),
	result TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS frozen_results_final BEFORE UPDATE ON frozen_results
BEGIN SELECT RAISE(ABORT, 'a frozen result is final'); END;
CREATE TRIGGER IF NOT EXISTS frozen_results_kept BEFORE DELETE ON frozen_results
BEGIN SELECT RAISE(ABORT, 'frozen results are kept'); END;

CREATE TABLE IF NOT EXISTS decisions (
	id           INTEGER PRIMARY KEY,
	alert_id     INTEGER NOT NULL REFERENCES alerts(id),
	outcome      TEXT NOT NULL CHECK (outcome IN ('true_match', 'false_positive', 'escalate')),
	reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
	maker        TEXT NOT NULL CHECK (length(maker) > 0),
	maker_role   TEXT NOT NULL CHECK (maker_role IN ('analyst', 'approver', 'admin')),
	made         TEXT NOT NULL,
	from_status  TEXT NOT NULL,
	state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
	checker      TEXT,
	checker_role TEXT CHECK (checker_role IS NULL OR checker_role IN ('approver', 'admin')),
	checked      TEXT,
	check_note   TEXT NOT NULL DEFAULT '',
	CHECK (checker IS NULL OR checker <> maker),
	CHECK ((state = 'pending') = (checker IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS decisions_one_pending ON decisions (alert_id) WHERE state = 'pending';
-- An alert's decisions: read by every approval (its pending decision, and the
-- trigger alerts_close_on_approval), which scanned the whole table without it.
CREATE INDEX IF NOT EXISTS decisions_alert ON decisions (alert_id, id);
CREATE TRIGGER IF NOT EXISTS decisions_four_eyes BEFORE UPDATE ON decisions
WHEN NEW.checker IS NOT NULL AND NEW.checker = OLD.maker
BEGIN SELECT RAISE(ABORT, 'four eyes: the maker of a decision may not check it'); END;
CREATE TRIGGER IF NOT EXISTS decisions_final BEFORE UPDATE ON decisions
WHEN OLD.state <> 'pending' OR NEW.maker <> OLD.maker OR NEW.outcome <> OLD.outcome OR NEW.reason <> OLD.reason OR NEW.alert_id <> OLD.alert_id
BEGIN SELECT RAISE(ABORT, 'a decision is final once checked, and its maker, outcome and reason never change'); END;
CREATE TRIGGER IF NOT EXISTS decisions_kept BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are kept'); END;
CREATE TRIGGER IF NOT EXISTS alerts_close_on_approval BEFORE UPDATE OF status ON alerts
WHEN NEW.status IN ('true_match', 'false_positive', 'escalated') AND NEW.status <> OLD.status AND NOT EXISTS (
	SELECT 1 FROM decisions d WHERE d.alert_id = NEW.id AND d.state = 'approved' AND d.checker <> d.maker
	AND d.outcome = (CASE NEW.status WHEN 'escalated' THEN 'escalate' ELSE NEW.status END))
BEGIN SELECT RAISE(ABORT, 'four eyes: an alert is decided only by an approved decision'); END;
CREATE TRIGGER IF NOT EXISTS alerts_kept BEFORE DELETE ON alerts
BEGIN SELECT RAISE(ABORT, 'alerts are kept'); END;

CREATE TABLE IF NOT EXISTS suppressions (
	subject_fp  TEXT NOT NULL CHECK (length(subject_fp) > 0),
	entity_id   TEXT NOT NULL,
	entity_fp   TEXT NOT NULL CHECK (length(entity_fp) > 0),
	alert_id    INTEGER NOT NULL REFERENCES alerts(id),
	decision_id INTEGER NOT NULL REFERENCES decisions(id),
	created     TEXT NOT NULL,
	PRIMARY KEY (subject_fp, entity_id, entity_fp)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS suppressions_need_approval BEFORE INSERT ON suppressions
WHEN NOT EXISTS (SELECT 1 FROM decisions d WHERE d.id = NEW.decision_id AND d.alert_id = NEW.alert_id
	AND d.state = 'approved' AND d.outcome = 'false_positive' AND d.checker <> d.maker)
BEGIN SELECT RAISE(ABORT, 'four eyes: a suppression needs an approved false positive'); END;

CREATE TABLE IF NOT EXISTS attachments (
	id          INTEGER PRIMARY KEY,
	decision_id INTEGER NOT NULL REFERENCES decisions(id),
	name        TEXT NOT NULL,
	type        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	sha256      TEXT NOT NULL,
	content     BLOB NOT NULL,
	CHECK (size = length(content))
);
CREATE INDEX IF NOT EXISTS attachments_decision ON attachments (decision_id, id);

CREATE TABLE IF NOT EXISTS comments (
	id       INTEGER PRIMARY KEY,
	alert_id INTEGER NOT NULL REFERENCES alerts(id),
	author   TEXT NOT NULL,
	text     TEXT NOT NULL CHECK (length(trim(text)) > 0),
	time     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_alert ON comments (alert_id, id);

CREATE TABLE IF NOT EXISTS history (
	id          INTEGER PRIMARY KEY,
	alert_id    INTEGER NOT NULL REFERENCES alerts(id),
	time        TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	from_status TEXT NOT NULL DEFAULT '',
	to_status   TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS history_alert ON history (alert_id, id);

CREATE TABLE IF NOT EXISTS users (
	name     TEXT PRIMARY KEY CHECK (length(name) > 0),
	role     TEXT NOT NULL,
	password TEXT NOT NULL DEFAULT '',
	created  TEXT NOT NULL,
	disabled TEXT
);

CREATE TABLE IF NOT EXISTS webhooks (
	id      INTEGER PRIMARY KEY,
	url     TEXT NOT NULL,
	secret  TEXT NOT NULL,
	events  TEXT NOT NULL,
	created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
	id         INTEGER PRIMARY KEY,
	webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
	event      TEXT NOT NULL,
	body       TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    TEXT NOT NULL,
	state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
	last_error TEXT NOT NULL DEFAULT '',
	updated    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_at);

CREATE TABLE IF NOT EXISTS sessions (
	token_hash TEXT PRIMARY KEY,
	user_name  TEXT NOT NULL REFERENCES users (name),
	created    TEXT NOT NULL,
	last_seen  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_name);
`

// migrate creates the tables and refuses a database of a newer lexscreen.
func migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version > schemaVersion {
		return fmt.Errorf("it was made by a newer lexscreen (schema %d; this one reads up to %d): use that version", version, schemaVersion)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		return err
	}
	// Schema 1 had no alerts.result_hash (frozen_results is new in 2).
	var has int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info('alerts') WHERE name = 'result_hash'`).Scan(&has); err != nil {
		return err
	}
	if has == 0 {
		if _, err := db.ExecContext(ctx, `ALTER TABLE alerts ADD COLUMN result_hash TEXT`); err != nil {
			return err
		}
	}
	_, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", schemaVersion))
	return err
}
