// Package crashtest holds the crash-safety tests of issue 12: lignectl
// and the voicemail recorder are killed with SIGKILL at random points
// while they write, and every kill is followed by a check that the
// database opens, passes PRAGMA integrity_check and holds every change
// committed before it, and that a message being recorded keeps its audio
// up to the last second. It also holds the tests that give lignectl
// damaged databases, hostile input and files, and that grep every
// artefact of a session for passwords. The tests are in the _test files;
// this file only documents the package.
package crashtest
