package payments

import (
	"fmt"
	"io"
	"math/rand/v2"
)

// Name and bank pools of generated payments: common names of many
// countries, so that the matcher meets the candidates real payments
// bring; none is a listed name on its own.
var (
	genGiven = []string{"James", "Maria", "Mohammed", "Anna", "Wei", "Olga", "Ahmed", "Sofia", "Ivan", "Fatima",
		"John", "Elena", "Ali", "Laura", "Hassan", "Chen", "Peter", "Aisha", "Sergei", "Julia", "Omar", "Lucia",
		"David", "Natalia", "Yusuf", "Emma", "Dmitri", "Leila", "Carlos", "Hana", "Pierre", "Zainab", "Thomas",
		"Irina", "Karim", "Ingrid", "Jorge", "Mei", "Lars", "Amina"}
	genFamily = []string{"Smith", "Garcia", "Muller", "Rossi", "Dubois", "Ivanova", "Kowalski", "Nielsen", "Santos",
		"Yilmaz", "Haddad", "Nakamura", "Kim", "Singh", "Okafor", "Novak", "Jansen", "Petrov", "Lopez", "Fischer",
		"Moreau", "Andersson", "Costa", "Horvat", "Popescu", "Papadopoulos", "Mensah", "Tanaka", "Schmidt", "Bianchi",
		"Rahman", "Kuznetsov", "Silva", "Weber", "Hoffmann", "Martin", "Bernard", "Ozturk", "Nowak", "Lindqvist"}
	genFirms = []string{"Trading", "Logistics", "Textiles", "Engineering", "Foods", "Consulting", "Marine", "Agro",
		"Pharma", "Software", "Metals", "Furniture", "Energy", "Holdings", "Imports"}
	genForms = []string{"GmbH", "Ltd", "SARL", "BV", "SpA", "AS", "LLC", "SA", "AB", "Pte Ltd"}
	genBICs  = []string{"COBADEFF", "DEUTDEFF", "BNPAFRPP", "SOGEFRPP", "INGBNL2A", "RABONL2U", "ABNANL2A", "BARCGB22",
		"HSBCGB2L", "NWBKGB2L", "UBSWCHZH", "CRESCHZZ", "UNCRITMM", "BCITITMM", "BBVAESMM", "CAIXESBB", "DNBANOKK",
		"NDEAFIHH", "ESSESESS", "DABADKKK", "CITIUS33", "CHASUS33", "BOFAUS3N", "HSBCHKHH", "DBSSSGSG", "MSHQSGSG",
		"BKCHCNBJ", "MHCBJPJT", "ANZBAU3M", "RZBAATWW"}
	genCountries = []string{"DE", "FR", "NL", "GB", "CH", "IT", "ES", "NO", "FI", "SE", "DK", "US", "HK", "SG", "CN", "JP", "AU", "AT"}
	genTexts     = []string{"Invoice %d spare parts", "Salary %d", "Consulting services contract %d", "PO %d textile machinery",
		"Rent office %d", "Refund order %d", "Freight charges shipment %d", "Dividend payment %d"}
)

// GeneratePacs008 writes n generated pacs.008 payments, one transaction
// per document, in a document list: realistic parties (common names of
// many countries, firms, 30 banks) and remittance text, seeded so that a
// run is repeatable.
func GeneratePacs008(w io.Writer, n int, seed uint64) error {
	rnd := rand.New(rand.NewPCG(seed, 2025))
	pick := func(s []string) string { return s[rnd.IntN(len(s))] }
	person := func() string { return pick(genGiven) + " " + pick(genFamily) + "-" + pick(genFamily) }
	firm := func() string { return pick(genFamily) + " " + pick(genFirms) + " " + pick(genForms) }
	if _, err := io.WriteString(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DocumentList>\n"); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		debtor, creditor := firm(), person()
		if rnd.IntN(2) == 0 {
			debtor, creditor = person(), firm()
		}
		_, err := fmt.Fprintf(w, `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf>
<GrpHdr><MsgId>GEN-%d</MsgId><CreDtTm>2025-06-02T08:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>
<InstgAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></InstgAgt><InstdAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></InstdAgt></GrpHdr>
<CdtTrfTxInf><PmtId><EndToEndId>E2E-%d</EndToEndId><UETR>%08x-0000-4000-8000-%012x</UETR></PmtId>
<IntrBkSttlmAmt Ccy="EUR">%d.%02d</IntrBkSttlmAmt><IntrBkSttlmDt>2025-06-02</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr>
<DbtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></DbtrAgt>
<Dbtr><Nm>%s</Nm><PstlAdr><TwnNm>Town</TwnNm><Ctry>%s</Ctry></PstlAdr></Dbtr><DbtrAcct><Id><IBAN>DE89370400440532%06d</IBAN></Id></DbtrAcct>
<CdtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></CdtrAgt>
<Cdtr><Nm>%s</Nm><PstlAdr><TwnNm>City</TwnNm><Ctry>%s</Ctry></PstlAdr></Cdtr><CdtrAcct><Id><IBAN>FR76300060000112345%08d</IBAN></Id></CdtrAcct>
<RmtInf><Ustrd>%s</Ustrd></RmtInf></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>
`, i, pick(genBICs), pick(genBICs), i, i, i, rnd.IntN(100000), rnd.IntN(100), pick(genBICs), debtor, pick(genCountries), i%1000000,
			pick(genBICs), creditor, pick(genCountries), i, fmt.Sprintf(pick(genTexts), rnd.IntN(100000)))
		if err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, "</DocumentList>\n")
	return err
}
