package payments

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// partyOf returns the first party of a role, or nil.
func partyOf(m *Message, role string) *Party {
	for i := range m.Parties {
		if m.Parties[i].Role == role {
			return &m.Parties[i]
		}
	}
	return nil
}

// TestParseFixtures checks, for every format and the fields each one
// carries, what the readers make of the fixtures.
func TestParseFixtures(t *testing.T) {
	type want struct {
		seq                           int
		typ, ref, related, uetr, date string
		dateField, ccy, amount        string
		parties                       map[string]Party // role -> name, bic, country, account checked when set
		texts                         map[string]string
		nParties                      int
	}
	cases := []struct {
		file string
		n    int
		want []want
	}{
		{"pacs008.xml", 2, []want{
			{seq: 1, typ: "pacs.008", ref: "COBA20250301-0001/E2E-INV-4471", related: "TX-0001", uetr: "8a562c67-ca16-48ba-b074-65581be6f011",
				date: "2025-03-03", dateField: "IntrBkSttlmDt", ccy: "EUR", amount: "12500.00", nParties: 8,
				parties: map[string]Party{
					"sender":            {BIC: "COBADEFF"},
					"receiver":          {BIC: "BNPAFRPP"},
					"instructing_agent": {BIC: "COBADEFF"},
					"debtor":            {Name: "Muller Maschinenbau GmbH", Country: "DE", LEI: "529900T8BM49AURSDO55", Account: "DE89370400440532013000"},
					"creditor":          {Name: "Atelier Lefevre SARL", Country: "FR", Account: "FR7630006000011234567890189"},
					"creditor_agent":    {BIC: "BNPAFRPP"},
				},
				texts: map[string]string{"CdtTrfTxInf/RmtInf/Ustrd": "Invoice 2025-0113 spare parts"}},
			{seq: 2, typ: "pacs.008", ref: "COBA20250301-0001/E2E-SAL-0042", date: "2025-03-04", ccy: "EUR", amount: "3100.50", nParties: 11,
				parties: map[string]Party{
					"ultimate_debtor":      {Name: "Muller Holding AG", Country: "CH"},
					"intermediary_agent_1": {Name: "Societe Generale", BIC: "SOGEFRPP"},
					"creditor_agent":       {Name: "Banque Populaire Rives de Paris", Country: "FR"},
					"creditor":             {Name: "Claire Dubois", Country: "FR", BirthDate: "1984-06-02"},
					"ultimate_creditor":    {Name: "Dubois Family Trust"},
				},
				texts: map[string]string{"CdtTrfTxInf/RmtInf/Ustrd": "Salary March 2025 employee 0042"}},
		}},
		{"pacs009.xml", 1, []want{{seq: 1, typ: "pacs.009", ref: "INGB-FI-5521/FI-5521", date: "2025-04-02", ccy: "EUR", amount: "5000000.00", nParties: 4,
			parties: map[string]Party{"debtor": {Name: "ING Bank N.V.", BIC: "INGBNL2A"}, "creditor": {BIC: "RABONL2U"}},
			texts:   map[string]string{"CdtTrfTxInf/InstrForNxtAgt/InstrInf": "Money market placement overnight"}}}},
		{"pacs009cov.xml", 1, []want{{seq: 1, typ: "pacs.009COV", related: "MT103-REF-9981", uetr: "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", date: "2025-03-10", ccy: "USD", nParties: 11,
			parties: map[string]Party{
				"debtor":                    {BIC: "DEUTDEFF"},
				"creditor":                  {BIC: "HSBCHKHH"},
				"underlying_debtor":         {Name: "Nordlicht Handels KG", Country: "DE", Underlying: true},
				"underlying_creditor":       {Name: "Pearl River Trading Limited", Country: "HK", Underlying: true},
				"underlying_debtor_agent":   {BIC: "HASPDEHH", Underlying: true},
				"underlying_creditor_agent": {BIC: "HSBCHKHH", Underlying: true},
			},
			texts: map[string]string{"CdtTrfTxInf/UndrlygCstmrCdtTrf/RmtInf/Ustrd": "PO 88123 textile machinery"}}}},
		{"pain001.xml", 2, []want{
			{seq: 1, typ: "pain.001", ref: "PAYRUN-2025-05-15/SUP-3321", date: "2025-05-15", dateField: "ReqdExctnDt/Dt", ccy: "EUR", amount: "18400.00", nParties: 5,
				parties: map[string]Party{"initiating_party": {Name: "Fjord Shipping AS"}, "debtor": {Name: "Fjord Shipping AS", Country: "NO", Account: "NO9386011117947"},
					"debtor_agent": {BIC: "DNBANOKK"}, "creditor": {Name: "Van Dijk Marine Supplies BV", Country: "NL", Account: "NL91ABNA0417164300"}}},
			{seq: 2, typ: "pain.001", ref: "PAYRUN-2025-05-15/SUP-3322", ccy: "USD", nParties: 6,
				parties: map[string]Party{"ultimate_creditor": {Name: "Lim Wei Ming", Country: "MY"}, "creditor_agent": {BIC: "MSHQSGSG"}},
				texts:   map[string]string{"PmtInf/CdtTrfTxInf/RmtInf/Ustrd": "Bunker delivery MV Nordkapp April"}},
		}},
		{"camt.xml", 2, []want{
			{seq: 1, typ: "camt.056", ref: "CXL-2025-0311/E2E-INV-4471", related: "COBA20250301-0001", date: "2025-03-03", dateField: "OrgnlIntrBkSttlmDt", nParties: 5,
				parties: map[string]Party{"assigner": {BIC: "COBADEFF"}, "assignee": {BIC: "BNPAFRPP"}, "originator": {Name: "Muller Maschinenbau GmbH"},
					"creditor": {Name: "Atelier Lefevre SARL", Country: "FR"}},
				texts: map[string]string{"Undrlyg/TxInf/CxlRsnInf/AddtlInf": "Duplicate of invoice payment"}},
			{seq: 2, typ: "camt.029", related: "COBA20250301-0001", date: "2025-03-03", nParties: 3,
				parties: map[string]Party{"assigner": {BIC: "BNPAFRPP"}, "creditor": {Name: "Atelier Lefevre SARL"}}},
		}},
		{"mt103.txt", 1, []want{{seq: 1, typ: "MT103", ref: "PAY7781", uetr: "e3b0c442-98fc-4c14-9afb-f4c8996fb924", date: "2025-03-12", dateField: "32A", ccy: "GBP", amount: "15000,00", nParties: 6,
			parties: map[string]Party{"sender": {BIC: "BARCGB22"}, "receiver": {BIC: "DEUTDEFF"},
				"ordering_customer":        {Name: "HARGREAVES AND SONS LTD", Country: "GB", Account: "GB29NWBK60161331926819", Field: "50K"},
				"ordering_institution":     {BIC: "BARCGB22", Field: "52A"},
				"beneficiary_customer":     {Name: "KLAUS WEBER", Country: "DE", Account: "DE44500105175407324931", Field: "59"},
				"account_with_institution": {BIC: "DEUTDEFF", Field: "57A"}},
			texts: map[string]string{"70": "2025-311 CONSULTING Q1"}}}},
		{"mt103_50f.txt", 1, []want{{seq: 1, typ: "MT103", ref: "FR-88231", date: "2025-04-01", ccy: "EUR", nParties: 7,
			parties: map[string]Party{
				"ordering_customer":        {Name: "LEFEVRE JEAN-PIERRE", Country: "FR", BirthDate: "1971-02-14", Account: "FR7630006000011234567890189", Field: "50F"},
				"ordering_institution":     {Name: "BANQUE DE DEPOT LOCALE", Field: "52D"},
				"intermediary":             {BIC: "SOGEFRPP", Field: "56A"},
				"account_with_institution": {Name: "LANDESBANK BADEN", Account: "DE70050000", Field: "57D"},
				"beneficiary_customer":     {Name: "HOFMANN ELEKTRO GMBH", Country: "DE", Field: "59F"}},
			texts: map[string]string{"70": "RECHNUNG 4471", "72": "SOGEFRPP ROUTING VIA PARIS"}}}},
		{"mt103_50a.txt", 1, []want{{seq: 1, typ: "MT103", ref: "UBS-0415-9", date: "2025-04-15", ccy: "USD", nParties: 6,
			parties: map[string]Party{"sender": {BIC: "CITIUS33"}, "receiver": {BIC: "UBSWCHZH"},
				"ordering_customer":     {BIC: "UBSWCHZH80A", Account: "CH9300762011623852957", Field: "50A"},
				"senders_correspondent": {BIC: "CITIUS33", Field: "53A"},
				"beneficiary_customer":  {BIC: "HSBCHKHH", Account: "HK12345678", Field: "59A"}},
			texts: map[string]string{"72": "CREDIT ACCOUNT 99"}}}},
		{"mt202.txt", 1, []want{{seq: 1, typ: "MT202", ref: "FI-TRF-2231", related: "LOAN-REPAY-88", date: "2025-05-02", ccy: "USD", amount: "1000000,00", nParties: 6,
			parties: map[string]Party{"senders_correspondent": {BIC: "DEUTUS33"}, "beneficiary_institution": {Name: "BANCO INTERNACIONAL DEL SUR", Country: "UY", Field: "58D"}},
			texts:   map[string]string{"72": "LOAN REPAYMENT TRANCHE 2"}}}},
		{"mt202cov.txt", 1, []want{{seq: 1, typ: "MT202COV", ref: "COV-9981", related: "MT103-REF-9981", date: "2025-03-10", nParties: 9,
			parties: map[string]Party{"beneficiary_institution": {BIC: "HSBCHKHH", Field: "58A"},
				"underlying_ordering_customer":    {Name: "NORDLICHT HANDELS KG", Country: "DE", Underlying: true, Field: "B/50K"},
				"underlying_beneficiary_customer": {Name: "PEARL RIVER TRADING LIMITED", Country: "HK", Underlying: true, Field: "B/59"},
				"underlying_ordering_institution": {BIC: "HASPDEHH", Underlying: true}},
			texts: map[string]string{"B/70": "PO 88123 TEXTILE MACHINERY"}}}},
	}
	for _, tc := range cases {
		ms := readAll(t, tc.file)
		if len(ms) != tc.n {
			t.Errorf("%s: %d payments, want %d", tc.file, len(ms), tc.n)
			continue
		}
		for i, w := range tc.want {
			m := ms[i]
			check := func(field, got, want string) {
				if want != "" && got != want {
					t.Errorf("%s #%d %s = %q, want %q", tc.file, i+1, field, got, want)
				}
			}
			check("type", m.Type, w.typ)
			check("reference", m.Reference, w.ref)
			check("related", m.Related, w.related)
			check("uetr", m.UETR, w.uetr)
			check("value date", m.ValueDate, w.date)
			check("date field", m.DateField, w.dateField)
			check("currency", m.Currency, w.ccy)
			check("amount", m.Amount, w.amount)
			if m.Seq != w.seq {
				t.Errorf("%s #%d seq %d", tc.file, i+1, m.Seq)
			}
			if len(m.Parties) != w.nParties {
				t.Errorf("%s #%d: %d parties, want %d: %+v", tc.file, i+1, len(m.Parties), w.nParties, m.Parties)
			}
			for role, wp := range w.parties {
				p := partyOf(m, role)
				if p == nil {
					t.Errorf("%s #%d: no %s", tc.file, i+1, role)
					continue
				}
				check(role+" name", p.Name, wp.Name)
				check(role+" bic", p.BIC, wp.BIC)
				check(role+" country", p.Country, wp.Country)
				check(role+" account", p.Account, wp.Account)
				check(role+" lei", p.LEI, wp.LEI)
				check(role+" birth date", p.BirthDate, wp.BirthDate)
				check(role+" field", p.Field, wp.Field)
				if p.Underlying != wp.Underlying {
					t.Errorf("%s #%d %s underlying = %v", tc.file, i+1, role, p.Underlying)
				}
				if p.Line <= 0 {
					t.Errorf("%s #%d %s has no line", tc.file, i+1, role)
				}
			}
			for field, text := range w.texts {
				found := false
				for _, tx := range m.Texts {
					if tx.Field == field {
						found = true
						check("text "+field, tx.Text, text)
					}
				}
				if !found {
					t.Errorf("%s #%d: no free text %s in %+v", tc.file, i+1, field, m.Texts)
				}
			}
		}
	}
}

// TestReadManyMT reads MT messages one after another, with the separators
// of RJE files between them, and goes on past a bad one.
func TestReadManyMT(t *testing.T) {
	good := func(ref string) string {
		return "{1:F01BARCGB22AXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\r\n:20:" + ref + "\r\n:23B:CRED\r\n:32A:250312GBP15000,00\r\n:50K:JOHN SMITH\r\n:59:/DE44500105175407324931\r\nKLAUS WEBER\r\n-}"
	}
	in := good("A1") + "$\n" + good("A2") + "\x03\x01" +
		"{1:F01BARCGB22AXXX0000000000}{2:I103DEUTDEFFXXXXN}{4:\r\n:20:BAD\r\n:32A:2503EUR\r\n-}\n" +
		"{1:F01BARCGB22AXXX0000000000}{2:I940DEUTDEFFXXXXN}{4:\r\n:20:STMT\r\n-}\n" + good("A3")
	ms, errs := readString("batch.fin", in)
	if len(ms) != 3 || ms[0].Reference != "A1" || ms[2].Reference != "A3" || ms[2].Seq != 3 {
		t.Fatalf("read %d payments: %+v", len(ms), ms)
	}
	if len(errs) != 2 {
		t.Fatalf("errors %v, want 2", errs)
	}
	var pe *ParseError
	if !errors.As(errs[0], &pe) || pe.Doc != 3 || pe.Element != "32A" || pe.Line != 18 || pe.Fatal {
		t.Errorf("bad 32A: %#v", errs[0])
	}
	if !errors.As(errs[1], &pe) || pe.Doc != 4 || !strings.Contains(pe.Message, "MT940") {
		t.Errorf("MT940: %#v", errs[1])
	}
}

// TestReadISOErrors: a document of another type is skipped and counted,
// the next one read; broken XML, a DTD and a cut file are fatal, located.
func TestReadISOErrors(t *testing.T) {
	doc := func(ref string) string {
		return `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>` + ref +
			`</MsgId></GrpHdr><CdtTrfTxInf><PmtId><EndToEndId>E1</EndToEndId></PmtId><IntrBkSttlmDt>2025-01-02</IntrBkSttlmDt><Cdtr><Nm>Anna Berg</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>` + "\n"
	}
	stmt := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>S</MsgId></GrpHdr></BkToCstmrStmt></Document>` + "\n"
	ms, errs := readString("x.xml", `<?xml version="1.0"?>`+"\n"+doc("D1")+stmt+`<?xml version="1.0"?>`+"\n"+doc("D3"))
	if len(ms) != 2 || ms[1].Reference != "D3/E1" || ms[1].Doc != 3 || len(errs) != 1 {
		t.Fatalf("got %d payments %v, errors %v", len(ms), ms, errs)
	}
	if pe := errs[0].(*ParseError); pe.Doc != 2 || pe.Line != 3 || pe.Element != "BkToCstmrStmt" || pe.Fatal {
		t.Errorf("camt.053: %#v", pe)
	}
	for _, tc := range []struct{ name, in, want string }{
		{"broken", doc("D1") + `<Document><FIToFICstmrCdtTrf><GrpHdr></FIToFICstmrCdtTrf>`, "malformed"},
		{"dtd", `<!DOCTYPE lolz [<!ENTITY lol "lol">]>` + doc("D1"), "DTD"},
		{"cut", doc("D1")[:200], "ends inside"},
		{"empty", "   ", "no ISO 20022 document"},
	} {
		in := tc.in
		if tc.name == "empty" {
			in = "<a/>"
		}
		_, errs := readString(tc.name, in)
		if len(errs) == 0 {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		pe, ok := errs[len(errs)-1].(*ParseError)
		if !ok || !pe.Fatal || !strings.Contains(pe.Message, tc.want) {
			t.Errorf("%s: %v, want a fatal error saying %q", tc.name, errs, tc.want)
		}
	}
}

// TestReaderSniff tells XML from MT by the first bytes.
func TestReaderSniff(t *testing.T) {
	for in, want := range map[string]Syntax{"\xEF\xBB\xBF  <Document/>": SyntaxISO, "\r\n{1:F01": SyntaxMT, ":20:X": SyntaxMT} {
		if _, got := NewReader("x", strings.NewReader(in)); got != want {
			t.Errorf("%q: %s, want %s", in, got, want)
		}
	}
	r, _ := NewReader("x", strings.NewReader(""))
	if _, err := r.Next(); err == nil || err == io.EOF {
		t.Errorf("empty input: %v, want an error", err)
	}
}
