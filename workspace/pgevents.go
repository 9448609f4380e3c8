package workspace

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// Events across servers sharing a PostgreSQL workspace: each event of a
// write is sent with pg_notify in the write's own transaction (so it goes
// out only if the write commits, and never for a write undone), and every
// store listens on EventChannel and passes the other servers' events to
// its own event stream (Subscribe). Webhook deliveries need none of this:
// they are rows of the database, sent by whichever server claims them.

// EventChannel is the LISTEN/NOTIFY channel of the workspace's events.
const EventChannel = "lexscreen_workspace_events"

// maxNotify bounds a notification's payload (PostgreSQL's limit is 8000
// bytes): a larger event goes without its data.
const maxNotify = 7000

// notice is an event as notified: the event and the store that made it.
type notice struct {
	Origin string `json:"origin"`
	Event  Event  `json:"event"`
}

// notifyEvents sends events to the other servers, in tx (PostgreSQL only).
func (s *Store) notifyEvents(ctx context.Context, tx *sql.Tx, events []Event) error {
	if !s.pg || len(events) == 0 {
		return nil
	}
	for _, e := range events {
		if e.Time.IsZero() {
			e.Time = s.now()
		}
		b, err := json.Marshal(notice{Origin: s.origin, Event: e})
		if err != nil || len(b) > maxNotify {
			e.Data = map[string]string{"omitted": "too large to notify; read the alert"}
			if b, err = json.Marshal(notice{Origin: s.origin, Event: e}); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify(?, ?)`, EventChannel, string(b)); err != nil {
			return dbErr(err)
		}
	}
	return nil
}

// newOrigin names a store among those sharing a database.
func newOrigin() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// listen passes the other servers' events to this store's subscribers
// until ctx ends, reconnecting (after 1 s, doubling up to 30 s) when the
// connection is lost. Events notified while it was disconnected are not
// seen: the stream is for the screen, the record is the database.
func (s *Store) listen(ctx context.Context, dsn string) {
	wait := time.Second
	for ctx.Err() == nil {
		err := s.listenOnce(ctx, dsn, func() { wait = time.Second })
		if ctx.Err() != nil {
			return
		}
		s.listenFailures.Add(1)
		slog.Warn("workspace: lost the LISTEN connection for other servers' alert events; reconnecting (events meanwhile do not reach this server's /v1/events stream; alerts and webhooks are unaffected)",
			"err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func (s *Store) listenOnce(ctx context.Context, dsn string, connected func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+EventChannel); err != nil {
		return err
	}
	connected()
	s.listening.Store(true)
	defer s.listening.Store(false)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		var nt notice
		if json.Unmarshal([]byte(n.Payload), &nt) != nil || nt.Origin == s.origin {
			continue
		}
		s.publish(ctx, nt.Event)
	}
}

// EventRelay says whether the store receives the events of the other
// servers sharing its PostgreSQL database, and how many times the
// connection that receives them was lost or could not be made (always
// false, 0 in SQLite, where there are no other servers).
func (s *Store) EventRelay() (listening bool, failures int64) {
	return s.listening.Load(), s.listenFailures.Load()
}
