-- The call log screen filters one month by direction, line, outcome and a
-- number or name fragment, and pages newest first. One index led by start
-- and holding every filtered column lets SQLite count and page a month
-- without reading the table (see BenchmarkCallLogFirstPage).
DROP INDEX IF EXISTS calls_line_dir_start;
DROP INDEX IF EXISTS calls_outcome_start;
CREATE INDEX calls_month_filters ON calls(start, direction, line, outcome, remote, remote_name);
