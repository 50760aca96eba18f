package ui

import (
	"context"
	"io"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/ligne-app/ligne/internal/contactio"
	"github.com/ligne-app/ligne/selfcare"
)

// directoryWriter replaces the contacts of a directory source (the store).
type directoryWriter interface {
	ReplaceDirectory(ctx context.Context, source string, cs []selfcare.Contact) error
}

// contactImporter adds external contacts, skipping those already there.
type contactImporter interface {
	ImportContacts(ctx context.Context, cs []selfcare.Contact) ([]selfcare.Contact, []int, error)
}

// sourcesBar is the row of file and directory actions under the list.
func (v *contactsView) sourcesBar() fyne.CanvasObject {
	u := v.u
	imp := widget.NewButtonWithIcon(u.T("contacts.import"), theme.FolderOpenIcon(), v.pickImport)
	exp := widget.NewButtonWithIcon(u.T("contacts.export"), theme.DocumentSaveIcon(), v.pickExport)
	ldap := widget.NewButtonWithIcon(u.T("contacts.ldap"), theme.StorageIcon(), func() { u.showLDAPSettings(v.reload) })
	return container.NewHBox(imp, exp, ldap)
}

// pickImport asks for a vCard or CSV file.
func (v *contactsView) pickImport() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		v.readImport(r)
	}, v.u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".vcf", ".vcard", ".csv"}))
	d.Show()
}

// readImport reads a contacts file off the UI goroutine, then shows what
// it holds and where to put it.
func (v *contactsView) readImport(r io.ReadCloser) {
	load(v.u, func() (contactio.Report, error) {
		defer r.Close()
		return contactio.Read(r)
	}, v.showImport, v.u.showDialogError)
}

// importDialog is the report of a file read and the choice of target.
type importDialog struct {
	v      *contactsView
	rep    contactio.Report
	target *widget.RadioGroup
	result *widget.Label
	err    *widget.Label
	dlg    dialog.Dialog
}

// showImport shows the entries read, every entry refused or cut with its
// line and reason, and imports into the external contacts or the company
// directory.
func (v *contactsView) showImport(rep contactio.Report) {
	u := v.u
	d := &importDialog{v: v, rep: rep, result: wrapped(""), err: errorLabel()}
	d.result.Hide()
	external, directory := u.T("contacts.import.target.external"), u.T("contacts.import.target.directory")
	d.target = widget.NewRadioGroup([]string{external, directory}, nil)
	d.target.SetSelected(external)
	summary := bold(u.T("contacts.import.summary", len(rep.Entries), rep.Refused()))
	problems := container.NewVBox()
	for _, p := range rep.Problems {
		problems.Add(d.problemLabel(p))
	}
	run := widget.NewButtonWithIcon(u.T("contacts.import.run"), theme.ConfirmIcon(), d.run)
	run.Importance = widget.HighImportance
	if len(rep.Entries) == 0 {
		run.Disable()
	}
	closeB := widget.NewButton(u.T("contacts.close"), func() { d.dlg.Hide() })
	body := container.NewBorder(container.NewVBox(summary, d.target), container.NewVBox(d.result, d.err,
		container.NewGridWithColumns(2, closeB, run)), nil, nil, container.NewVScroll(problems))
	d.dlg = dialog.NewCustomWithoutButtons(u.T("contacts.import.title"), body, u.win)
	d.dlg.Resize(fyne.NewSize(640, 480))
	d.dlg.Show()
}

// problemLabel is one line of the report: where, who, what.
func (d *importDialog) problemLabel(p contactio.Problem) fyne.CanvasObject {
	u := d.v.u
	key := "contacts.import.problem.part"
	if p.Refused {
		key = "contacts.import.problem.refused"
	}
	name := p.Name
	if name == "" {
		name = u.T("contacts.import.noname")
	}
	l := wrapped(u.T(key, p.Line, name, u.errText(p.Err)))
	if p.Refused {
		l.Importance = widget.DangerImportance
	}
	return l
}

// run imports the entries into the chosen target.
func (d *importDialog) run() {
	u := d.v.u
	toDirectory := d.target.Selected == u.T("contacts.import.target.directory")
	cs := d.rep.Contacts()
	load(u, func() (string, error) {
		if toDirectory {
			return d.intoDirectory(cs)
		}
		return d.intoExternal(cs)
	}, func(msg string) {
		d.result.SetText(msg)
		d.result.Show()
		u.showError(d.err, nil)
		d.v.reload()
	}, func(err error) { u.showError(d.err, err) })
}

// intoExternal adds the entries to the user's contacts.
func (d *importDialog) intoExternal(cs []selfcare.Contact) (string, error) {
	imp, ok := d.v.u.deps.Services.(contactImporter)
	if !ok {
		return "", selfcare.Errorf(selfcare.CodeInternal, "")
	}
	added, dups, err := imp.ImportContacts(d.v.u.ctx, cs)
	if err != nil {
		return "", err
	}
	return d.v.u.T("contacts.import.done.external", len(added), len(dups)), nil
}

// intoDirectory makes the entries the imported part of the company
// directory, replacing the previous import.
func (d *importDialog) intoDirectory(cs []selfcare.Contact) (string, error) {
	w, ok := d.v.u.deps.Services.(directoryWriter)
	if !ok {
		return "", selfcare.Errorf(selfcare.CodeInternal, "")
	}
	if len(cs) == 0 {
		return "", selfcare.Errorf(selfcare.CodeImportNothing, "")
	}
	dir := contactio.AsDirectory(cs)
	if err := w.ReplaceDirectory(d.v.u.ctx, contactio.DirectorySource, dir); err != nil {
		return "", err
	}
	return d.v.u.T("contacts.import.done.directory", len(dir)), nil
}

// pickExport asks for the vCard version, then where to save.
func (v *contactsView) pickExport() {
	u := v.u
	version := widget.NewRadioGroup([]string{contactio.VCard3, contactio.VCard4}, nil)
	version.SetSelected(contactio.VCard3)
	body := container.NewVBox(wrapped(u.T("contacts.export.intro")), version)
	dialog.ShowCustomConfirm(u.T("contacts.export"), u.T("contacts.export.choose"), u.T("contacts.cancel"), body, func(ok bool) {
		if ok {
			v.saveExport(version.Selected)
		}
	}, u.win)
}

// saveExport writes the external contacts to a file the user picks.
func (v *contactsView) saveExport(version string) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		load(v.u, func() (int, error) {
			defer w.Close()
			return v.u.exportContacts(w, version)
		}, func(n int) { v.count.SetText(v.u.Tn("contacts.export.done", n)) }, v.u.showDialogError)
	}, v.u.win)
	d.SetFileName("contacts.vcf")
	d.Show()
}

// exportContacts writes every external contact as vCard of version.
func (u *App) exportContacts(w io.Writer, version string) (int, error) {
	cs, err := u.deps.Services.Contacts(u.ctx, selfcare.ContactQuery{Kind: selfcare.ContactExternal, Limit: 1 << 20})
	if err != nil {
		return 0, err
	}
	return len(cs), contactio.WriteVCard(w, cs, version)
}

// contactsOnScreen returns the Contacts screen's view when it is shown.
func (u *App) contactsOnScreen() *contactsView {
	if u.shell == nil || u.shell.current != SectionContacts || len(u.shell.content.Objects) != 1 {
		return nil
	}
	if s, ok := u.shell.content.Objects[0].(*contactsScreen); ok {
		return s.v
	}
	return nil
}

// contactsScreen is the Contacts screen as a widget, so that the window
// can find its view.
type contactsScreen struct {
	widget.BaseWidget
	v       *contactsView
	content fyne.CanvasObject
}

func newContactsScreen(v *contactsView, content fyne.CanvasObject) *contactsScreen {
	s := &contactsScreen{v: v, content: content}
	s.ExtendBaseWidget(s)
	return s
}

// CreateRenderer draws the screen's content.
func (s *contactsScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.content)
}
