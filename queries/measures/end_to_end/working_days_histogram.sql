-- Closed cases counted by the month they closed (its start as period_start), service,
-- channel and working days taken: the histogram working_days_to_resolve_by_period.sql reads,
-- kept whole at ingest by month so that a quantile for any services and channels is worked
-- out from it in memory (engine/kept.py, from_histogram), to the same rule as that query.
-- Grain: one row per month, service, channel and number of working days.
-- Parameters: $grain (month), $start, $end.
with counted as (
    select
        period_start($grain, c.month_start) as period_start,
        c.service,
        c.channel,
        c.working_days_to_close as days,
        sum(c.cases) as cases
    from cases_closed_monthly as c
    where c.month_start between $start and $end
    group by all
)

select * from counted
order by period_start, service nulls first, channel, days
