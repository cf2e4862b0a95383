-- Dates where a measure's process changed (events.csv rebase = Y), so SPC limits restart.
-- Parameters: $measure.
select date
from events
where rebase and measure = $measure
order by date
