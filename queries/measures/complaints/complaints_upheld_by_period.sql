-- Complaints upheld or partly upheld, of the complaint decisions made (upheld, partly upheld
-- or not upheld) at one stage ($stage 1 or 2) or at either stage ($stage NULL), by the
-- period of the response. Withdrawn and refused complaints are not decisions and are left out.
-- Grain: one row per period and service, plus the all-services row (service NULL).
-- Additive: counts of records in one service and one period each, no condition on the sums,
-- so a selection of services, or a quarter's months, is the sum of their rows.
-- Parameters: $stage, $by (breakdown: service, channel, site or contractor), $grain, $start, $end,
-- $services, $channels.
with decided as (
    select
        period_start($grain, c.responded_on) as period_start,
        breakdown($by, c.service, c.channel, null, c.contractor) as service,
        c.outcome in ('upheld', 'partly_upheld') as upheld
    from complaints as c
    where
        c.outcome in ('upheld', 'partly_upheld', 'not_upheld')
        and c.responded_on between $start and $end
        and ($stage is null or c.stage = $stage)
        and in_scope(c.service, $services)
        and in_scope(c.channel, $channels)
),

final as (
    select
        period_start,
        service,
        count(*) filter (where upheld) as numerator,
        count(*) as denominator
    from decided
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
