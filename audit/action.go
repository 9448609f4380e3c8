package audit

import (
	"encoding/json"
	"time"
)

// KindAction is the kind of the records of what people and jobs did in
// the workspace (a subject imported, an alert opened, a decision made or
// approved, a comment, an assignment), as opposed to screenings.
const KindAction = "action"

// Action is what an action record says: who did what to which object, and
// the details (the object's state after it, the reason given ...).
type Action struct {
	Action string          `json:"action"` // "subjects.import", "alert.opened", "decision.made", "decision.approved" ...
	Actor  string          `json:"actor"`  // "key:ID", "user:NAME" or "system:JOB"
	Role   string          `json:"role,omitempty"`
	Object string          `json:"object,omitempty"` // "alert:12", "subject:C-001" ...
	Detail json.RawMessage `json:"detail,omitempty"`
}

// ActionRecord makes the audit record of an action done at time t: kind
// action, keyed by its actor, the action as its request and its detail as
// its result.
func ActionRecord(a Action, t time.Time) (*Record, error) {
	req, err := json.Marshal(a)
	if err != nil {
		return nil, err
	}
	res := a.Detail
	if len(res) == 0 {
		res = json.RawMessage("null")
	}
	return &Record{Time: t, Kind: KindAction, KeyID: a.Actor, Request: req, Result: res}, nil
}
