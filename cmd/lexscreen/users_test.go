package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestUsersLifecycle: an administrator gives a user another role, disables
// them (they can no longer act with --as) and enables them again; users
// list shows who is disabled.
func TestUsersLifecycle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if _, errOut, code := runLexInput(t, dir, strings.NewReader("a long enough password\n"), "users", "create", "ana", "--role", "analyst", "--password-stdin"); code != 0 {
		t.Fatalf("users create: %d %s", code, errOut)
	}
	out, errOut, code := lex(t, dir, "users", "role", "ana", "--role", "approver")
	if code != 0 || !strings.Contains(out, "ana now has role approver") {
		t.Fatalf("users role: %d %q %s", code, out, errOut)
	}
	if _, errOut, code := lex(t, dir, "users", "role", "ana", "--role", "boss"); code != 2 || !strings.Contains(errOut, "analyst") {
		t.Errorf("unknown role: %d %s", code, errOut)
	}
	if _, _, code := lex(t, dir, "--json", "users", "disable", "ana"); code != 0 {
		t.Fatalf("users disable: %d", code)
	}
	if _, errOut, code := lex(t, dir, "subjects", "delete", "C-1", "--as", "ana"); code == 0 || !strings.Contains(errOut, "disabled") {
		t.Errorf("a disabled user acts with --as: %d %s", code, errOut)
	}
	if _, errOut, code := runLexInput(t, dir, strings.NewReader("a long enough password\n"), "users", "verify", "ana"); code == 0 {
		t.Errorf("a disabled user's password verifies: %s", errOut)
	}
	if _, errOut, code := lex(t, dir, "users", "disable", "ana"); code == 0 || !strings.Contains(errOut, "already") {
		t.Errorf("disabled twice: %d %s", code, errOut)
	}
	out, _, _ = lex(t, dir, "--json", "users", "list")
	var list struct {
		Users []struct {
			Name, Role string
			Disabled   *string
		}
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Users) != 1 || list.Users[0].Role != "approver" || list.Users[0].Disabled == nil {
		t.Errorf("users list: %v %s", err, out)
	}
	if _, errOut, code := lex(t, dir, "users", "enable", "ana"); code != 0 {
		t.Fatalf("users enable: %d %s", code, errOut)
	}
	// Enabled again, ana acts: the refusal is now about the subject.
	if _, errOut, _ := lex(t, dir, "subjects", "delete", "C-1", "--as", "ana"); strings.Contains(errOut, "disabled") || !strings.Contains(errOut, "C-1") {
		t.Errorf("enabled again, ana can't act: %s", errOut)
	}
}
