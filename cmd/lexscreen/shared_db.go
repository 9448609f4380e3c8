package main

import (
	"cmp"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/monitor"
	"github.com/lexscreen/lexscreen/store/postgres"
)

// With --store postgres://… (or LEXSCREEN_STORE) the workspace, the
// monitoring checkpoints and River's job queue live in that database, next
// to the lists, so that several servers share one book, one set of alerts
// and one queue; otherwise each is a file of the data directory
// (workspace.db, monitor.db, jobs.db).

// sharedDSN is the PostgreSQL database of --store, or "" for SQLite files.
func (a *app) sharedDSN() string {
	if loc := cmp.Or(a.storeURL, os.Getenv("LEXSCREEN_STORE")); postgres.IsDSN(loc) {
		return loc
	}
	return ""
}

// monitorStore opens the monitoring checkpoints: in the shared database,
// or <data-dir>/monitor.db.
func (a *app) monitorStore(ctx context.Context) (*monitor.Store, error) {
	if dsn := a.sharedDSN(); dsn != "" {
		st, err := monitor.OpenPostgresStore(ctx, dsn)
		if err != nil {
			return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%v", err)
		}
		return st, nil
	}
	dir, err := a.dataPath()
	if err != nil {
		return nil, err
	}
	st, err := monitor.OpenStore(ctx, filepath.Join(dir, "monitor.db"))
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "%v", err)
	}
	return st, nil
}

// riverClient is what lexscreen uses of a River client, whatever its
// driver (river.Client[*sql.Tx] on SQLite, river.Client[pgx.Tx] on
// PostgreSQL).
type riverClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	Subscribe(kinds ...river.EventKind) (<-chan *river.Event, func())
}

// jobQueue is River's queue, migrated and ready for clients.
type jobQueue struct {
	// where names it in messages: a file or a database URL without its
	// password.
	where string
	// cliQueue is the queue of `lexscreen monitor`'s own jobs: one per
	// host in a shared database, as a job is tied to its process (the
	// worker checks whether the process that queued it lives).
	cliQueue  string
	newClient func(*river.Config) (riverClient, error)
	close     func()
}

func clientMaker[TTx any](d riverdriver.Driver[TTx]) func(*river.Config) (riverClient, error) {
	return func(cfg *river.Config) (riverClient, error) {
		c, err := river.NewClient(d, cfg)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// openQueue opens the job queue: in the shared database, or
// <data-dir>/jobs.db (jobsPath, when given; else the data directory's).
func (a *app) openQueue(ctx context.Context, jobsPath string) (*jobQueue, error) {
	if dsn := a.sharedDSN(); dsn != "" {
		return openPostgresQueue(ctx, dsn)
	}
	if jobsPath == "" {
		dir, err := a.dataPath()
		if err != nil {
			return nil, err
		}
		jobsPath = filepath.Join(dir, "jobs.db")
	}
	return openSQLiteQueue(ctx, jobsPath)
}

// openSQLiteQueue opens the River queue of the SQLite file at path.
func openSQLiteQueue(ctx context.Context, path string) (*jobQueue, error) {
	db, driver, err := openJobQueue(ctx, path)
	if err != nil {
		return nil, err
	}
	return &jobQueue{where: path, cliQueue: monitorCLIQueue, newClient: clientMaker[*sql.Tx](driver), close: func() { db.Close() }}, nil
}

// lockRiverMigrate is the advisory lock key under which servers starting
// together migrate River's tables once.
const lockRiverMigrate = 7420170301

// openPostgresQueue opens River's queue in the PostgreSQL database named by
// dsn, running River's own migrations (rivermigrate) under an advisory lock.
func openPostgresQueue(ctx context.Context, dsn string) (*jobQueue, error) {
	where := postgres.Redact(dsn)
	pool, err := pgxpool.New(ctx, dsn)
	if err != nil {
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "the job queue in %s: %v", where, err)
	}
	driver := riverpgxv5.New(pool)
	if err := migrateRiver(ctx, pool, driver); err != nil {
		pool.Close()
		return nil, lexscreen.Errorf(lexscreen.EUNAVAILABLE, "preparing the job queue in %s: %v", where, err)
	}
	return &jobQueue{where: where, cliQueue: hostQueue(monitorCLIQueue), newClient: clientMaker[pgx.Tx](driver), close: pool.Close}, nil
}

// migrateRiver runs River's migrations, each in its own transaction (some
// add enum values, which a later statement of the same transaction may not
// use), under a session advisory lock held on a connection of its own.
func migrateRiver(ctx context.Context, pool *pgxpool.Pool, driver *riverpgxv5.Driver) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(lockRiverMigrate)); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, int64(lockRiverMigrate)); err != nil {
			conn.Conn().Close(context.Background()) // never back to the pool holding the lock
		}
	}()
	migrator, err := rivermigrate.New(driver, nil)
	if err != nil {
		return err
	}
	_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

var notQueueName = regexp.MustCompile(`[^a-z0-9_-]+`)

// hostQueue is queue suffixed with this host's name (as River allows
// queue names: lower-case letters, digits, '_' and '-', at most 128).
func hostQueue(queue string) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "unknown-host"
	}
	q := queue + "_" + strings.Trim(notQueueName.ReplaceAllString(strings.ToLower(host), "-"), "-")
	if len(q) > 128 {
		q = q[:128]
	}
	return q
}
