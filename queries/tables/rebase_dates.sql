-- Dates where a measure's process changed (events.csv rebase = Y), so SPC limits restart;
-- one small table for every measure, read once per data version.
-- Parameters: none.
select
    measure,
    date
from events
where rebase and measure is not null
order by measure, date
