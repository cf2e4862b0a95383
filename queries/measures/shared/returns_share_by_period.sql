-- A figure services report themselves (returns.csv), as numerator over denominator:
-- training completion, contractor standards checks passed, or any other return. A period's
-- figure is the sum of the returns that fall in it (a quarter adds up its monthly returns).
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $by (breakdown: service, channel, site or contractor), $measure_id (set by the
-- catalogue), $grain, $start, $end, $services.
with returns_in_scope as (
    select
        period_start($grain, r.period_start) as period_start,
        breakdown($by, r.service, null, null, r.contractor) as service,
        r.numerator,
        r.denominator
    from returns as r
    where
        r.measure_id = $measure_id
        and r.period_start between $start and $end
        and in_scope(r.service, $services)
),

final as (
    select
        period_start,
        service,
        sum(numerator) as numerator,
        sum(denominator) as denominator
    from returns_in_scope
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
