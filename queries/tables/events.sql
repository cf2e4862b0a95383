-- Dated events to mark on trend charts, for one pillar and measure (blank = applies to all).
-- Parameters: $pillar, $measure.
select date, label, pillar, measure
from events
where
    (pillar is null or pillar = $pillar)
    and (measure is null or measure = $measure)
order by date
