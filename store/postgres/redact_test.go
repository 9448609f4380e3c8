package postgres

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for _, tc := range []struct{ dsn, want string }{
		{"postgres://lexscreen:Tr0ub4dor@db.internal:5432/lexscreen?sslmode=verify-full",
			"postgres://lexscreen:xxxxx@db.internal:5432/lexscreen?sslmode=verify-full"},
		{"postgresql://lexscreen@db.internal/lexscreen?password=Tr0ub4dor", "postgresql://lexscreen@db.internal/lexscreen?password=xxxxx"},
		{"postgres:///lexscreen?host=/run/postgresql", "postgres:///lexscreen?host=/run/postgresql"},
		{"postgres://lexscreen:p%zz@db.internal/lexscreen", "postgres://xxxxx@db.internal/lexscreen"},
		{"host=db.internal user=lexscreen password=Tr0ub4dor dbname=lexscreen", "host=db.internal user=lexscreen password=xxxxx dbname=lexscreen"},
	} {
		if got := Redact(tc.dsn); got != tc.want {
			t.Errorf("Redact(%q) = %q, want %q", tc.dsn, got, tc.want)
		}
	}
}

// FuzzRedact: whatever the password, it does not survive Redact.
func FuzzRedact(f *testing.F) {
	f.Add("Tr0ub4dor&3")
	f.Add("p@ss:word/with?odd#chars")
	f.Fuzz(func(t *testing.T, pw string) {
		if len(pw) < 6 || strings.Contains("postgres://lexscreen:xxxxx@db.internal:5432/lexscreen?sslmode=disable", pw) {
			return // too short to tell from the rest of the URL
		}
		u := url.URL{Scheme: "postgres", User: url.UserPassword("lexscreen", pw), Host: "db.internal:5432", Path: "/lexscreen", RawQuery: "sslmode=disable"}
		for _, dsn := range []string{u.String(), "postgres://lexscreen:" + pw + "@db.internal:5432/lexscreen"} {
			got := Redact(dsn)
			if strings.Contains(got, pw) || strings.Contains(got, url.PathEscape(pw)) || strings.Contains(got, url.QueryEscape(pw)) {
				t.Fatalf("Redact(%q) = %q keeps the password", dsn, got)
			}
		}
	})
}
