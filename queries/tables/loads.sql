-- Each extract's row accounting from the last build: rows read, loaded, rejected, coverage.
-- Parameters: none.
select * from loads
