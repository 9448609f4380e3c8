package postgres

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Changes returns a channel that receives a value after a snapshot was
// committed or deleted by any process sharing the database (LISTEN on
// NotifyChannel), until ctx ends; values are coalesced. When the listening
// connection is lost it reconnects (with backoff) and sends a value, as a
// notification may have been missed meanwhile; callers still poll.
func (d *DB) Changes(ctx context.Context) <-chan struct{} {
	ch := make(chan struct{}, 1)
	signal := func() {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
	go func() {
		backoff := 100 * time.Millisecond
		first := true
		for ctx.Err() == nil {
			err := d.listen(ctx, func() {
				backoff = 100 * time.Millisecond
				if !first {
					signal() // reconnected: something may have been missed
				}
				first = false
			}, signal)
			if ctx.Err() != nil {
				return
			}
			d.listenFailures.Add(1)
			slog.Warn("postgres store: lost the LISTEN connection for list changes; reconnecting, polling meanwhile",
				"store", d.location, "err", err, "retry_in", backoff.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(2*backoff, 10*time.Second)
		}
	}()
	return ch
}

// listen holds one connection on LISTEN until an error or ctx ends, calling
// listening once subscribed and notified for each notification.
func (d *DB) listen(ctx context.Context, listening, notified func()) error {
	pc, err := d.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	// The connection carries a LISTEN: take it out of the pool for good.
	conn := pc.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{NotifyChannel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return err
		}
		notified()
	}
}

// ListenFailures counts the times the LISTEN connection was lost or could
// not be made since Open (each is logged, at level warn, on slog.Default).
func (d *DB) ListenFailures() int64 { return d.listenFailures.Load() }
