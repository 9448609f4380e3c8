package workspace

import (
	"context"
	"testing"
	"time"

	"github.com/lexscreen/lexscreen"
	"github.com/lexscreen/lexscreen/audit"
)

// Sessions live in the store, take the user's current role at each use,
// end at their idle and absolute limits, at sign-out, and when the user is
// disabled or their password changes; users can be disabled, enabled and
// given another role, each in the audit chain.
func TestSessions(t *testing.T) { onEachBackend(t, testSessions) }

func testSessions(t *testing.T, newFixture func(testing.TB) *fixture) {
	ctx := context.Background()
	f := newFixture(t)
	for _, u := range [][2]string{{"ana", "analyst"}, {"ben", "approver"}} {
		if _, err := f.s.CreateUser(ctx, System("cli"), u[0], u[1], "correct horse battery"); err != nil {
			t.Fatal(err)
		}
	}
	lim := SessionLimits{Idle: 30 * time.Minute, Max: 12 * time.Hour}
	t0 := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	if err := f.s.StartSession(ctx, "h-ana", "ana", t0, lim); err != nil {
		t.Fatal(err)
	}
	if err := f.s.StartSession(ctx, "h-nobody", "nobody", t0, lim); code(err) != lexscreen.ENOTFOUND {
		t.Errorf("session of an unknown user: %v", err)
	}
	live := func(hash string, at time.Time) (Session, bool) {
		t.Helper()
		ses, err := f.s.SessionOf(ctx, hash, at, lim)
		if err != nil && code(err) != lexscreen.ENOTFOUND {
			t.Fatal(err)
		}
		return ses, err == nil
	}
	// Used every 20 minutes, the session outlives its idle limit...
	at := t0
	for range 5 {
		at = at.Add(20 * time.Minute)
		if ses, ok := live("h-ana", at); !ok || ses.User.Name != "ana" || ses.User.Role != "analyst" || !ses.Created.Equal(t0) {
			t.Fatalf("at %s: %+v %v", at, ses, ok)
		}
	}
	// ... takes the user's new role at its next use ...
	if u, err := f.s.SetRole(ctx, System("cli"), "ana", "approver"); err != nil || u.Role != "approver" {
		t.Fatal(u, err)
	}
	if _, err := f.s.SetRole(ctx, System("cli"), "ana", "approver"); code(err) != lexscreen.ECONFLICT {
		t.Errorf("same role again: %v", err)
	}
	if _, err := f.s.SetRole(ctx, System("cli"), "ana", "boss"); code(err) != lexscreen.EINVALID {
		t.Errorf("unknown role: %v", err)
	}
	if ses, ok := live("h-ana", at); !ok || ses.User.Role != "approver" {
		t.Errorf("after the role change: %+v %v", ses, ok)
	}
	// ... and ends after 31 idle minutes.
	if _, ok := live("h-ana", at.Add(31*time.Minute)); ok {
		t.Error("a session idle for 31 minutes is alive")
	}
	if _, ok := live("h-ana", at); ok {
		t.Error("an ended session came back")
	}
	// The absolute limit, however busy.
	if err := f.s.StartSession(ctx, "h-ben", "ben", t0, lim); err != nil {
		t.Fatal(err)
	}
	for at := t0; at.Before(t0.Add(12 * time.Hour)); at = at.Add(25 * time.Minute) {
		if _, ok := live("h-ben", at); !ok {
			t.Fatalf("ben's session ended at %s", at)
		}
	}
	if _, ok := live("h-ben", t0.Add(12*time.Hour+time.Minute)); ok {
		t.Error("a session older than 12 hours is alive")
	}
	// Sign-out.
	now := time.Now().UTC()
	if err := f.s.StartSession(ctx, "h-ben2", "ben", now, lim); err != nil {
		t.Fatal(err)
	}
	if err := f.s.EndSession(ctx, "h-ben2"); err != nil {
		t.Fatal(err)
	}
	if _, ok := live("h-ben2", now); ok {
		t.Error("signed out, the session is alive")
	}
	// A password change ends the user's sessions, not others'.
	for _, h := range []string{"h-ana2", "h-ana3"} {
		if err := f.s.StartSession(ctx, h, "ana", now, lim); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.s.StartSession(ctx, "h-ben3", "ben", now, lim); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetPassword(ctx, System("cli"), "ana", "another long secret"); err != nil {
		t.Fatal(err)
	}
	if _, ok := live("h-ana2", now); ok {
		t.Error("the password changed, the session is alive")
	}
	if _, ok := live("h-ben3", now); !ok {
		t.Error("ana's password change ended ben's session")
	}
	// Disabling ends the sessions and refuses new ones and sign-ins.
	if _, err := f.s.DisableUser(ctx, Actor{ID: "user:ben", Role: "admin"}, "ben"); code(err) != lexscreen.EINVALID {
		t.Errorf("disabling oneself: %v", err)
	}
	u, err := f.s.DisableUser(ctx, System("cli"), "ben")
	if err != nil || u.Disabled == nil {
		t.Fatal(u, err)
	}
	if _, ok := live("h-ben3", now); ok {
		t.Error("ben is disabled, his session is alive")
	}
	if err := f.s.StartSession(ctx, "h-ben4", "ben", now, lim); code(err) != lexscreen.EINVALID {
		t.Errorf("session of a disabled user: %v", err)
	}
	if _, err := f.s.VerifyPassword(ctx, "ben", "correct horse battery"); err == nil {
		t.Error("a disabled user signs in")
	}
	if _, err := f.s.DisableUser(ctx, System("cli"), "ben"); code(err) != lexscreen.ECONFLICT {
		t.Errorf("disabled twice: %v", err)
	}
	if u, err := f.s.EnableUser(ctx, System("cli"), "ben"); err != nil || u.Disabled != nil {
		t.Fatal(u, err)
	}
	if _, err := f.s.VerifyPassword(ctx, "ben", "correct horse battery"); err != nil {
		t.Errorf("enabled again, ben can't sign in: %v", err)
	}
	if _, err := f.s.EnableUser(ctx, System("cli"), "nobody"); code(err) != lexscreen.ENOTFOUND {
		t.Errorf("enable an unknown user: %v", err)
	}
	// Only hashes are stored, and each change is in the audit chain.
	var n int
	f.s.DB().QueryRow(`SELECT count(*) FROM sessions WHERE token_hash NOT LIKE 'h-%'`).Scan(&n)
	if n != 0 {
		t.Errorf("%d sessions stored under another key", n)
	}
	seen := map[string]bool{}
	for _, a := range auditActions(t, f) {
		seen[a] = true
	}
	for _, a := range []string{"user.role_set", "user.disabled", "user.enabled", "user.password_set"} {
		if !seen[a] {
			t.Errorf("no %s in the audit chain (have %v)", a, seen)
		}
	}
}

// auditActions lists the actions of the fixture's audit chain, in order.
func auditActions(t *testing.T, f *fixture) []string {
	t.Helper()
	recs, err := f.audit.List(context.Background(), 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		var a audit.Action
		if r.Kind == audit.KindAction && jsonUnmarshal(r.Request, &a) == nil {
			out = append(out, a.Action)
		}
	}
	return out
}
