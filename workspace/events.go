package workspace

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"sync"
	"time"
)

// Event types, for webhooks and the event stream.
const (
	EventAlertOpened   = "alert.opened"
	EventAlertDecided  = "alert.decided"
	EventAlertApproved = "alert.approved"
	EventAlertRejected = "alert.rejected"
)

// EventTypes lists the event types.
var EventTypes = []string{EventAlertOpened, EventAlertDecided, EventAlertApproved, EventAlertRejected}

// Event is something that happened to an alert, sent to webhooks and to
// the event stream once it is committed.
type Event struct {
	Type  string    `json:"type"`
	Time  time.Time `json:"time"`
	Alert int64     `json:"alert"`
	Actor string    `json:"actor"`
	Data  any       `json:"data,omitempty"`
}

// Hub passes committed events to the subscribers of the event stream.
// A subscriber too slow to keep up loses events (it is told so by a gap
// event) rather than slowing the workspace down.
type Hub struct {
	mu     sync.Mutex
	subs   map[chan Event]struct{}
	wake   chan struct{} // signals the webhook sender
	closed bool
}

func newHub() *Hub { return &Hub{subs: map[chan Event]struct{}{}, wake: make(chan struct{}, 1)} }

// Subscribe returns a channel of the events from now on and a function
// to call when done.
func (s *Store) Subscribe() (<-chan Event, func()) {
	h := s.hub
	ch := make(chan Event, 256)
	h.mu.Lock()
	if h.closed {
		close(ch)
	} else {
		h.subs[ch] = struct{}{}
	}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		if _, ok := h.subs[ch]; ok {
			delete(h.subs, ch)
			close(ch)
		}
		h.mu.Unlock()
	}
}

func (h *Hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		close(ch)
		delete(h.subs, ch)
	}
	h.closed = true
}

// publish sends a committed event to the subscribers and wakes the
// webhook sender.
func (s *Store) publish(_ context.Context, e Event) {
	h := s.hub
	h.mu.Lock()
	for ch := range h.subs {
		select {
		case ch <- e:
		default:
			select { // full: drop the oldest to make room, and say so
			case <-ch:
			default:
			}
			select {
			case ch <- Event{Type: "gap", Time: e.Time}:
			default:
			}
		}
	}
	h.mu.Unlock()
	select {
	case h.wake <- struct{}{}:
	default:
	}
}

// enqueue writes, in the transaction of the change, one delivery per
// webhook that wants each event: the deliveries are as durable as the
// change (an outbox), and the sender delivers them after the commit.
func (s *Store) enqueue(ctx context.Context, tx *sql.Tx, events []Event, now time.Time) error {
	if len(events) == 0 {
		return nil
	}
	rows, err := s.stmt(ctx, tx, qWebhooks).QueryContext(ctx)
	if err != nil {
		return dbErr(err)
	}
	hooks, err := scanWebhooks(rows)
	if err != nil || len(hooks) == 0 {
		return err
	}
	for i := range events {
		events[i].Time = now
		body, err := json.Marshal(events[i])
		if err != nil {
			return err
		}
		for _, w := range hooks {
			if !w.wants(events[i].Type) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO deliveries (webhook_id, event, body, next_at, updated) VALUES (?, ?, ?, ?, ?)`,
				w.ID, events[i].Type, string(body), timeText(now), timeText(now)); err != nil {
				return dbErr(err)
			}
		}
	}
	return nil
}

func (w Webhook) wants(event string) bool {
	for _, e := range w.Events {
		if e == event || e == "*" || (strings.HasSuffix(e, ".*") && strings.HasPrefix(event, strings.TrimSuffix(e, "*"))) {
			return true
		}
	}
	return false
}
