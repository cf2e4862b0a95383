-- Dated events to mark on trend charts, for one pillar and measure (blank = applies to all),
-- and whether each restarts the SPC limits (rebase) for that measure.
-- Parameters: $pillar, $measure.
select
    date,
    label,
    pillar,
    measure,
    rebase and measure = $measure as rebase
from events
where
    (pillar is null or pillar = $pillar)
    and (measure is null or measure = $measure)
order by date, label
