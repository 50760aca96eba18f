package contactio

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ligne-app/ligne/selfcare"
)

// n is a typed number for expectations.
func n(t selfcare.NumberType, number string) selfcare.TypedNumber {
	return selfcare.TypedNumber{Type: t, Number: number}
}

func ext(name, company, dept, email, notes string, numbers ...selfcare.TypedNumber) selfcare.Contact {
	return selfcare.Contact{Kind: selfcare.ContactExternal, Name: name, Company: company, Department: dept,
		Email: email, Notes: notes, Numbers: numbers}
}

const (
	work   = selfcare.NumberWork
	mobile = selfcare.NumberMobile
	home   = selfcare.NumberHome
	other  = selfcare.NumberOther
)

// exports are the sample exports of testdata, written from the formats
// the three programs document, and the contacts each must give.
var exports = map[string][]selfcare.Contact{
	"thunderbird.vcf": {
		ext("Lucie Arnaud", "Arnaud Expertise", "Audit", "lucie.arnaud@arnaud-expertise.fr",
			"Expert-comptable, cabinet Arnaud.\nRappeler avant 18 h; merci. Dossier de clôture : bilan, liasse fiscale et déclaration de TVA à transmettre avant le 15.",
			n(work, "+33472334456"), n(mobile, "+33611002233")),
		ext("Hôtel des Célestins", "", "", "", "", n(work, "+33478372828")),
		ext("Mme Jeanne Marie Vidal", "", "", "", "", n(home, "+41223456789")),
	},
	"google.vcf": {
		ext("Maxime Royer", "Royer Architectes", "", "m.royer@royer-architectes.fr", "Chantier de Villeurbanne, lot 3",
			n(mobile, "+33675849302"), n(work, "+33478123456"), n(work, "+33478123457")),
		ext("Clinique Saint-Joseph", "", "", "accueil@clinique-st-joseph.example", "", n(work, "+33478616161")),
	},
	"outlook.vcf": {
		ext("Grégoire Pellet", "Pellet SARL", "Menuiserie", "gregoire@pellet-sarl.fr", "Menuiserie sur mesure.\nDevis envoyé le 3 mars, acompte reçu.",
			n(work, "+33474205566"), n(mobile, "+33680112233")),
	},
	"outlook-ansi.vcf": {
		ext("Éric Bérard", "Transports Bérard", "", "", "Livraisons le mardi à 7 h.", n(mobile, "+33698765432")),
	},
	"google.csv": {
		ext("Maxime Royer", "Royer Architectes", "", "m.royer@royer-architectes.fr", "Chantier de Villeurbanne, lot 3",
			n(mobile, "+33675849302"), n(work, "+33478123456"), n(work, "+33478123457")),
		ext("Lucie Arnaud", "Arnaud Expertise", "Audit", "lucie.arnaud@arnaud-expertise.fr", "Expert-comptable\nRappeler avant 18 h",
			n(work, "+33472334456"), n(mobile, "+33611002233")),
	},
	"outlook.csv": {
		ext("Grégoire Pellet", "Pellet SARL", "Menuiserie", "gregoire@pellet-sarl.fr", "Menuiserie sur mesure.",
			n(work, "+33474205566"), n(mobile, "+33680112233")),
		ext("Banque Rhône-Alpes", "Banque Rhône-Alpes", "", "", "", n(work, "+33472101010")),
	},
	"outlook-fr.csv": {
		ext("Éric Bérard", "Transports Bérard", "Logistique", "eric@transports-berard.fr", "Livraisons le mardi",
			n(work, "+33478601020"), n(mobile, "+33698765432")),
		ext("Isolation Savoie", "Isolation Savoie", "", "", "", n(work, "+33479626262")),
	},
	"thunderbird.csv": {
		ext("Lucie Arnaud", "Arnaud Expertise", "Audit", "lucie.arnaud@arnaud-expertise.fr", "Expert-comptable",
			n(work, "+33472334456"), n(mobile, "+33611002233")),
	},
}

func readFile(t *testing.T, name string) Report {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := Read(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rep
}

func TestReadsTheExportsOfThunderbirdGoogleAndOutlook(t *testing.T) {
	for name, want := range exports {
		t.Run(name, func(t *testing.T) {
			rep := readFile(t, name)
			if got := rep.Contacts(); !reflect.DeepEqual(got, want) {
				t.Errorf("contacts:\n got %#v\nwant %#v", got, want)
			}
			if rep.Refused() != 0 {
				t.Errorf("refused entries: %+v", rep.Problems)
			}
			wantFormat := FormatCSV
			if strings.HasSuffix(name, ".vcf") {
				wantFormat = FormatVCard
			}
			if rep.Format != wantFormat {
				t.Errorf("format %s", rep.Format)
			}
		})
	}
}

// TestRoundTripsThroughVCard3And4 writes each sample's contacts as vCard
// 3.0 and 4.0 and reads them back unchanged.
func TestRoundTripsThroughVCard3And4(t *testing.T) {
	for name, want := range exports {
		for _, version := range []string{VCard3, VCard4} {
			var buf bytes.Buffer
			if err := WriteVCard(&buf, want, version); err != nil {
				t.Fatal(err)
			}
			rep, err := Read(&buf)
			if err != nil {
				t.Fatalf("%s as %s: %v", name, version, err)
			}
			if got := rep.Contacts(); !reflect.DeepEqual(got, want) || len(rep.Problems) != 0 {
				t.Errorf("%s as %s:\n got %#v\nwant %#v\nproblems %+v", name, version, got, want, rep.Problems)
			}
		}
	}
}

func TestWrittenVCardsFollowTheirVersion(t *testing.T) {
	c := ext("Lucie Arnaud", "Arnaud Expertise", "Audit", "lucie@arnaud-expertise.fr",
		strings.Repeat("Dossier de clôture ; bilan, liasse. ", 6), n(mobile, "+33611002233"), n(work, "+33472334456"))
	for version, wantLines := range map[string][]string{
		VCard3: {"VERSION:3.0", "TEL;TYPE=CELL:+33611002233", "TEL;TYPE=WORK:+33472334456", "EMAIL;TYPE=INTERNET:lucie@arnaud-expertise.fr",
			"N:Arnaud;Lucie;;;", "FN:Lucie Arnaud", "ORG:Arnaud Expertise;Audit"},
		VCard4: {"VERSION:4.0", "TEL;TYPE=cell;VALUE=uri:tel:+33611002233", "KIND:individual", "EMAIL:lucie@arnaud-expertise.fr"},
	} {
		var buf bytes.Buffer
		if err := WriteVCard(&buf, []selfcare.Contact{c}, version); err != nil {
			t.Fatal(err)
		}
		text := buf.String()
		if !strings.HasPrefix(text, "BEGIN:VCARD\r\nVERSION:"+version+"\r\n") || !strings.HasSuffix(text, "END:VCARD\r\n") {
			t.Errorf("%s: card not framed by BEGIN, VERSION and END:\n%s", version, text)
		}
		lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
		for _, l := range lines {
			if len(l) > 75 {
				t.Errorf("%s: line of %d octets: %q", version, len(l), l)
			}
		}
		unfolded := strings.ReplaceAll(text, "\r\n ", "")
		for _, w := range wantLines {
			if !strings.Contains(unfolded, w+"\r\n") {
				t.Errorf("%s: no line %q in\n%s", version, w, unfolded)
			}
		}
	}
	if err := WriteVCard(&bytes.Buffer{}, nil, "2.1"); selfcare.ErrorCode(err) != selfcare.CodeChoiceInvalid {
		t.Fatalf("version 2.1: %v", err)
	}
}

// problem is an expected problem: line, name, refused, code.
type problem struct {
	line    int
	name    string
	refused bool
	code    selfcare.Code
}

func problemsOf(rep Report) []problem {
	var out []problem
	for _, p := range rep.Problems {
		out = append(out, problem{p.Line, p.Name, p.Refused, selfcare.ErrorCode(p.Err)})
	}
	return out
}

func TestBadEntriesAreRefusedOneByOneWithTheirReason(t *testing.T) {
	rep := readFile(t, "bad.vcf")
	want := []problem{
		{1, "", true, selfcare.CodeRequired},
		{5, "Sans Numéro", true, selfcare.CodeImportNoNumber},
		{10, "Numéro Abîmé", false, selfcare.CodeNumberInvalid},
		{10, "Numéro Abîmé", false, selfcare.CodeEmailInvalid},
		{17, "Que Des Lettres", false, selfcare.CodeNumberInvalid},
		{17, "Que Des Lettres", true, selfcare.CodeImportNoNumber},
		{22, "Carte Coupée", true, selfcare.CodeFileCorrupt},
		{26, "Équipe chantier", true, selfcare.CodeChoiceInvalid},
	}
	if got := problemsOf(rep); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n got %+v\nwant %+v", got, want)
	}
	wantContacts := []selfcare.Contact{
		ext("Numéro Abîmé", "", "", "", "", n(mobile, "+33612345678")),
		ext("Bonne Carte", "", "", "", "", n(work, "+33472000004")),
	}
	if got := rep.Contacts(); !reflect.DeepEqual(got, wantContacts) {
		t.Errorf("contacts read:\n got %#v\nwant %#v", got, wantContacts)
	}
	var e *selfcare.Error
	if !errors.As(rep.Problems[2].Err, &e) || !strings.Contains(e.Message(selfcare.LangFrench), "« 04 72 AB 00 02 » n'est pas un numéro valide") {
		t.Errorf("the report does not say which number: %v", rep.Problems[2].Err)
	}
}

func TestCSVRowsAreReportedByLine(t *testing.T) {
	rep := readFile(t, "annuaire.csv")
	if got := problemsOf(rep); !reflect.DeepEqual(got, []problem{{4, "Sans Téléphone", true, selfcare.CodeImportNoNumber}}) {
		t.Errorf("problems %+v", got)
	}
	if len(rep.Entries) != 2 || rep.Entries[1].Line != 3 || rep.Entries[1].Contact.Department != "Direction" ||
		!reflect.DeepEqual(rep.Entries[1].Contact.Numbers, []selfcare.TypedNumber{n(work, "+33472104002"), n(mobile, "+33671023758")}) {
		t.Errorf("entries %+v", rep.Entries)
	}
}

func TestFilesThatAreNotContactsAreRefusedWhole(t *testing.T) {
	for name, data := range map[string]string{
		"empty":        "  \n\n",
		"prose":        "Bonjour,\nvoici la liste des numéros.\n",
		"json":         `{"contacts": []}`,
		"csv of sales": "date,amount,product\n2026-03-01,12.50,câble\n",
		"pdf":          "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
		"only garbage": "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
	} {
		_, err := Read(strings.NewReader(data))
		if code := selfcare.ErrorCode(err); code != selfcare.CodeImportFormat && code != selfcare.CodeFileEmpty {
			t.Errorf("%s: %v", name, err)
		}
	}
	big := strings.NewReader(strings.Repeat("x", MaxFileSize+1))
	if _, err := Read(big); selfcare.ErrorCode(err) != selfcare.CodeImportTooLarge {
		t.Errorf("large file: %v", err)
	}
}
