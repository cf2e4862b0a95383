-- Every rejected row problem: file, line, column, value (blank for free text) and reason.
-- Parameters: none.
select
    extract,
    file,
    line,
    column_name,
    value,
    reason
from rejects
order by extract, file, line, column_name, reason
