package distributed

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lexscreen/lexscreen"
)

// Spec is what a worker needs, besides the rows, to screen a job's rows
// exactly as `lexscreen batch` would on the submitter's machine.
type Spec struct {
	Job   string `json:"job"`
	Input string `json:"input"` // the input file's name, for error locations
	// Screening options, as the batch command's flags give them.
	Threshold    float64   `json:"threshold,omitempty"`
	Limit        int       `json:"limit,omitempty"`
	Schema       string    `json:"schema,omitempty"`        // the type of rows that give none
	Operator     string    `json:"operator,omitempty"`      // a built-in profile, or the name of OperatorYAML
	OperatorYAML []byte    `json:"operator_yaml,omitempty"` // a YAML profile, carried by value
	Date         string    `json:"date,omitempty"`          // YYYY-MM-DD; "" today
	CurrentLists bool      `json:"current_lists,omitempty"`
	Regimes      []Overlay `json:"regimes,omitempty"`
	MaxListAgeNs int64     `json:"max_list_age_ns,omitempty"`
	// Lists names the lists the submitter screens against (see
	// ListsFingerprint); a worker whose lists differ refuses the chunk
	// rather than screen it against other lists.
	Lists string `json:"lists"`
}

// Overlay is a what-if regimes file, carried by value.
type Overlay struct {
	Name string `json:"name"`
	YAML []byte `json:"yaml"`
}

// KindMonitor is the Kind of a monitoring run's chunk of subjects.
const KindMonitor = "monitor"

// Row is one row of a batch input, as the batch reader gave it.
type Row struct {
	Seq   int              `json:"seq"`
	Line  int              `json:"line"`
	Query lexscreen.Query  `json:"query"`
	Err   *lexscreen.Error `json:"err,omitempty"`
}

// Chunk is one unit of work on the stream: consecutive rows of a batch
// job, or one part of another kind of job (Work: a monitoring run's
// chunk of subjects), which stores one result keyed by its Part.
type Chunk struct {
	Spec Spec  `json:"spec"`
	Rows []Row `json:"rows,omitempty"`
	// Kind names the work of a part ("monitor"); "" is batch rows.
	Kind string `json:"kind,omitempty"`
	// Part is a part's number within its job: the row its one result is
	// stored under.
	Part int `json:"part,omitempty"`
	// Units is how many items a part holds (subjects), for the metrics.
	Units int `json:"units,omitempty"`
	// Work is a part's payload, read by the ScreenFunc of its Kind.
	Work json.RawMessage `json:"work,omitempty"`
}

// Name is the chunk's id within its job: its first and last rows, or its
// part.
func (c Chunk) Name() string {
	if c.Kind != "" {
		return fmt.Sprintf("%s:%s-%d", c.Spec.Job, c.Kind, c.Part)
	}
	if len(c.Rows) == 0 {
		return c.Spec.Job + ":empty"
	}
	return fmt.Sprintf("%s:%d-%d", c.Spec.Job, c.Rows[0].Seq, c.Rows[len(c.Rows)-1].Seq)
}

// Result is the stored outcome of one row: the output line exactly as
// `lexscreen batch` writes it (newline included), and what it says.
type Result struct {
	Row    int
	Line   []byte
	Status Status
}

// Status says what a row's result line is.
type Status uint8

// Status bits.
const (
	Matched     Status = 1 << iota // at least one match
	Warned                         // the result carries warnings
	NotScreened                    // an error line
)

// ListsFingerprint names a set of lists by source and version, in a form
// that two machines with the same lists agree on (snapshot ids are local
// to a store and are left out).
func ListsFingerprint(lists []lexscreen.ListVersion) string {
	parts := make([]string, 0, len(lists))
	for _, l := range lists {
		parts = append(parts, l.Source+"@"+l.Version)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// JobID names a job by what it screens and how: the same input with the
// same options is the same job, so submitting it again resumes it (rows
// already stored are not screened again).
func JobID(input []byte, spec Spec) string {
	spec.Job = ""
	h := sha256.New()
	h.Write(input)
	b, _ := json.Marshal(spec)
	h.Write(b)
	return "b" + hex.EncodeToString(h.Sum(nil))[:20]
}
