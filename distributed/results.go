package distributed

import (
	"context"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Results stores the results of distributed jobs, one per (job, row).
// Put keeps the first result stored for a row and ignores any later one,
// so a chunk screened twice (redelivered after its worker died) never
// duplicates a row. Implementations are safe for concurrent use by many
// processes.
type Results interface {
	// Put stores results of a job and returns how many were new (the
	// others were already stored and were left as they were). It is
	// atomic: all of them are stored, or none.
	Put(ctx context.Context, job string, rs []Result) (inserted int, err error)
	// Count returns how many rows of a job have a result.
	Count(ctx context.Context, job string) (int, error)
	// Each calls fn with every result of a job in row order.
	Each(ctx context.Context, job string, fn func(Result) error) error
	// Delete removes a job's results.
	Delete(ctx context.Context, job string) error
	Close() error
}

// OpenResults opens the results store a DSN names: a postgres:// or
// postgresql:// URL (PostgreSQL, via pgx), else a SQLite file path
// (optionally "sqlite:PATH"), which processes on one machine can share.
func OpenResults(ctx context.Context, dsn string) (Results, error) {
	switch {
	case dsn == "":
		return nil, lexscreen.Errorf(lexscreen.EINVALID, "no results store: give a SQLite file path or a postgres:// URL")
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return OpenPostgresResults(ctx, dsn)
	default:
		return OpenSQLiteResults(ctx, strings.TrimPrefix(dsn, "sqlite:"))
	}
}
