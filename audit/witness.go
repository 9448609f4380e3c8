package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Witness sends each signed checkpoint to a URL outside the database
// writer's reach (a transparency-log witness, a notary, a collector on
// another machine), so that whoever can rewrite audit.db and the local
// checkpoints file still can't make the published copies agree.
//
// A checkpoint is POSTed as text/plain (the signed note, as in the
// checkpoints file); any 2xx answer counts as received. Failures are
// retried with exponential back-off; while the witness is unreachable,
// only the newest checkpoints are kept (a checkpoint vouches for every
// record before it, so the newest one is what matters), and each one
// dropped or given up on is reported through Failed. Sending never
// blocks the audit writer.
type Witness struct {
	url    string
	client *http.Client
	// Failed, if set, is called for every checkpoint the witness did not
	// receive (given up after the retries, or dropped from a full queue).
	Failed func(note []byte, err error)
	// Sent, if set, is called for every checkpoint the witness received.
	Sent func(note []byte)

	queue chan []byte
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once

	retries int
	backoff time.Duration
}

// witnessQueue is how many checkpoints wait for an unreachable witness.
const witnessQueue = 16

// NewWitness checks the URL (http or https, with a host) and starts the
// sender; Close stops it.
func NewWitness(raw string) (*Witness, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("audit witness %q: want an http:// or https:// URL", raw)
	}
	w := &Witness{
		url:     u.String(),
		client:  &http.Client{Timeout: 10 * time.Second},
		queue:   make(chan []byte, witnessQueue),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		retries: 5,
		backoff: time.Second,
	}
	go w.run()
	return w, nil
}

// Publish queues a signed checkpoint note for the witness. When the queue
// is full, the oldest waiting checkpoint is dropped (and reported).
func (w *Witness) Publish(note []byte) {
	note = bytes.Clone(note)
	for {
		select {
		case w.queue <- note:
			return
		default:
		}
		select {
		case old := <-w.queue:
			w.failed(old, fmt.Errorf("dropped: %d newer checkpoints waited for the witness", witnessQueue))
		default:
		}
	}
}

// Close sends what is queued (one try each, within ctx) and stops.
func (w *Witness) Close(ctx context.Context) {
	w.once.Do(func() { close(w.stop) })
	select {
	case <-w.done:
	case <-ctx.Done():
		return
	}
	for {
		select {
		case note := <-w.queue:
			if err := w.send(ctx, note); err != nil {
				w.failed(note, err)
			} else if w.Sent != nil {
				w.Sent(note)
			}
		default:
			return
		}
	}
}

func (w *Witness) run() {
	defer close(w.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-w.stop
		cancel()
	}()
	for {
		select {
		case <-w.stop:
			return
		case note := <-w.queue:
			w.deliver(ctx, note)
		}
	}
}

// deliver tries a checkpoint until it is received, the retries run out,
// or the witness is stopped (then it goes back to the queue for Close).
func (w *Witness) deliver(ctx context.Context, note []byte) {
	wait := w.backoff
	var err error
	for try := 0; try <= w.retries; try++ {
		if err = w.send(ctx, note); err == nil {
			if w.Sent != nil {
				w.Sent(note)
			}
			return
		}
		if try == w.retries {
			break
		}
		select {
		case <-ctx.Done():
			w.Publish(note)
			return
		case <-time.After(wait):
		}
		wait *= 2
	}
	if ctx.Err() != nil {
		w.Publish(note)
		return
	}
	w.failed(note, fmt.Errorf("gave up after %d tries: %v", w.retries+1, err))
}

func (w *Witness) send(ctx context.Context, note []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(note))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := w.client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("witness answered %s", resp.Status)
	}
	return nil
}

func (w *Witness) failed(note []byte, err error) {
	if w.Failed != nil {
		w.Failed(note, err)
	}
}
