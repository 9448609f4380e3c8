package server

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/payments"
)

// paymentsEnv is a server whose lists include the payments package's SDN
// excerpt (Karim Khan and Francesca Albanese under EO 14203, VTB Bank and
// Sberbank with their BICs).
func paymentsEnv(t *testing.T) *env {
	e := newEnv(t, Config{})
	importDir(t, e.db, "../payments/testdata/sdn/")
	if _, err := e.srv.Reload(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	return e
}

func readFixture(t *testing.T, name string) string {
	b, err := os.ReadFile("../payments/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPaymentsScreenE2E: the batch over HTTP. Exactly the payments
// naming a listed party (by name, only in free text, only by BIC, an
// MT202COV sharing its MT103's decision) are blocked for a US bank, each
// with BLOCK among its duties; the rest pass; every payment is recorded in
// the audit chain as kind payment.
func TestPaymentsScreenE2E(t *testing.T) {
	e := paymentsEnv(t)
	for _, c := range []struct {
		file, ctype string
		n           int
		blocked     []string
	}{
		{"e2e.xml", "application/xml", 8, []string{"INGB-20250901-7/E2E-HON-1", "INGB-20250901-7/E2E-CONF-2", "INGB-20250901-7/E2E-TRADE-3"}},
		{"e2e.fin", "text/plain", 6, []string{"MT103-REF-5500", "COV-5500"}},
		{"e2e.fin", "application/octet-stream", 6, []string{"MT103-REF-5500", "COV-5500"}}, // sniffed
	} {
		before := e.records()
		r := e.do("POST", "/v1/payments/screen?operator=us-bank", "screener", c.ctype, strings.NewReader(readFixture(t, c.file)))
		if r.status != 200 || r.header.Get("X-Payments-Not-Screened") != "0" {
			t.Fatalf("%s: status %d %s", c.file, r.status, r.body)
		}
		var out PaymentsResponse
		r.json(t, &out)
		if out.Counts.Payments != c.n || out.NotScreened != 0 {
			t.Fatalf("%s: %+v", c.file, out.Counts)
		}
		var blocked []string
		for _, p := range out.Payments {
			if p.Decision != payments.Pass {
				blocked = append(blocked, p.Message.Reference)
				if p.Decision != payments.Block || !strings.Contains(string(mustJSON(t, p)), `"kind":"BLOCK"`) && p.Pair == "" {
					t.Errorf("%s %s: %s (%s), want block with BLOCK", c.file, p.Message.Reference, p.Decision, p.Reason)
				}
			}
		}
		if strings.Join(blocked, ",") != strings.Join(c.blocked, ",") {
			t.Errorf("%s: stopped %v, want %v", c.file, blocked, c.blocked)
		}
		if got := e.records() - before; got != int64(c.n) {
			t.Errorf("%s: %d audit records, want one per payment (%d)", c.file, got, c.n)
		}
	}
}

// TestPaymentsScreenUnreadable: unreadable messages are counted and said;
// none readable is 422; the role, the parameters and the body are checked.
func TestPaymentsScreenUnreadable(t *testing.T) {
	e := paymentsEnv(t)
	good := "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKFRPPXXXXN}{4:\n:20:REF-1\n:23B:CRED\n:32A:250901EUR100,00\n:50K:/DE89370400440532013000\nJOHN SMITH\n:59:/FR7630006000011234567890189\nMARIA GARCIA\n:71A:SHA\n-}\n"
	bad := "{1:F01BANKDEFFAXXX0000000000}{2:I103BANKFRPPXXXXN}{4:\n:20:REF-2\n:32A:250901EUR100,00\n:50K:JOHN\n"
	r := e.do("POST", "/v1/payments/screen?operator=us-bank", "screener", "text/plain", strings.NewReader(good+bad))
	var out PaymentsResponse
	r.json(t, &out)
	if r.status != 200 || out.Counts.Payments != 1 || out.NotScreened != 1 || len(out.Errors) != 1 || r.header.Get("X-Payments-Not-Screened") != "1" {
		t.Errorf("one good, one cut short: status %d, %+v, errors %v", r.status, out.Counts, out.Errors)
	}
	r = e.do("POST", "/v1/payments/screen", "screener", "application/xml", strings.NewReader("<Document><FIToFICstmrCdtTrf><GrpHdr>"))
	if r.status != 422 {
		t.Errorf("nothing readable: status %d, want 422: %s", r.status, r.body)
	}
	if r := e.do("POST", "/v1/payments/screen", "", "text/plain", strings.NewReader(good)); r.status != 401 {
		t.Errorf("no key: status %d, want 401", r.status)
	}
	if r := e.do("POST", "/v1/payments/screen?operater=us-bank", "screener", "text/plain", strings.NewReader(good)); r.status != 400 {
		t.Errorf("misspelt parameter: status %d, want 400", r.status)
	}
	if r := e.do("POST", "/v1/payments/screen?operator=nobody", "screener", "text/plain", strings.NewReader(good)); r.status != 400 {
		t.Errorf("unknown operator: status %d, want 400: %s", r.status, r.body)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
