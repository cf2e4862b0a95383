-- Digital take-up (GOV.UK definition): contacts completed online (web or app), including
-- those completed online with staff help (assisted digital), as a share of all contacts.
-- Read from contacts_monthly (contacts counted by month, service, channel and site).
-- Grain: one row per period and service (or $by group), plus the all-services row (NULL).
-- Parameters: $by (breakdown: service, channel or site), $grain, $start, $end, $services,
-- $channels.
with counted as (
    select
        period_start($grain, m.month_start) as period_start,
        breakdown($by, m.service, m.channel, m.site, NULL) as service,
        m.digital as hits,
        m.contacts as cases
    from contacts_monthly as m
    where
        m.contacts > 0
        and m.month_start between $start and $end
        and in_scope(m.service, $services)
        and in_scope(m.channel, $channels)
),

final as (
    select
        period_start,
        service,
        sum(hits) as numerator,
        sum(cases) as denominator
    from counted
    group by grouping sets ((period_start, service), (period_start))
)

select * from final
order by period_start, service nulls first
