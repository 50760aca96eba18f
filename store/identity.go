package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ligne-app/ligne/selfcare"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqliteMagic starts every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// checkHeader refuses a file that exists but is not SQLite, after keeping a
// copy of it beside the original.
func checkHeader(path string) error {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer f.Close()
	head := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, head)
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil // an empty file: SQLite initializes it
	}
	if err != nil || !bytes.Equal(head, sqliteMagic) {
		return foreign(path)
	}
	return nil
}

// foreign copies the unreadable file aside and returns the domain error.
func foreign(path string) error {
	backup, err := backupOnce(path)
	if err != nil {
		return fmt.Errorf("open store: back up %s: %w", path, err)
	}
	return selfcare.Errorf(selfcare.CodeDatabaseForeign, "", filepath.Base(path), filepath.Base(backup))
}

// backupOnce copies path aside, unless a copy with the same content is
// already there (the same damaged file met again), and returns the
// copy's name. Two copies made in the same second get distinct names.
func backupOnce(path string) (string, error) {
	if same := identicalBackup(path); same != "" {
		return same, nil
	}
	base := fmt.Sprintf("%s.unreadable-%s", path, time.Now().Format("20060102-150405"))
	name := base
	for i := 2; ; i++ {
		err := copyFile(path, name)
		if !errors.Is(err, os.ErrExist) {
			return name, err
		}
		name = fmt.Sprintf("%s-%d", base, i)
	}
}

// identicalBackup returns an earlier copy of path with the same content.
func identicalBackup(path string) string {
	cur, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	copies, _ := filepath.Glob(path + ".unreadable-*")
	for _, c := range copies {
		if b, err := os.ReadFile(c); err == nil && bytes.Equal(b, cur) {
			return c
		}
	}
	return ""
}

// checkIdentity opens an existing non-empty file read-only, without any
// pragma that could change it, and verifies that it is an intact Ligne
// database (application id and quick_check).
func checkIdentity(ctx context.Context, path string) error {
	if st, err := os.Stat(path); err != nil || st.Size() == 0 {
		return nil
	}
	ro, err := sql.Open("sqlite", "file:"+filepath.ToSlash(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open store: %w", err)
	}
	defer ro.Close()
	var id int64
	var tables int
	var ok string
	err = ro.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id)
	if err == nil {
		err = ro.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type='table'").Scan(&tables)
	}
	if err == nil && id == 0 && tables == 0 {
		return nil // created but never initialized
	}
	if err == nil && id == applicationID {
		err = ro.QueryRowContext(ctx, "PRAGMA quick_check").Scan(&ok)
	}
	if busy(err) {
		return fmt.Errorf("open store: %s is in use by another program: %w", filepath.Base(path), err)
	}
	if err != nil || id != applicationID || ok != "ok" {
		ro.Close()
		return foreign(path)
	}
	return nil
}

// busy reports a lock held by another connection (another Ligne process
// writing or closing): the file is fine, only not available yet.
func busy(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3.SQLITE_BUSY || code == sqlite3.SQLITE_LOCKED
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
