-- Rejected rows by extract, column and reason, with the first line numbers as examples.
-- Parameters: none.
select
    extract,
    file,
    coalesce(column_name, '(whole row)') as column_name,
    reason,
    count(*) as problems,
    list(line order by line)[1:5] as example_lines
from rejects
group by all
order by extract, problems desc
