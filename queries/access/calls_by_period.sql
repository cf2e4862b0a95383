-- Calls offered, answered within 60 seconds, answered later and abandoned in each period,
-- and the service level (answered within 60 seconds as a share of calls offered).
-- Grain: one row per period.
-- Parameters: $grain, $start, $end, $services.
with counted as (
    select
        period_start($grain, m.month_start) as period_start,
        m.calls,
        m.answered_within_60s,
        m.abandoned
    from contacts_monthly as m
    where
        m.calls > 0
        and m.month_start between $start and $end
        and in_scope(m.service, $services)
),

final as (
    select
        period_start,
        sum(calls) as offered,
        sum(answered_within_60s) as answered_within_60s,
        sum(calls) - sum(answered_within_60s) - sum(abandoned) as answered_later,
        sum(abandoned) as abandoned,
        100.0 * sum(answered_within_60s) / sum(calls) as service_level
    from counted
    group by period_start
)

select * from final
order by period_start
