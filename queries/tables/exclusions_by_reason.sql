-- Rows left out by design by extract, column and reason, with the first line numbers.
-- Parameters: none.
select
    extract,
    file,
    coalesce(column_name, '(whole row)') as column_name,
    reason,
    count(*) as rows,
    list(line order by line)[1:5] as example_lines
from exclusions
group by all
-- "rows" quoted: sqlfluff's duckdb dialect cannot parse it bare here (DuckDB can)
order by extract asc, "rows" desc, file asc, column_name asc, reason asc  -- noqa: RF06
