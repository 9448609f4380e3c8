package server

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lexscreen/lexscreen/workspace"
)

// paymentsWorkspaceEnv is paymentsEnv with a workspace.
func paymentsWorkspaceEnv(t *testing.T) *env {
	e := paymentsEnv(t)
	ws, err := workspace.Open(context.Background(), filepath.Join(e.dir, "workspace.db"), workspace.Options{Audit: e.adb, Listings: e.db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ws.Close() })
	e.srv.cfg.Workspace = ws
	return e
}

// mt103To is an MT103 from a Swedish customer to a beneficiary (59F) of
// the given name and country.
func mt103To(ref, creditor, country, town string) string {
	return fmt.Sprintf(`{1:F01ESSESESSAXXX0000000000}{2:I103BARCGB22XXXXN}{4:
:20:%s
:23B:CRED
:32A:250901USD950,00
:50F:/SE4550000000058398257466
1/LINDQVIST ANNA
3/SE/STOCKHOLM
:52A:ESSESESS
:57A:BARCGB22
:59F:/GB29NWBK60161331926819
1/%s
3/%s/%s
:70:INVOICE %s
:71A:SHA
-}
`, ref, creditor, country, town, ref)
}

// TestPaymentsScreenAlerts: over HTTP, a payment to a listed name opens an
// alert as the key; once a namesake's alert is decided false positive and
// approved by another key, the same beneficiary in the next payment is
// suppressed (the decision named); the same name in another country
// alerts again.
func TestPaymentsScreenAlerts(t *testing.T) {
	e := paymentsWorkspaceEnv(t)
	screen := func(body string) PaymentsResponse {
		t.Helper()
		r := e.do("POST", "/v1/payments/screen?operator=us-bank&alert=1", "screener", "text/plain", strings.NewReader(body))
		if r.status != 200 {
			t.Fatalf("status %d %s", r.status, r.body)
		}
		var out PaymentsResponse
		r.json(t, &out)
		if out.Alerts == nil {
			t.Fatalf("no alerts in the answer: %s", r.body)
		}
		return out
	}
	first := screen(mt103To("PAY-1", "KARIM KHAN", "GB", "LEEDS"))
	if len(first.Alerts.Pairs) == 0 {
		t.Fatalf("a payment to a listed name opened nothing: %+v", first.Payments[0])
	}
	var ids []int64
	for _, p := range first.Alerts.Pairs {
		if p.Outcome != workspace.OutcomeOpened || p.Role != "beneficiary_customer" || p.Field != "59F" || !strings.HasPrefix(p.SubjectID, workspace.PartyPrefix) {
			t.Errorf("pair %+v", p)
		}
		ids = append(ids, p.Alert)
	}
	var a workspace.Alert
	e.get(fmt.Sprintf("/v1/alerts/%d", ids[0]), "auditor").json(t, &a)
	if a.Payment == nil || a.Payment.Reference != "PAY-1" || a.Payment.Type != "MT103" || len(a.Result.Matches) == 0 || len(a.Result.Matches[0].Obligations) == 0 {
		t.Fatalf("alert %d: payment %+v result %+v", ids[0], a.Payment, a.Result)
	}
	if len(a.History) == 0 || !strings.HasPrefix(a.History[0].Actor, "key:") || !strings.Contains(e.keys["screener"], strings.TrimPrefix(a.History[0].Actor, "key:")) {
		t.Errorf("opened by %+v, want the screener's key", a.History)
	}
	for _, id := range ids {
		if r := e.post(fmt.Sprintf("/v1/alerts/%d/decision", id), "analyst", `{"outcome":"false_positive","reason":"our beneficiary is a plumber in Leeds, born 1979"}`); r.status != 200 {
			t.Fatalf("decide: %d %s", r.status, r.body)
		}
		if r := e.post(fmt.Sprintf("/v1/alerts/%d/approve", id), "approver", `{}`); r.status != 200 {
			t.Fatalf("approve: %d %s", r.status, r.body)
		}
	}
	second := screen(mt103To("PAY-2", "KARIM KHAN", "GB", "LEEDS") + mt103To("PAY-3", "KARIM KHAN", "PK", "LAHORE"))
	var suppressed, opened int
	for _, p := range second.Alerts.Pairs {
		switch p.Reference {
		case "PAY-2":
			if p.Outcome != workspace.OutcomeSuppressed || p.SuppressedBy == 0 || !strings.Contains(p.Note, "suppressed by decision") {
				t.Errorf("PAY-2: %+v", p)
			}
			suppressed++
		case "PAY-3":
			if p.Outcome != workspace.OutcomeOpened {
				t.Errorf("PAY-3: %+v", p)
			}
			opened++
		}
	}
	if suppressed != len(ids) || opened == 0 || len(second.Alerts.Report.Opened) != opened {
		t.Fatalf("second request: %d suppressed (want %d), %d opened: %+v", suppressed, len(ids), opened, second.Alerts)
	}
	if r := e.do("POST", "/v1/payments/screen?alert=maybe", "screener", "text/plain", strings.NewReader(mt103To("X", "A B", "SE", "C"))); r.status != 400 {
		t.Errorf("alert=maybe: %d", r.status)
	}
}
