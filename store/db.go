// Package store keeps Ligne's data in SQLite (modernc.org/sqlite, no cgo)
// and implements the selfcare service interfaces. One writer connection
// serializes changes; a pool of readers sees consistent snapshots through
// WAL. Audio files live beside the database; their paths are stored
// relative to the data folder.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file inside the data folder.
const FileName = "ligne.db"

// applicationID marks a SQLite file as Ligne's ("LIGN").
const applicationID = 0x4c49474e

// DB is an open Ligne database.
type DB struct {
	dir    string
	write  *sql.DB // exactly one connection: every change goes through it
	read   *sql.DB // readers, each transaction a consistent snapshot
	now    func() time.Time
	log    *slog.Logger
	closed chan struct{}
}

// Options tune Open. The zero value is fine.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
}

// Open opens (creating if needed) the database in dir, checks that the file
// is Ligne's, and brings its schema up to date. A file that is not a Ligne
// database is copied aside and reported with CodeDatabaseForeign; it is
// never reset silently.
func Open(ctx context.Context, dir string, opt Options) (*DB, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open store: create %s: %w", dir, err)
	}
	for _, sub := range []string{DirVoicemail, DirGreetings, DirRecordings, DirRingtones} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return nil, fmt.Errorf("open store: create %s: %w", sub, err)
		}
	}
	path := filepath.Join(dir, FileName)
	if err := checkHeader(path); err != nil {
		return nil, err
	}
	if err := checkIdentity(ctx, path); err != nil {
		return nil, err
	}
	db := &DB{dir: dir, now: opt.Now, log: opt.Logger, closed: make(chan struct{})}
	if db.now == nil {
		db.now = time.Now
	}
	if db.log == nil {
		db.log = slog.New(slog.DiscardHandler)
	}
	if err := db.openPools(path); err != nil {
		return nil, err
	}
	if err := db.prepare(ctx, path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openPools opens the writer and reader handles on path.
func (db *DB) openPools(path string) error {
	var err error
	if db.write, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return fmt.Errorf("open store writer: %w", err)
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetConnMaxIdleTime(0)
	if db.read, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		db.write.Close()
		return fmt.Errorf("open store readers: %w", err)
	}
	db.read.SetMaxOpenConns(4)
	return nil
}

// dsn builds the connection string: WAL, foreign keys, a busy timeout, and
// immediate write transactions so writers never deadlock on upgrade.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Set("_txlock", "immediate")
	}
	return "file:" + filepath.ToSlash(path) + "?" + q.Encode()
}

// prepare stamps a new file as Ligne's and migrates it.
func (db *DB) prepare(ctx context.Context, path string) error {
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		return fmt.Errorf("open store %s: %w", path, err)
	}
	return db.migrate(ctx)
}

// Close closes the database. It is safe to call more than once.
func (db *DB) Close() error {
	select {
	case <-db.closed:
		return nil
	default:
		close(db.closed)
	}
	return errors.Join(db.read.Close(), db.write.Close())
}

// Dir returns the data folder.
func (db *DB) Dir() string { return db.dir }

// Path returns the absolute path of a file stored relative to the data folder.
func (db *DB) Path(rel string) string { return filepath.Join(db.dir, filepath.FromSlash(rel)) }

// Sub-folders of the data folder.
const (
	DirVoicemail  = "voicemail"
	DirGreetings  = "greetings"
	DirRecordings = "recordings"
	DirRingtones  = "ringtones"
)

// writeTx runs fn in a write transaction (BEGIN IMMEDIATE), committing when
// fn returns nil and rolling back otherwise, so nothing is half-changed.
func (db *DB) writeTx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return wrapOp(op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", op, err)
	}
	return nil
}

// readTx runs fn in a read-only snapshot.
func (db *DB) readTx(ctx context.Context, op string, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("%s: begin: %w", op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return wrapOp(op, err)
	}
	return nil
}

// wrapOp adds the operation to internal errors; domain errors stay as they
// are so that their message reaches the user unchanged.
func wrapOp(op string, err error) error {
	var e interface{ Message(string) string }
	if errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}
