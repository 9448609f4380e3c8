package distributed

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/lexscreen/lexscreen"
)

// The work stream and its one shared consumer.
const (
	StreamName   = "LEXSCREEN_WORK"
	ConsumerName = "lexscreen-workers"
	// subjectPrefix is followed by the job: lexscreen.work.batch.JOB.
	subjectPrefix = "lexscreen.work.batch."
)

// Defaults of the consumer and of a chunk.
const (
	DefaultAckWait    = 60 * time.Second
	DefaultMaxDeliver = 5
	DefaultChunkRows  = 500
)

// JobSubject is the subject a job's chunks are published on.
func JobSubject(job string) string { return subjectPrefix + job }

// QueueConfig tunes the work consumer: how long a worker may hold a chunk
// without an ack or an in-progress ack before it is given to another
// (AckWait), and how many times a chunk is delivered before it is given up
// (MaxDeliver).
type QueueConfig struct {
	AckWait    time.Duration
	MaxDeliver int
}

// EnsureStream creates the work stream if needed: WorkQueue retention (a
// chunk is removed when a worker acks it), on disk.
func EnsureStream(ctx context.Context, js jetstream.JetStream) (jetstream.Stream, error) {
	st, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:      StreamName,
		Subjects:  []string{"lexscreen.work.>"},
		Retention: jetstream.WorkQueuePolicy,
		Storage:   jetstream.FileStorage,
	})
	if err != nil {
		return nil, natsErr(err, "create the work stream %s", StreamName)
	}
	return st, nil
}

// EnsureConsumer creates or updates the durable pull consumer the workers
// share.
func EnsureConsumer(ctx context.Context, js jetstream.JetStream, cfg QueueConfig) (jetstream.Consumer, error) {
	if cfg.AckWait <= 0 {
		cfg.AckWait = DefaultAckWait
	}
	if cfg.MaxDeliver <= 0 {
		cfg.MaxDeliver = DefaultMaxDeliver
	}
	if _, err := EnsureStream(ctx, js); err != nil {
		return nil, err
	}
	c, err := js.CreateOrUpdateConsumer(ctx, StreamName, jetstream.ConsumerConfig{
		Durable:       ConsumerName,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       cfg.AckWait,
		MaxDeliver:    cfg.MaxDeliver,
		FilterSubject: "lexscreen.work.>",
	})
	if err != nil {
		return nil, natsErr(err, "create the work consumer %s", ConsumerName)
	}
	return c, nil
}

// Submission is a job published on the stream, being waited for.
type Submission struct {
	Job    string
	Rows   int // rows of the job, stored before or not
	Chunks int // chunks published by this submission

	js      jetstream.JetStream
	results Results
	adv     *nats.Subscription
	nonce   string // makes this submission's message ids its own

	mu sync.Mutex
	// chunkOf maps a published chunk's stream sequence to its name; dead
	// holds the sequences JetStream gave up, with why.
	chunkOf map[uint64]string
	rowsOf  map[string]int // rows of each chunk, by name
	dead    map[uint64]string
}

// LostChunk is a chunk JetStream gave up: delivered MaxDeliver times
// without an ack, or refused by a worker as unreadable.
type LostChunk struct {
	Chunk  string `json:"chunk"`
	Reason string `json:"reason"`
}

// Submit publishes, in chunks of chunkRows, the rows of a job that have no
// stored result yet (all of them for a new job; the rest when a job is
// submitted again), and returns the submission to wait on. Rows are the
// job's rows in order.
func Submit(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, results Results, spec Spec, rows []Row, chunkRows int) (*Submission, error) {
	if chunkRows <= 0 {
		chunkRows = DefaultChunkRows
	}
	s, stored, err := newSubmission(ctx, nc, js, results, spec.Job, len(rows))
	if err != nil {
		return nil, err
	}
	var chunk []Row
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := s.publish(ctx, Chunk{Spec: spec, Rows: chunk}, len(chunk))
		chunk = nil
		return err
	}
	for _, r := range rows {
		if stored[r.Seq] {
			continue
		}
		chunk = append(chunk, r)
		if len(chunk) == chunkRows {
			if err := flush(); err != nil {
				s.Close()
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// SubmitParts publishes the parts of a job (chunks of another Kind than
// batch rows, each storing one result keyed by its Part) that have no
// stored result yet, and returns the submission to wait on. Every part
// carries job as its Spec.Job.
func SubmitParts(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, results Results, job string, parts []Chunk) (*Submission, error) {
	s, stored, err := newSubmission(ctx, nc, js, results, job, len(parts))
	if err != nil {
		return nil, err
	}
	for _, c := range parts {
		if c.Kind == "" || c.Spec.Job != job {
			s.Close()
			return nil, lexscreen.Errorf(lexscreen.EINTERNAL, "part %d of job %s: no kind, or another job (%q)", c.Part, job, c.Spec.Job)
		}
		if stored[c.Part] {
			continue
		}
		if err := s.publish(ctx, c, 1); err != nil {
			s.Close()
			return nil, err
		}
	}
	// Wait counts every stored result of the job: the parts stored
	// before (given or not) and those published now.
	s.Rows = len(stored) + s.Chunks
	return s, nil
}

// newSubmission reads which rows (or parts) of job are stored already,
// and listens for the chunks JetStream gives up before anything is
// published.
func newSubmission(ctx context.Context, nc *nats.Conn, js jetstream.JetStream, results Results, job string, rows int) (*Submission, map[int]bool, error) {
	if _, err := EnsureStream(ctx, js); err != nil {
		return nil, nil, err
	}
	stored := map[int]bool{}
	if err := results.Each(ctx, job, func(r Result) error { stored[r.Row] = true; return nil }); err != nil {
		return nil, nil, err
	}
	s := &Submission{Job: job, Rows: rows, js: js, results: results, chunkOf: map[uint64]string{}, rowsOf: map[string]int{}, dead: map[uint64]string{},
		nonce: fmt.Sprint(time.Now().UnixNano())}
	adv, err := nc.Subscribe("$JS.EVENT.ADVISORY.CONSUMER.*."+StreamName+"."+ConsumerName, s.advised)
	if err != nil {
		return nil, nil, natsErr(err, "subscribe to the work stream's advisories")
	}
	s.adv = adv
	if err := nc.Flush(); err != nil {
		s.Close()
		return nil, nil, natsErr(err, "subscribe to the work stream's advisories")
	}
	return s, stored, nil
}

// publish puts one chunk, of rows results, on the stream.
func (s *Submission) publish(ctx context.Context, c Chunk, rows int) error {
	data, err := json.Marshal(c)
	if err != nil {
		return err
	}
	ack, err := s.js.Publish(ctx, JobSubject(s.Job), data, jetstream.WithMsgID(c.Name()+"#"+s.nonce))
	if err != nil {
		return natsErr(err, "publish chunk %s (%d bytes)", c.Name(), len(data))
	}
	s.mu.Lock()
	s.chunkOf[ack.Sequence] = c.Name()
	s.rowsOf[c.Name()] = rows
	s.mu.Unlock()
	s.Chunks++
	return nil
}

// advised records a chunk JetStream gave up (MAX_DELIVERIES) or a worker
// terminated (MSG_TERMINATED).
func (s *Submission) advised(m *nats.Msg) {
	var a struct {
		Type       string `json:"type"`
		StreamSeq  uint64 `json:"stream_seq"`
		Deliveries int    `json:"deliveries"`
		Reason     string `json:"reason"`
	}
	if json.Unmarshal(m.Data, &a) != nil || a.StreamSeq == 0 {
		return
	}
	var reason string
	switch {
	case strings.Contains(m.Subject, ".MAX_DELIVERIES."):
		reason = fmt.Sprintf("delivered %d times without an ack (workers died or failed on it)", a.Deliveries)
	case strings.Contains(m.Subject, ".MSG_TERMINATED."):
		// Workers terminate only the chunks they can't read (without a
		// reason: nats-server 2.9 takes none).
		reason = "refused by a worker: " + cmp.Or(a.Reason, "unreadable chunk")
	default:
		return // another advisory (a nak, an ack)
	}
	s.mu.Lock()
	s.dead[a.StreamSeq] = reason
	s.mu.Unlock()
}

// Purge removes what is left of the job on the stream: chunks whose
// results are stored but whose ack was lost (their worker died between
// the two), which would otherwise be screened again for nothing.
func (s *Submission) Purge(ctx context.Context) error {
	st, err := s.js.Stream(ctx, StreamName)
	if err == nil {
		err = st.Purge(ctx, jetstream.WithPurgeSubject(JobSubject(s.Job)))
	}
	if err != nil {
		return natsErr(err, "purge job %s from the work stream", s.Job)
	}
	return nil
}

// Close stops listening for the stream's advisories.
func (s *Submission) Close() {
	if s.adv != nil {
		s.adv.Unsubscribe()
	}
}

// Progress is what a submission has come to.
type Progress struct {
	Stored int // rows with a result
	Rows   int
	// Left is the job's chunks still on the stream; Idle says no worker
	// is pulling and none holds a chunk.
	Left int
	Idle bool
	Lost []LostChunk
}

// Wait polls until every row has a result, or no chunk of the job is left
// on the stream (the rows still without a result were lost: Progress.Lost
// says which chunks and why). progress, if not nil, is called at each poll.
func (s *Submission) Wait(ctx context.Context, every time.Duration, progress func(Progress)) (Progress, error) {
	if every <= 0 {
		every = 500 * time.Millisecond
	}
	st, err := s.js.Stream(ctx, StreamName)
	if err != nil {
		return Progress{}, natsErr(err, "open the work stream")
	}
	cons, err := s.js.Consumer(ctx, StreamName, ConsumerName)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return Progress{}, natsErr(err, "open the work consumer")
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	idleSince := time.Time{}
	var lost []LostChunk // over the polls: each chunk given up is named once
	for {
		p := Progress{Rows: s.Rows}
		if p.Stored, err = s.results.Count(ctx, s.Job); err != nil {
			return p, err
		}
		lost = append(lost, s.dropDead(ctx, st)...)
		p.Lost = lost
		if p.Stored >= s.Rows {
			return p, nil
		}
		if cons == nil {
			cons, _ = s.js.Consumer(ctx, StreamName, ConsumerName)
		}
		if p.Left, err = s.left(ctx, st, cons); err != nil {
			return p, err
		}
		if p.Left == 0 {
			// Every chunk was acked (its results stored first) or given
			// up: count once more, then what is missing is lost, named
			// by the advisories that come in a moment.
			return s.finish(ctx, st, p, every)
		}
		if cons == nil {
			cons, _ = s.js.Consumer(ctx, StreamName, ConsumerName)
		}
		if cons != nil {
			if ci, err := cons.Info(ctx); err == nil {
				busy := ci.NumWaiting > 0 || ci.NumAckPending > 0
				if busy {
					idleSince = time.Time{}
				} else if idleSince.IsZero() {
					idleSince = time.Now()
				}
				// Chunks left that nobody will deliver again (given up,
				// their advisory missed) are lost too.
				if ci.NumPending == 0 && ci.NumAckPending == 0 && ci.NumRedelivered == 0 && !idleSince.IsZero() && time.Since(idleSince) > 3*every {
					lost = append(lost, s.dropUndeliverable(ctx, st)...)
					p.Lost = lost
				}
			}
		}
		p.Idle = cons == nil || (!idleSince.IsZero() && time.Since(idleSince) > 10*time.Second)
		if progress != nil {
			progress(p)
		}
		select {
		case <-ctx.Done():
			return p, ctx.Err()
		case <-tick.C:
		}
	}
}

// finish is the end of a job with no chunk left on the stream: a last
// count, and the chunks given up, named.
func (s *Submission) finish(ctx context.Context, st jetstream.Stream, p Progress, every time.Duration) (Progress, error) {
	var err error
	if p.Stored, err = s.results.Count(ctx, s.Job); err != nil || p.Stored >= s.Rows {
		return p, err
	}
	// Wait a little for the advisories of all the rows missing.
	for range 10 {
		if s.rowsIn(p.Lost) >= s.Rows-p.Stored {
			break
		}
		sleep(ctx, every)
		p.Lost = append(p.Lost, s.dropDead(ctx, st)...)
	}
	if len(p.Lost) == 0 {
		p.Lost = []LostChunk{{Chunk: s.Job, Reason: "no chunk of the job is left on the work stream, and no worker stored these rows (the stream was purged, or the chunks were given up unseen)"}}
	}
	return p, nil
}

// rowsIn counts the rows of chunks.
func (s *Submission) rowsIn(lost []LostChunk) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, l := range lost {
		n += s.rowsOf[l.Chunk]
	}
	return n
}

// left counts the job's chunks still on the stream.
func (s *Submission) left(ctx context.Context, st jetstream.Stream, cons jetstream.Consumer) (int, error) {
	subject := JobSubject(s.Job)
	info, err := st.Info(ctx, jetstream.WithSubjectFilter(subject))
	if err != nil {
		return 0, natsErr(err, "read the work stream's state")
	}
	if n := info.State.Subjects[subject]; n > 0 {
		return int(n), nil
	}
	if info.State.Msgs == 0 {
		return 0, nil
	}
	// Debian's nats-server 2.9 can lose count of a subject's messages on a
	// work-queue stream (the per-subject state says none while chunks of
	// the job, delivered to a worker that died, wait for AckWait), and
	// "none left" would call those chunks lost. So when the stream still
	// holds messages, count what the consumer has yet to deliver or to see
	// acked: an upper bound (other jobs' chunks count too), which only
	// makes Wait poll on until they are done or redelivered.
	if cons == nil {
		return int(info.State.Msgs), nil
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		return 0, natsErr(err, "read the work consumer's state")
	}
	return int(ci.NumPending) + ci.NumAckPending, nil
}

// dropDead removes from the stream the chunks JetStream gave up, and
// returns them, named (each once over the submission).
func (s *Submission) dropDead(ctx context.Context, st jetstream.Stream) []LostChunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lost []LostChunk
	for seq, reason := range s.dead {
		name, ok := s.chunkOf[seq]
		if !ok {
			continue // another job's chunk, or not yet recorded
		}
		st.DeleteMsg(ctx, seq) // already gone is fine
		lost = append(lost, LostChunk{Chunk: name, Reason: reason})
		delete(s.dead, seq)
		delete(s.chunkOf, seq)
	}
	return lost
}

// dropUndeliverable removes the job's chunks that are on the stream but
// that the consumer will never deliver again.
func (s *Submission) dropUndeliverable(ctx context.Context, st jetstream.Stream) []LostChunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lost []LostChunk
	for seq, name := range s.chunkOf {
		if _, err := st.GetMsg(ctx, seq); err != nil {
			continue // acked and removed
		}
		if st.DeleteMsg(ctx, seq) == nil {
			lost = append(lost, LostChunk{Chunk: name, Reason: "left on the stream with no delivery pending (given up after the maximum deliveries)"})
			delete(s.chunkOf, seq)
		}
	}
	return lost
}

// natsErr is NATS that could not be used: unavailable (exit code 5).
func natsErr(err error, format string, args ...any) error {
	return &lexscreen.Error{Code: lexscreen.EUNAVAILABLE, Message: "NATS: " + fmt.Sprintf(format, args...) + ": " + err.Error(), Err: err}
}

// StreamReady reports whether the work stream can be read now: nil, or
// why not (NATS unreachable, the stream missing), for a readiness probe.
func StreamReady(ctx context.Context, js jetstream.JetStream) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := js.Stream(ctx, StreamName); err != nil {
		return natsErr(err, "read the work stream %s", StreamName)
	}
	return nil
}
