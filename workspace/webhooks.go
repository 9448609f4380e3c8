package workspace

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lexscreen/lexscreen"
)

// Webhook is a URL told of alert events, each request signed with its
// secret: X-Lexscreen-Signature: sha256=HEX(HMAC-SHA256(secret,
// timestamp + "." + body)), X-Lexscreen-Timestamp: Unix seconds.
type Webhook struct {
	ID      int64     `json:"id"`
	URL     string    `json:"url"`
	Events  []string  `json:"events"`
	Created time.Time `json:"created"`
	// Secret is shown once, when the webhook is made.
	Secret string `json:"secret,omitempty"`
}

// Delivery is one event sent (or to be sent) to one webhook.
type Delivery struct {
	ID        int64     `json:"id"`
	WebhookID int64     `json:"webhook_id"`
	Event     string    `json:"event"`
	Body      string    `json:"body"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	State     string    `json:"state"` // pending, delivered, dead (given up: the dead-letter list)
	LastError string    `json:"last_error,omitempty"`
	Updated   time.Time `json:"updated"`
}

// AddWebhook registers a webhook for events (default all) and returns it
// with its secret.
func (s *Store) AddWebhook(ctx context.Context, actor Actor, rawURL string, events []string) (Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Webhook{}, lexscreen.Errorf(lexscreen.EINVALID, "url %q: want an http(s) URL", rawURL)
	}
	if len(events) == 0 {
		events = []string{"*"}
	}
	for _, e := range events {
		if e != "*" && !hasRole(EventTypes, e) {
			return Webhook{}, lexscreen.Errorf(lexscreen.EINVALID, "event %q: want * or one of %s", e, strings.Join(EventTypes, ", "))
		}
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return Webhook{}, err
	}
	w := Webhook{URL: rawURL, Events: events, Created: s.now(), Secret: "whsec_" + hex.EncodeToString(b)}
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx, c *change) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO webhooks (url, secret, events, created) VALUES (?, ?, ?, ?) RETURNING id`,
			w.URL, w.Secret, strings.Join(w.Events, ","), timeText(w.Created)).Scan(&w.ID)
		if err != nil {
			return dbErr(err)
		}
		c.act(actor, "webhook.added", fmt.Sprintf("webhook:%d", w.ID), map[string]any{"url": w.URL, "events": w.Events})
		return nil
	})
	return w, err
}

// Webhooks lists the webhooks (without their secrets).
func (s *Store) Webhooks(ctx context.Context) ([]Webhook, error) {
	ws, err := webhooksOf(ctx, s.db)
	for i := range ws {
		ws[i].Secret = ""
	}
	return ws, err
}

func webhooksOf(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]Webhook, error) {
	rows, err := q.QueryContext(ctx, qWebhooks)
	if err != nil {
		return nil, dbErr(err)
	}
	return scanWebhooks(rows)
}

// scanWebhooks reads the rows of qWebhooks and closes them.
func scanWebhooks(rows *sql.Rows) ([]Webhook, error) {
	defer rows.Close()
	out := []Webhook{}
	for rows.Next() {
		var w Webhook
		var events, created string
		if err := rows.Scan(&w.ID, &w.URL, &w.Secret, &events, &created); err != nil {
			return nil, dbErr(err)
		}
		w.Events, w.Created = strings.Split(events, ","), parseTime(created)
		out = append(out, w)
	}
	return out, dbErr(rows.Err())
}

// Deliveries lists deliveries in a state ("dead": the dead-letter list),
// newest first.
func (s *Store) Deliveries(ctx context.Context, state string, limit int) ([]Delivery, error) {
	limit, err := page(limit)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, webhook_id, event, body, attempts, next_at, state, last_error, updated FROM deliveries
		WHERE state = ? ORDER BY id DESC LIMIT ?`, state, limit)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	out := []Delivery{}
	for rows.Next() {
		var d Delivery
		var next, updated string
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.Event, &d.Body, &d.Attempts, &next, &d.State, &d.LastError, &updated); err != nil {
			return nil, dbErr(err)
		}
		d.NextAt, d.Updated = parseTime(next), parseTime(updated)
		out = append(out, d)
	}
	return out, dbErr(rows.Err())
}

// Sender delivers the webhooks' events: each delivery is retried with
// exponential back-off (Backoff, doubling, at most MaxBackoff) and given
// up after MaxAttempts (state dead: the dead-letter list).
type Sender struct {
	Store       *Store
	Client      *http.Client
	MaxAttempts int           // default 8
	Backoff     time.Duration // first retry delay (default 2s)
	MaxBackoff  time.Duration // default 1h
	Poll        time.Duration // how often due retries are looked for (default 1s)
}

// Sign returns the signature header value of a body sent at ts.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Run delivers until ctx ends.
func (d *Sender) Run(ctx context.Context) {
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 8
	}
	if d.Backoff <= 0 {
		d.Backoff = 2 * time.Second
	}
	if d.MaxBackoff <= 0 {
		d.MaxBackoff = time.Hour
	}
	if d.Poll <= 0 {
		d.Poll = time.Second
	}
	if d.Client == nil {
		d.Client = &http.Client{Timeout: 10 * time.Second}
	}
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for {
		d.SendDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.Store.hub.wake:
		}
	}
}

// SendDue attempts every delivery that is due now, once; it returns how
// many it attempted.
func (d *Sender) SendDue(ctx context.Context) int {
	s := d.Store
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.body, d.event, d.attempts, w.url, w.secret FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.id LIMIT 100`, timeText(s.now()))
	if err != nil {
		return 0
	}
	type due struct {
		id                    int64
		body, event, url, sec string
		attempts              int
	}
	var list []due
	for rows.Next() {
		var x due
		if rows.Scan(&x.id, &x.body, &x.event, &x.attempts, &x.url, &x.sec) == nil {
			list = append(list, x)
		}
	}
	rows.Close()
	attempted := 0
	for _, x := range list {
		// Claim the delivery for a while (longer than a post may take):
		// another server sharing the workspace that read it too finds it
		// taken and leaves it; should this one die, it is due again then.
		r, err := s.db.ExecContext(ctx, `UPDATE deliveries SET next_at = ? WHERE id = ? AND state = 'pending' AND attempts = ? AND next_at <= ?`,
			timeText(s.now().Add(d.claimFor())), x.id, x.attempts, timeText(s.now()))
		if err != nil {
			continue
		}
		if n, _ := r.RowsAffected(); n == 0 {
			continue
		}
		attempted++
		err = d.post(ctx, x.url, x.sec, x.event, x.id, []byte(x.body))
		now := s.now()
		if err == nil {
			s.db.ExecContext(ctx, `UPDATE deliveries SET state = 'delivered', attempts = attempts + 1, last_error = '', updated = ? WHERE id = ?`, timeText(now), x.id)
			continue
		}
		attempts := x.attempts + 1
		state, next := "pending", now.Add(d.backoff(attempts))
		if attempts >= d.MaxAttempts {
			state = "dead"
		}
		s.db.ExecContext(ctx, `UPDATE deliveries SET state = ?, attempts = ?, next_at = ?, last_error = ?, updated = ? WHERE id = ?`,
			state, attempts, timeText(next), err.Error(), timeText(now), x.id)
	}
	return attempted
}

// claimFor is how long a delivery being posted stays claimed: the client's
// timeout and a minute.
func (d *Sender) claimFor() time.Duration {
	if d.Client != nil && d.Client.Timeout > 0 {
		return d.Client.Timeout + time.Minute
	}
	return 2 * time.Minute
}

func (d *Sender) backoff(attempts int) time.Duration {
	b := d.Backoff
	for i := 1; i < attempts && b < d.MaxBackoff; i++ {
		b *= 2
	}
	return min(b, d.MaxBackoff)
}

func (d *Sender) post(ctx context.Context, url, secret, event string, id int64, body []byte) error {
	ts := d.Store.now().Unix()
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Lexscreen-Event", event)
	req.Header.Set("X-Lexscreen-Delivery", strconv.FormatInt(id, 10))
	req.Header.Set("X-Lexscreen-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Lexscreen-Signature", Sign(secret, ts, body))
	resp, err := d.Client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}
