-- Rejected rows by extract, column and reason, with the first line numbers and the first few
-- of the values in alphabetical order as examples (free-text columns never keep a value, so
-- none is shown).
-- Parameters: none.
select
    extract,
    file,
    coalesce(column_name, '(whole row)') as column_name,
    reason,
    count(*) as problems,
    list(line order by line)[1:5] as example_lines,
    list(distinct value order by value) filter (where value is not null)[1:3] as example_values
from rejects
group by all
-- ties in a fixed order: the page, its CSV and the pack list them alike on every load
order by extract asc, problems desc, file asc, column_name asc, reason asc
