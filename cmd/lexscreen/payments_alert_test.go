package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// mt103 writes a SWIFT MT103 with an ordering customer (50F, with its
// country) and a beneficiary customer (59F, with its country).
func mt103(ref, debtor, debtorCountry, debtorTown, creditor, creditorCountry, creditorTown string) string {
	return fmt.Sprintf(`{1:F01ESSESESSAXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:
:20:%s
:23B:CRED
:32A:250901USD1200,00
:50F:/SE4550000000058398257466
1/%s
2/STORGATAN 1
3/%s/%s
:52A:ESSESESS
:57A:DEUTDEFF
:59F:/DE44500105175407324931
1/%s
2/MAIN STREET 5
3/%s/%s
:70:INVOICE %s
:71A:SHA
-}
`, ref, debtor, debtorCountry, debtorTown, creditor, creditorCountry, creditorTown, ref)
}

type paymentAlertsJSON struct {
	Payments []struct {
		Decision string `json:"decision"`
	} `json:"payments"`
	Alerts struct {
		Pairs []struct {
			Payment      int    `json:"payment"`
			Reference    string `json:"reference"`
			Role         string `json:"role"`
			Field        string `json:"field"`
			Name         string `json:"name"`
			SubjectID    string `json:"subject_id"`
			EntityID     string `json:"entity_id"`
			Outcome      string `json:"outcome"`
			Alert        int64  `json:"alert"`
			SuppressedBy int64  `json:"suppressed_by"`
			Note         string `json:"note"`
		} `json:"pairs"`
		Report struct {
			Opened     []int64 `json:"opened"`
			Suppressed int     `json:"suppressed"`
			Unchanged  int     `json:"unchanged"`
		} `json:"report"`
	} `json:"alerts"`
}

// TestScreenPaymentAlerts: a payment to a listed creditor opens an alert
// with the payment frozen in it; a namesake ordering customer's alerts are
// decided false positives and approved by a second person, and the same
// customer in the next payment is suppressed, naming the decision; the
// same name from another country is another party and alerts again; the
// listed creditor seen again finds its open alert.
func TestScreenPaymentAlerts(t *testing.T) {
	if testing.Short() {
		t.Skip("screens payments on the bundled lists twice")
	}
	dir := bundledDir(t)
	for _, u := range [][2]string{{"ana", "analyst"}, {"bob", "approver"}} {
		if _, errOut, code := runLexInput(t, dir, strings.NewReader("a long enough password\n"), "users", "create", u[0], "--role", u[1], "--password-stdin"); code != 0 {
			t.Fatalf("users create %s: %d %s", u[0], code, errOut)
		}
	}
	files := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(files, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := write("first.fin", mt103("PAY-1", "ALI HASSAN", "SE", "STOCKHOLM", "BANCO NACIONAL DE CUBA", "CU", "HAVANA"))
	if _, errOut, code := lex(t, dir, "screen-payment", "--operator", "us-bank", "--alert", first); code != 2 || !strings.Contains(errOut, "--as") {
		t.Fatalf("--alert without --as: exit %d: %s", code, errOut)
	}
	out, errOut, code := lex(t, dir, "screen-payment", "--operator", "us-bank", "--alert", "--as", "ana", "--json", first)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r1 paymentAlertsJSON
	if err := json.Unmarshal([]byte(out), &r1); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if len(r1.Payments) != 1 || r1.Payments[0].Decision == "pass" {
		t.Fatalf("payment 1: %s", out)
	}
	var creditorAlert int64
	var namesake []int64
	for _, p := range r1.Alerts.Pairs {
		if p.Outcome != "opened" || p.Alert == 0 || p.Reference != "PAY-1" || !strings.HasPrefix(p.SubjectID, "party:") {
			t.Errorf("payment 1 pair %+v", p)
		}
		switch p.Role {
		case "beneficiary_customer":
			if strings.HasPrefix(p.EntityID, "us-ofac-sdn:") {
				creditorAlert = p.Alert
			}
		case "ordering_customer":
			namesake = append(namesake, p.Alert)
		}
	}
	if creditorAlert == 0 || len(namesake) == 0 || len(r1.Alerts.Report.Opened) != len(r1.Alerts.Pairs) {
		t.Fatalf("payment 1: creditor alert %d, namesake alerts %v: %+v", creditorAlert, namesake, r1.Alerts)
	}
	// The alert keeps the payment and the law.
	out, _, _ = lex(t, dir, "alerts", "show", fmt.Sprint(creditorAlert), "--json")
	var shown struct {
		SubjectID string `json:"subject_id"`
		Payment   struct {
			Type, Reference, Role, Field, Decision string
		} `json:"payment"`
		Result struct {
			Matches []struct {
				Obligations []struct{ Kind, Basis, Confidence string } `json:"obligations"`
			} `json:"matches"`
			Lists []struct{ Snapshot int64 } `json:"lists"`
		} `json:"result"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if shown.Payment.Type != "MT103" || shown.Payment.Reference != "PAY-1" || shown.Payment.Field != "59F" || shown.Payment.Decision == "" ||
		len(shown.Result.Matches) == 0 || len(shown.Result.Matches[0].Obligations) == 0 || shown.Result.Matches[0].Obligations[0].Basis == "" || len(shown.Result.Lists) == 0 {
		t.Fatalf("alert %d: %s", creditorAlert, out)
	}
	// Four eyes: ana decides the namesake's alerts, bob approves.
	for _, id := range namesake {
		if _, errOut, code := lex(t, dir, "alerts", "decide", fmt.Sprint(id), "--outcome", "false_positive", "--reason",
			"our customer Ali Hassan of Stockholm, born 1988, is not the listed person", "--as", "ana"); code != 0 {
			t.Fatalf("decide %d: %d %s", id, code, errOut)
		}
		if _, errOut, code := lex(t, dir, "alerts", "approve", fmt.Sprint(id), "--as", "bob"); code != 0 {
			t.Fatalf("approve %d: %d %s", id, code, errOut)
		}
	}
	// The same customer pays a clean beneficiary, then the same name from
	// London pays the listed bank again.
	second := write("second.fin", mt103("PAY-2", "ALI HASSAN", "SE", "STOCKHOLM", "KLAUS WEBER", "DE", "BERLIN")+
		mt103("PAY-3", "ALI HASSAN", "GB", "LONDON", "BANCO NACIONAL DE CUBA", "CU", "HAVANA"))
	out, errOut, code = lex(t, dir, "screen-payment", "--operator", "us-bank", "--alert", "--as", "ana", "--json", second)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r2 paymentAlertsJSON
	if err := json.Unmarshal([]byte(out), &r2); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	var suppressed, realerted, existing int
	for _, p := range r2.Alerts.Pairs {
		switch {
		case p.Reference == "PAY-2" && p.Role == "ordering_customer":
			if p.Outcome != "suppressed" || p.SuppressedBy == 0 || !strings.Contains(p.Note, fmt.Sprintf("suppressed by decision %d", p.SuppressedBy)) {
				t.Errorf("PAY-2 namesake: %+v", p)
			}
			suppressed++
		case p.Reference == "PAY-3" && p.Role == "ordering_customer":
			if p.Outcome != "opened" || p.Alert <= creditorAlert {
				t.Errorf("PAY-3 namesake from another country: %+v", p)
			}
			realerted++
		case p.Reference == "PAY-3" && p.Role == "beneficiary_customer" && p.Alert == creditorAlert:
			if p.Outcome != "existing" {
				t.Errorf("PAY-3 listed creditor: %+v", p)
			}
			existing++
		case p.Reference == "PAY-2":
			t.Errorf("PAY-2: only the namesake matched, got %+v", p)
		}
	}
	if suppressed != len(namesake) || realerted == 0 || existing != 1 || r2.Alerts.Report.Suppressed != suppressed {
		t.Fatalf("second run: %d suppressed (want %d), %d alerted again, %d existing: %s", suppressed, len(namesake), realerted, existing, out)
	}
	if out, _, _ := lex(t, dir, "audit", "verify", "--json"); !strings.Contains(out, `"ok": true`) {
		t.Fatalf("audit chain: %s", out)
	}
}
