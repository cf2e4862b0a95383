-- Every row left out by design (a code read as no answer, a staging query's choice), with
-- its file, line, column, value and reason.
-- Parameters: none.
select * from exclusions
order by extract, file, line, column_name, reason
