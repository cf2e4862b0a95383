-- Every target, for the engine's lookup (small: one row per measure, service and year).
-- Parameters: none.
select
    measure_id,
    service,
    from_period,
    target,
    amber_margin
from targets
order by measure_id, service nulls first, from_period
