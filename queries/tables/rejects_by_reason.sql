-- Rejected rows by extract, column and reason, with the first line numbers and a few of the
-- values as examples (free-text columns never keep a value, so none is shown).
-- Parameters: none.
select
    extract,
    file,
    coalesce(column_name, '(whole row)') as column_name,
    reason,
    count(*) as problems,
    list(line order by line)[1:5] as example_lines,
    list(distinct value) filter (where value is not null)[1:3] as example_values
from rejects
group by all
order by extract asc, problems desc
