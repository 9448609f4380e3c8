package audit

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/store/postgres"
)

// The audit log in PostgreSQL, for several `serve` replicas on one
// database: ONE chain with one sequence of record ids for all of them.
//
// The tables are SQLite's, prefixed audit_ (the database also holds the
// lists and the workspace). Each replica keeps its own writer goroutine and
// group commit; a commit takes the chain head row FOR UPDATE first, so the
// commits of all replicas are serialized: each reads the head the previous
// one left, numbers its records after it and chains their hashes to it.
// The row lock is held from the head's read to the commit (two round trips
// and the commit's flush), and a commit holds whatever records queued
// meanwhile, so throughput holds while the commits of the replicas take
// turns. Ids come from the head, not from a sequence, so a rolled-back
// commit leaves no gap.
//
// API keys: a key created or revoked through any replica is announced on
// keysChannel in the transaction that changes it; every replica LISTENs
// and drops its key cache when told, so the change holds at once (within
// milliseconds). Should the LISTEN connection be lost, the cache's
// lifetime (keyCacheTTL, 2 s) is the bound, as between processes on SQLite.

// keysChannel is the LISTEN/NOTIFY channel announcing a changed API key
// (payload: the key id).
const keysChannel = "lexscreen_audit_keys"

// lockAuditMigrate is the advisory lock key serializing the audit schema's
// migrations across replicas (the list store's keys are 7420170001 and 2).
const lockAuditMigrate = 7420170101

// pgTables are the audit tables, named in the SQL of this package as in
// SQLite and prefixed in PostgreSQL.
var pgTables = map[string]bool{"records": true, "list_sets": true, "chain_head": true, "api_keys": true}

const pgTablePrefix = "audit_"

// pgMigrations are the PostgreSQL schema's steps: step i brings it to
// version i+1 (recorded in audit_schema_version). Never edit a released
// one: add a step.
var pgMigrations = []string{`
CREATE TABLE audit_records (
	id        BIGINT PRIMARY KEY,
	time      TEXT NOT NULL,
	kind      TEXT NOT NULL,
	key_id    TEXT NOT NULL,
	content   BYTEA NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL,
	format    INTEGER NOT NULL DEFAULT 2,
	list_set  TEXT
);
CREATE TABLE audit_list_sets (
	hash    TEXT PRIMARY KEY,
	content TEXT NOT NULL
);
CREATE TABLE audit_chain_head (
	one     INTEGER PRIMARY KEY CHECK (one = 1),
	last_id BIGINT NOT NULL,
	hash    TEXT NOT NULL
);
-- The head exists from the start: the writers lock it.
INSERT INTO audit_chain_head (one, last_id, hash) VALUES (1, 0, '');
CREATE TABLE audit_api_keys (
	id      TEXT PRIMARY KEY,
	role    TEXT NOT NULL,
	name    TEXT NOT NULL DEFAULT '',
	salt    BYTEA NOT NULL,
	hash    BYTEA NOT NULL,
	created TEXT NOT NULL,
	revoked TEXT
);`}

// pgBackend is what a DB in PostgreSQL holds besides its *sql.DB.
type pgBackend struct {
	pool *pgxpool.Pool
	sync string // "full" or "normal" (synchronous_commit off)
	// rewrites caches pgSQL's rewrites, by query.
	rewrites sync.Map
	// The key listener.
	cancel         context.CancelFunc
	listening      chan struct{} // closed once LISTEN first holds
	listenDone     chan struct{}
	listenFailures atomic.Int64
}

// OpenPostgres opens the audit log and API keys in the PostgreSQL database
// named by dsn (a postgres:// URL or key=value pairs), creating or
// migrating its tables (audit_*). Several processes may open one database:
// they append to one chain and share the keys. o.Sync "normal" commits
// with synchronous_commit off (a record survives a crash of lexscreen, not
// always one of PostgreSQL's machine). Checkpoints are signed as with Open,
// into o.Checkpoint.File, a file of this replica.
func OpenPostgres(ctx context.Context, dsn string, o Options) (*DB, error) {
	if o.Sync == "" {
		o.Sync = "full"
	}
	switch o.Sync {
	case "full", "normal":
	default:
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit sync %q: want full or normal", o.Sync)
	}
	where := postgres.Redact(dsn)
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit database %s: cannot read the connection string: %v", where, redactDSN(err, dsn))
	}
	// The writer and the key listener take their connections from the
	// pool directly; reads (database/sql) keep two fewer, so that they
	// never make a commit wait for a connection.
	if !strings.Contains(dsn, "pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, 8)
	}
	if cfg.MaxConns < 3 {
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "audit database %s: pool_max_conns %d: the audit log needs at least 3 connections", where, cfg.MaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", where, redactDSN(err, dsn))
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: cannot connect (is PostgreSQL running and the database created? see docs/OPERATIONS.md): %v", where, redactDSN(err, dsn))
	}
	if err := migratePostgres(ctx, pool); err != nil {
		pool.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit database %s: %v", where, err)
	}
	sdb := stdlib.OpenDBFromPool(pool)
	sdb.SetMaxOpenConns(int(cfg.MaxConns) - 2)
	d := newDB(sdb, where, syncNormalLinger)
	lctx, cancel := context.WithCancel(context.Background())
	d.pg = &pgBackend{pool: pool, sync: o.Sync, cancel: cancel, listening: make(chan struct{}), listenDone: make(chan struct{})}
	go d.listenKeys(lctx)
	go d.writer()
	if o.Checkpoint.Signer != nil {
		if err := d.startCheckpoints(ctx, o.Checkpoint); err != nil {
			d.Close()
			return nil, err
		}
	}
	return d, nil
}

// redactDSN is err's text without the password of dsn.
func redactDSN(err error, dsn string) string {
	msg := err.Error()
	if cfg, perr := pgx.ParseConfig(dsn); perr == nil && cfg.Password != "" {
		msg = strings.ReplaceAll(msg, cfg.Password, "xxxxx")
	}
	return msg
}

// migratePostgres brings the audit tables to the newest version, under an
// advisory lock so that replicas starting together migrate once, and
// refuses a schema made by a newer lexscreen.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(lockAuditMigrate)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS audit_schema_version (
			version INTEGER PRIMARY KEY,
			applied TIMESTAMPTZ NOT NULL DEFAULT now())`); err != nil {
			return err
		}
		var cur int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM audit_schema_version`).Scan(&cur); err != nil {
			return err
		}
		if cur > len(pgMigrations) {
			return lexscreen.Errorf(lexscreen.EINVALID, "it was made by a newer lexscreen (audit schema %d; this one reads up to %d): use that version", cur, len(pgMigrations))
		}
		for v := cur + 1; v <= len(pgMigrations); v++ {
			if _, err := tx.Exec(ctx, pgMigrations[v-1]); err != nil {
				return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "migration %d: %v", v, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO audit_schema_version (version) VALUES ($1)`, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// rewrite is a query of this package, written for SQLite, for PostgreSQL:
// ? placeholders numbered ($1, $2 ...), the audit tables prefixed. Quoted
// text is copied as it is.
func (p *pgBackend) rewrite(query string) string {
	if q, ok := p.rewrites.Load(query); ok {
		return q.(string)
	}
	q := pgSQL(query)
	p.rewrites.Store(query, q)
	return q
}

func pgSQL(query string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); {
		c := query[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(query[i+1:], '\'')
			if j < 0 {
				b.WriteString(query[i:])
				return b.String()
			}
			b.WriteString(query[i : i+j+2])
			i += j + 2
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i++
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(query) && (query[j] == '_' || 'a' <= query[j] && query[j] <= 'z' || 'A' <= query[j] && query[j] <= 'Z' || '0' <= query[j] && query[j] <= '9') {
				j++
			}
			if pgTables[query[i:j]] {
				b.WriteString(pgTablePrefix)
			}
			b.WriteString(query[i:j])
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// commitPostgres writes a group of appends as one transaction at the end
// of the shared chain, in two round trips: BEGIN and the chain head read
// FOR UPDATE (waiting for another replica's commit to end), then the list
// sets, the records (one INSERT of arrays), the new head and COMMIT.
func (d *DB) commitPostgres(batch []*appendReq) (err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := d.pg.pool.Acquire(ctx)
	if err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: connect: %v", err)
	}
	defer conn.Release() // the pool drops a connection left in a transaction
	begun := false
	defer func() {
		if err != nil {
			if begun {
				rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
				if _, rerr := conn.Exec(rctx, "ROLLBACK"); rerr != nil {
					conn.Conn().Close(rctx)
				}
				rcancel()
			}
			for _, b := range batch {
				for _, rec := range b.recs {
					rec.ID, rec.PrevHash, rec.Hash = 0, "", ""
				}
			}
		}
	}()
	var lastID int64
	var prev string
	head := &pgx.Batch{}
	head.Queue("BEGIN")
	// A replica stopped (not dead) between the head's read and its commit
	// would hold the head, and every replica's appends, until it resumed:
	// PostgreSQL ends its session after this long instead.
	head.Queue("SET LOCAL idle_in_transaction_session_timeout = '10s'")
	if d.pg.sync == "normal" {
		head.Queue("SET LOCAL synchronous_commit = off")
	}
	head.Queue(`SELECT last_id, hash FROM audit_chain_head WHERE one = 1 FOR UPDATE`).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&lastID, &prev); errors.Is(err, pgx.ErrNoRows) {
			// The head row was deleted: start as an empty chain would, so
			// the first id collides with a record left, if any (refused).
			return nil
		} else {
			return err
		}
	})
	begun = true
	if err := conn.SendBatch(ctx, head).Close(); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: read chain head: %v", err)
	}

	n := 0
	for _, b := range batch {
		n += len(b.recs)
	}
	ids := make([]int64, 0, n)
	var times, kinds, keyIDs, prevs, hashes, sets []string
	contents := make([][]byte, 0, n)
	var newSets []string
	write := &pgx.Batch{}
	for _, b := range batch {
		for _, rec := range b.recs {
			if !d.storedSets[rec.ListSet] && !slices.Contains(newSets, rec.ListSet) {
				write.Queue(`INSERT INTO audit_list_sets (hash, content) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING`, rec.ListSet, string(rec.setJSON))
				newSets = append(newSets, rec.ListSet)
			}
			lastID++
			tm := rec.link(lastID, prev)
			ids, times, kinds, keyIDs = append(ids, rec.ID), append(times, tm), append(kinds, rec.Kind), append(keyIDs, rec.KeyID)
			contents, prevs, hashes, sets = append(contents, rec.body), append(prevs, rec.PrevHash), append(hashes, rec.Hash), append(sets, rec.ListSet)
			prev = rec.Hash
		}
	}
	write.Queue(`INSERT INTO audit_records (id, time, kind, key_id, content, prev_hash, hash, format, list_set)
		SELECT id, tm, kind, key_id, content, prev_hash, hash, 2, list_set
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bytea[], $6::text[], $7::text[], $8::text[])
			AS r(id, tm, kind, key_id, content, prev_hash, hash, list_set)`,
		ids, times, kinds, keyIDs, contents, prevs, hashes, sets)
	write.Queue(`INSERT INTO audit_chain_head (one, last_id, hash) VALUES (1, $1, $2)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, lastID, prev)
	write.Queue("COMMIT")
	if err := conn.SendBatch(ctx, write).Close(); err != nil {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: insert %d records: %v", n, err)
	}
	if conn.Conn().PgConn().TxStatus() != 'I' {
		return lexscreen.Errorf(lexscreen.EUNAVAILABLE, "audit: the commit of %d records did not end its transaction", n)
	}
	begun = false
	if len(d.storedSets) > 10000 {
		clear(d.storedSets)
	}
	for _, h := range newSets {
		d.storedSets[h] = true
	}
	return nil
}

// listenKeys holds a connection on LISTEN keysChannel until ctx ends and
// clears the key cache on each notification, and each time it (re)connects
// (a notification may have been missed meanwhile). A lost connection is
// logged and retried with back-off.
func (d *DB) listenKeys(ctx context.Context) {
	defer close(d.pg.listenDone)
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		err := d.listenOnce(ctx, func() {
			backoff = 100 * time.Millisecond
			d.keys.clear()
			if first {
				close(d.pg.listening)
				first = false
			}
		})
		if ctx.Err() != nil {
			return
		}
		d.pg.listenFailures.Add(1)
		slog.Warn("audit: lost the LISTEN connection for API key changes; reconnecting (keys changed meanwhile hold within the key cache lifetime)",
			"db", d.path, "err", err, "retry_in", backoff.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 10*time.Second)
	}
}

func (d *DB) listenOnce(ctx context.Context, listening func()) error {
	pc, err := d.pg.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := pc.Hijack() // it carries a LISTEN: out of the pool for good
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{keysChannel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		d.keys.clear()
	}
}

// close stops the key listener.
func (p *pgBackend) close() {
	p.cancel()
	<-p.listenDone
}
